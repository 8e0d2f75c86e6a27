"""Each function's environment as the local stack builds it, for the tests that run it.

Its template's variables resolved with the local stack's code (`LocalCloud`), the bootstrap
stack's exports pointing at the test resources, plus Lambda's own variables and the local
runtime's one difference. A test gets exactly that while it imports and invokes the function,
and nothing for the whole run.
"""

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from local.cloudformation.stack import LocalCloud
from local.lambda_.functions import LOCAL_RUNTIME_ENVIRONMENT
from stacks.templates import BOOTSTRAP_TEMPLATE, serverless_functions
from tests.builders.events import WEB_ORIGIN
from tests.builders.tables import TEST_IMAGES_BUCKET, TEST_TABLE_NAMES, TEST_VAULT_BUCKET
from tests.builders.tokens import REGION, USER_POOL_CLIENT_ID
from tests.builders.users import known_user_pool_id

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
# The credentials Lambda gives a function; in tests moto's fake ones (tests/conftest.py).
TEST_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


@cache
def cloud_of_test_resources(user_pool_id: str | None = None) -> LocalCloud:
    """A local deployment whose bootstrap exports name the test resources: the test tables
    and images bucket, and the user pool moto creates for the tests (or `user_pool_id`)."""
    cloud = LocalCloud(stage="dev", region=REGION)
    resources = {
        **TEST_TABLE_NAMES,
        "ProductImagesBucket": TEST_IMAGES_BUCKET,
        "VaultBucket": TEST_VAULT_BUCKET,
        "UserPool": user_pool_id or known_user_pool_id(),
        "UserPoolClient": USER_POOL_CLIENT_ID,
    }
    attributes = {
        "ProductImagesBucket.Arn": f"arn:aws:s3:::{TEST_IMAGES_BUCKET}",
        "VaultBucket.Arn": f"arn:aws:s3:::{TEST_VAULT_BUCKET}",
    }
    scope = cloud.scope(BOOTSTRAP_TEMPLATE, resources, attributes)
    cloud.publish_outputs(BOOTSTRAP_TEMPLATE, scope, {"WebOrigin": WEB_ORIGIN})
    return cloud


def function_environment(
    template: Path,
    logical_id: str,
    local: Mapping[str, str] | None = None,
    user_pool_id: str | None = None,
) -> dict[str, str]:
    """The whole environment of `logical_id` in `template`, as the local stack builds it
    (`local`: what points it at a local stand-in, like the local stack's JWKS_URL)."""
    cloud = cloud_of_test_resources(user_pool_id)
    functions = serverless_functions(template)
    scope = cloud.function_scope(template, functions)
    emulator = {**TEST_CREDENTIALS, **LOCAL_RUNTIME_ENVIRONMENT, **(local or {})}
    return dict(cloud.function_config(functions[logical_id], scope, emulator).environment)


@contextmanager
def environment_of(environment: Mapping[str, str]) -> Iterator[None]:
    """`environment` and nothing else in os.environ, restored afterwards."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environment)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def import_layer_in_environment_of(template: Path, logical_id: str) -> None:
    """The shared layer's module-level objects (Powertools' Logger and Metrics read their
    service and namespace when created) created in this function's environment.

    A test process imports shop_common once for every function it runs, at collection,
    where Lambda imports it in each function's init; this makes that first import happen
    in a function's environment. Call it before anything imports shop_common."""
    with environment_of(function_environment(template, logical_id)):
        importlib.import_module("shop_common.observability")


def handler_name(template: Path, logical_id: str) -> str:
    """The function's `Handler`, or the command of its container image."""
    return serverless_functions(template)[logical_id].handler


def function_module(
    template: Path,
    logical_id: str,
    local: Mapping[str, str] | None = None,
    user_pool_id: str | None = None,
) -> ModuleType:
    """The module of the function's `Handler`, imported (its cold start, if it is the first)
    with exactly the function's environment."""
    module_name = handler_name(template, logical_id).rpartition(".")[0]
    with environment_of(function_environment(template, logical_id, local, user_pool_id)):
        return importlib.import_module(module_name)


def as_invoked(
    template: Path, logical_id: str, handler: Handler, local: Mapping[str, str] | None = None
) -> Handler:
    """`handler`, invoked with exactly the function's environment, as Lambda invokes it."""
    environment = function_environment(template, logical_id, local)

    def invoke(event: dict[str, Any], context: Any) -> dict[str, Any]:
        with environment_of(environment):
            return handler(event, context)

    return invoke


def deployed_handler(
    template: Path, logical_id: str, local: Mapping[str, str] | None = None
) -> Handler:
    """The function's handler as Lambda runs it: imported and invoked in its environment."""
    attribute = handler_name(template, logical_id).rpartition(".")[2]
    handler: Handler = getattr(function_module(template, logical_id, local), attribute)
    return as_invoked(template, logical_id, handler, local)


FRESH_PROCESS_TIMEOUT_SECONDS = 120


def in_fresh_process(
    code: str, environment: Mapping[str, str], *arguments: str, stdin: str = ""
) -> Any:
    """What `code`, run by this interpreter in a new process with exactly `environment`
    (a cold start's), prints as JSON on its last line."""
    run = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        input=stdin,
        env=dict(environment),
        capture_output=True,
        text=True,
        timeout=FRESH_PROCESS_TIMEOUT_SECONDS,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


_LOADED = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(name for name in sys.argv[2:] if name in sys.modules)))
"""
# The services whose clients boto3's default session makes (a resource's client included).
_CLIENTS = """
import boto3, importlib, json, sys
made = set()
boto3.setup_default_session()
boto3.DEFAULT_SESSION.events.register(
    "creating-client-class", lambda event_name, **_: made.add(event_name.rpartition(".")[2])
)
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(made)))
"""


def loaded_at_init(
    template: Path,
    logical_id: str,
    sources: tuple[Path, ...],
    modules: tuple[str, ...],
    user_pool_id: str | None = None,
) -> list[str]:
    """Which of `modules` the function's init (the import of its handler module, code found
    in `sources`) loads, in a fresh process with the function's environment."""
    loaded: list[str] = _at_init(_LOADED, template, logical_id, sources, user_pool_id, *modules)
    return loaded


def clients_made_at_init(
    template: Path, logical_id: str, sources: tuple[Path, ...], user_pool_id: str | None = None
) -> list[str]:
    """The services (botocore's ids, hyphenated: `cognito-identity-provider`) whose clients
    the function's init makes, in a fresh process with the function's environment."""
    made: list[str] = _at_init(_CLIENTS, template, logical_id, sources, user_pool_id)
    return made


def _at_init(
    code: str,
    template: Path,
    logical_id: str,
    sources: tuple[Path, ...],
    user_pool_id: str | None,
    *arguments: str,
) -> Any:
    environment = {
        **function_environment(template, logical_id, user_pool_id=user_pool_id),
        "PYTHONPATH": os.pathsep.join(map(str, sources)),
    }
    module = handler_name(template, logical_id).rpartition(".")[0]
    return in_fresh_process(code, environment, module, *arguments)
