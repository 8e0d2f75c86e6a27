"""The AWS services the shop uses, emulated in-process by moto's server, and their state.

When `AWS_ENDPOINT_URL` already points at an emulator (LocalStack, DynamoDB Local...), that
one is used and nothing is started here.
"""

import logging
import os
import pickle
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from joserfc.jwk import RSAKey
from moto import backends
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from moto.utilities.utils import load_resource
from werkzeug.serving import make_server

from local.apigateway.usage_plan_keys import faithful_usage_plan_keys
from local.cloudfront.distributions import Distributions
from local.cloudfront.server import FaithfulCloudFront
from local.cognito.admin import CognitoAdminMessages
from local.cognito.paging import CognitoPagingTokens
from local.cognito.resets import PasswordResetCodes
from local.cognito.usernames import case_insensitive_usernames
from local.dynamodb.atomic import AtomicDynamoDB
from local.dynamodb.request_log import DynamoDBRequestLog
from local.dynamodb.transactions import transactions_undone_by_item
from local.eventbridge.trail import ManagementEvents
from local.host_check import OwnHostsOnly, local_hosts
from local.lambda_.api import LambdaApi
from local.lambda_.functions import LocalFunction
from local.scheduler.runner import SchedulerClock, scheduler_clock_app

LOOPBACK = "127.0.0.1"
DEFAULT_REGION = "eu-west-1"
# The services whose state `--persist` keeps in moto: everything the stacks create locally
# (CloudFront's origin access controls are moto's; its distributions and policies are kept
# by local/cloudfront's store, saved by its own snapshot).
PERSISTED_SERVICES = ("dynamodb", "cognito-idp", "s3", "apigateway", "cloudfront", "scheduler")
_STATE_FILE = "moto-state.pickle"
# moto signs every pool's tokens with this key; it is reloaded rather than pickled.
_COGNITO_KEY_ID = "moto-cognito-signing-key"

logger = logging.getLogger(__name__)


@contextmanager
def emulator(
    trail: ManagementEvents | None = None,
    functions: Callable[[], Mapping[str, LocalFunction]] = dict,
    scheduler_clock: SchedulerClock | None = None,
    announce: Callable[[str], None] = logger.info,
    password_resets: Callable[[], PasswordResetCodes] = PasswordResetCodes,
    cloudfront: Distributions | None = None,
) -> Iterator[str]:
    """The endpoint of the AWS emulator: `AWS_ENDPOINT_URL`, or moto's server started here.

    moto's server (what its ThreadedMotoServer runs: a threaded werkzeug server), with
    DynamoDB's writes made atomic as DynamoDB makes them (local/dynamodb/atomic.py), a failed
    transaction undoing its own items only (local/dynamodb/transactions.py), each
    DynamoDB request's time kept (local/dynamodb/request_log.py), CloudFront's distributions
    kept as CloudFront keeps them in `cloudfront` (local/cloudfront), each change recorded in
    `trail` as CloudTrail would, Lambda's API for `functions()` (local/lambda_/api.py), the local
    scheduler's clock at `/_local/scheduler/clock` (local/scheduler), and what Cognito sends a
    user an admin invites or resets announced (local/cognito/admin.py; reset codes go to
    `password_resets`), a paging token moto cannot go on from refused with Cognito's code
    (local/cognito/paging.py), usernames that ignore case as the pool says
    (local/cognito/usernames.py), usage plans that hold a key as API Gateway's do
    (local/apigateway/usage_plan_keys.py), for its own address and AWS's host names only
    (local/host_check.py).
    """
    external = os.environ.get("AWS_ENDPOINT_URL")
    if external:
        yield external
        return
    # moto's server logs every request through werkzeug; the gateway keeps its own access log.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    case_insensitive_usernames()
    faithful_usage_plan_keys()
    transactions_undone_by_item()
    moto = CognitoAdminMessages(
        CognitoPagingTokens(DomainDispatcherApplication(create_backend_app)),
        announce,
        password_resets,
    )
    emulated: Any = LambdaApi(
        FaithfulCloudFront(AtomicDynamoDB(DynamoDBRequestLog(moto)), cloudfront, trail), functions
    )
    if scheduler_clock is not None:
        emulated = scheduler_clock_app(emulated, scheduler_clock)
    application = OwnHostsOnly(emulated)
    server = make_server(
        LOOPBACK, 0, application, threaded=True, request_handler=MotoRequestHandler
    )
    # The Cognito proxy names the pool's region as AWS does, in the host name.
    application.allow(local_hosts(server.server_port), suffixes=[".amazonaws.com"])
    thread = threading.Thread(target=server.serve_forever, name="aws-emulator", daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


class _StatePickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> str | None:
        return _COGNITO_KEY_ID if isinstance(obj, RSAKey) else None


class _StateUnpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        if pid != _COGNITO_KEY_ID:
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        return RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))


def save_state(directory: Path, extra: dict[str, Any]) -> Path:
    """Snapshot the emulated services (and `extra`, the local stack's own state) to disk."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / _STATE_FILE
    snapshot = {service: dict(_backend(service)) for service in PERSISTED_SERVICES}
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as stream:
        _StatePickler(stream).dump({"backends": snapshot, "extra": extra})
    temporary.replace(path)
    return path


def restore_state(directory: Path) -> dict[str, Any] | None:
    """Load a snapshot into the emulated services; returns its `extra`, None if there is none.

    The snapshot is the local stack's own file in a git-ignored folder, never input from
    elsewhere, which is what makes unpickling it acceptable.
    """
    path = directory / _STATE_FILE
    if not path.exists():
        return None
    with path.open("rb") as stream:
        state = _StateUnpickler(stream).load()
    for service, accounts in state["backends"].items():
        backend = _backend(service)
        for account_id, regions in accounts.items():
            backend[account_id] = regions
    extra: dict[str, Any] = state["extra"]
    return extra


def _backend(service: str) -> Any:
    # moto's state for `service`: account id -> region -> backend.
    return backends.get_backend(service)  # type: ignore[call-overload]
