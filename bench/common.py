"""What the benchmarks share: percentiles, markdown tables, users of the in-process stack."""

import importlib
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import boto3
from jose import jwt

from local.shop import LocalShop
from tests.builders.callers import Caller
from tests.builders.environments import Handler, environment_of

_STARTED = time.perf_counter()

BENCH_PASSWORD = "Bench-Passw0rd!"  # noqa: S105 - a user of the throw-away local pool


def progress(step: str) -> None:
    """Where the run is, on stderr (stdout carries the report)."""
    sys.stderr.write(f"[bench {time.perf_counter() - _STARTED:5.0f} s] {step}\n")
    sys.stderr.flush()


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def timed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


@dataclass(frozen=True)
class User:
    """A user of the stack's pool: their token for HTTP, their caller for direct events."""

    token: str
    caller: Caller


def admin_user(shop: LocalShop) -> User:
    return _user(shop, shop.options.admin_username, shop.options.admin_password, is_admin=True)


def shopper_user(shop: LocalShop, username: str) -> User:
    cognito = boto3.client("cognito-idp")
    pool = shop.bootstrap.user_pool_id
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
    )
    cognito.admin_set_user_password(
        UserPoolId=pool, Username=username, Password=BENCH_PASSWORD, Permanent=True
    )
    return _user(shop, username, BENCH_PASSWORD, is_admin=False)


def _user(shop: LocalShop, username: str, password: str, *, is_admin: bool) -> User:
    token = shop.sign_in(username, password)["AccessToken"]
    sub = str(jwt.get_unverified_claims(token)["sub"])
    return User(token, Caller(username=username, sub=sub, is_admin=is_admin))


def function_arn(shop: LocalShop, logical_id: str) -> str:
    """The ARN the stack invokes a function by (its alias's when it publishes versions)."""
    name = shop.cloud.function_name(logical_id)
    return next(arn for arn, function in shop.functions.items() if function.config.name == name)


def in_process_handler(shop: LocalShop, logical_id: str) -> Handler:
    """A function's handler imported into the bench's own process (its code on the path,
    its workers' environment while importing and invoking), for what a worker process
    cannot show: its boto3 calls, its time without the emulation around it."""
    config = shop.functions[function_arn(shop, logical_id)].config
    for folder in reversed([config.task_root, *config.layers]):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    module_name, _, attribute = config.handler.rpartition(".")
    with environment_of(config.environment):
        handler: Handler = getattr(importlib.import_module(module_name), attribute)

    def invoke(event: dict[str, Any], context: Any) -> dict[str, Any]:
        with environment_of(config.environment):
            return handler(event, context)

    return invoke
