"""What the benchmarks share: percentiles, markdown tables, the local stack as a subprocess
(`make run`) and its users, and a function's handler imported into the bench's process."""

import importlib
import os
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from jose import jwt

from shop_common.dynamodb import Table, python_typed
from stacks.environment import fake_credentials_environment
from stacks.templates import FUNCTION_TEMPLATES, serverless_functions
from tests.builders.callers import Caller
from tests.builders.environments import Handler, environment_of
from tests.e2e.stack import RunningStack, local_stack

_STARTED = time.perf_counter()

BENCH_PASSWORD = "Bench-Passw0rd!"  # noqa: S105 - a user of the throw-away local pool
UNTHROTTLED = ("ThrottlingRateLimit=1000000", "ThrottlingBurstLimit=1000000")


def progress(step: str) -> None:
    """Where the run is, on stderr (stdout carries the report)."""
    sys.stderr.write(f"[bench {time.perf_counter() - _STARTED:5.0f} s] {step}\n")
    sys.stderr.flush()


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


@contextmanager
def running_stack() -> Iterator[RunningStack]:
    """`make run` on a free port, as a subprocess, its throttle raised for the run (or the
    latency sections would be answered 429); the bench's own AWS clients pointed at the AWS
    emulator it prints, as a user's are with the stack's credentials."""
    # The emulator takes any credentials; the stack's own clients are made as it starts.
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    with local_stack("--parameter-overrides", *UNTHROTTLED) as stack:
        os.environ.update(fake_credentials_environment(stack.config["region"], stack.emulator_url))
        yield stack


@dataclass(frozen=True)
class User:
    """A user of the stack's pool: their token for HTTP, their caller for direct events."""

    token: str
    caller: Caller


def admin_user(stack: RunningStack) -> User:
    return _user(stack, stack.admin_username, stack.admin_password, is_admin=True)


def shopper_user(stack: RunningStack, username: str) -> User:
    pool = stack.config["userPoolId"]
    cognito = boto3.client("cognito-idp")  # at the AWS emulator, with its credentials
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
    )
    cognito.admin_set_user_password(
        UserPoolId=pool, Username=username, Password=BENCH_PASSWORD, Permanent=True
    )
    return _user(stack, username, BENCH_PASSWORD, is_admin=False)


def _user(stack: RunningStack, username: str, password: str, *, is_admin: bool) -> User:
    token = stack.sign_in(username, password).access_token
    sub = str(jwt.get_unverified_claims(token)["sub"])
    return User(token, Caller(username=username, sub=sub, is_admin=is_admin))


def stage(stack: RunningStack) -> str:
    """The API's stage, the first segment of its URL's path (`/dev`)."""
    return str(urlsplit(stack.api_url).path).strip("/")


def lambda_client(stack: RunningStack) -> Any:
    """Lambda's API at the AWS emulator (the local stack's functions)."""
    return boto3.client(
        "lambda", endpoint_url=stack.emulator_url, region_name=stack.config["region"]
    )


def function_configuration(stack: RunningStack, logical_id: str) -> dict[str, Any]:
    """`GetFunctionConfiguration` of the function of the templates named `logical_id`."""
    functions = lambda_client(stack).list_functions()["Functions"]
    (name,) = [f["FunctionName"] for f in functions if f["FunctionName"].endswith(f"-{logical_id}")]
    configuration: dict[str, Any] = lambda_client(stack).get_function_configuration(
        FunctionName=name
    )
    return configuration


def in_process_handler(stack: RunningStack, logical_id: str) -> Handler:
    """A function's handler imported into the bench's own process (its code and layers'
    folders from its template on the path, the environment Lambda's API gives for it while
    importing and invoking), for what a worker process cannot show: its boto3 calls, its
    time without the emulation around it."""
    configuration = function_configuration(stack, logical_id)
    environment = configuration["Environment"]["Variables"]
    (spec,) = [
        spec
        for path in FUNCTION_TEMPLATES
        for spec in serverless_functions(path).values()
        if spec.logical_id == logical_id
    ]
    for folder in reversed([spec.code_dir, *spec.layer_dirs]):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    module_name, _, attribute = configuration["Handler"].rpartition(".")
    with environment_of(environment):
        handler: Handler = getattr(importlib.import_module(module_name), attribute)

    def invoke(event: dict[str, Any], context: Any) -> dict[str, Any]:
        with environment_of(environment):
            return handler(event, context)

    return invoke


def server_timing(header: str | None, name: str) -> float | None:
    """The duration (ms) of entry `name` in a `Server-Timing` header (`lambda;dur=12.3`)."""
    for entry in (header or "").split(","):
        metric, _, parameters = entry.strip().partition(";")
        if metric == name and parameters.startswith("dur="):
            return float(parameters.removeprefix("dur="))
    return None


def patient_tables(*names: str) -> list[Table]:
    """The tables `names`, on one Python-typed client that waits up to 10 minutes for an
    answer: moto answers a Query by walking the whole table or index, which on a large table
    outlasts the functions' 5 s read timeout (DynamoDB reads only the partition)."""
    client = python_typed(boto3.client("dynamodb", config=Config(read_timeout=600)))
    return [Table(name, client) for name in names]
