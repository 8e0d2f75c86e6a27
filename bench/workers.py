"""A worker's cold start: its first invocation, split into the worker process's start, the
init phase (importing the handler module, timed inside the worker) and the handler's run."""

import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import uuid4

from bench.common import admin_user, function_arn, median, percentile, table
from local.lambda_.functions import LocalFunction
from local.shop import LocalShop
from stacks.templates import REPO_ROOT
from tests.builders.events import api_event, token_authorizer_event

ROUNDS = 5
ROUND_TRIPS = {1: 300, 8: 800}
# A handler that does nothing (standard library only): what the pipe alone costs.
STANDIN = REPO_ROOT / "tests" / "builders" / "lambda_standin"


def report(shop: LocalShop) -> str:
    token = admin_user(shop).token
    rows = []
    for function in shop.functions.values():
        config = function.config
        event = (
            token_authorizer_event(f"Bearer {token}", "GET", "/products")
            if config.handler.startswith("authorizer.")
            else api_event("GET", "/products", caller=None)
        )
        walls, inits, runs = [], [], []
        for _ in range(ROUNDS):
            fresh = LocalFunction(config, log=_ignore, max_workers=1)
            started = time.perf_counter()
            invocation = fresh.invoke(event, str(uuid4()))
            walls.append((time.perf_counter() - started) * 1000)
            fresh.close()
            assert invocation.init_ms is not None
            inits.append(invocation.init_ms)
            runs.append(invocation.handler_ms)
        wall, init, run = median(walls), median(inits), median(runs)
        rows.append(
            [
                f"`{config.name}`",
                f"{wall:.0f} ms",
                f"{init:.0f} ms",
                f"{run:.1f} ms",
                f"{wall - init - run:.0f} ms",
            ]
        )
    return (
        "## Worker cold start\n\n"
        f"Median of {ROUNDS} first invocations, each on a fresh worker process of the function "
        "(`local/lambda_/functions.py`): the whole first invocation as the gateway waits for "
        "it, the init phase inside it (importing the handler module, with the function's "
        "environment and import path), the handler's first run, and the rest (starting the "
        "interpreter and the runtime, the pipe).\n\n"
        + table(
            ["function", "first invocation", "init (handler import)", "handler", "process + pipe"],
            rows,
        )
    )


def round_trip_report(shop: LocalShop) -> str:
    """What a warm worker adds around its handler: the event's and the answer's trip over the
    pipe (JSON both ways) and the process switches, with a handler that does nothing."""
    config = dataclasses.replace(
        shop.functions[function_arn(shop, "GetProductsFunction")].config,
        handler="standin_handlers.remaining_time",
        task_root=Path(STANDIN),
        layers=(),
    )
    event = api_event("GET", "/products", caller=None)
    rows = []
    for concurrency, count in ROUND_TRIPS.items():
        function = LocalFunction(config, log=_ignore, max_workers=concurrency)
        added: list[float] = []

        def run(index: int, function: LocalFunction = function, added: list[float] = added) -> None:
            started = time.perf_counter()
            invocation = function.invoke(event, str(index))
            added.append((time.perf_counter() - started) * 1000 - invocation.handler_ms)

        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(run, range(concurrency)))  # every worker warm first
            added.clear()
            list(pool.map(run, range(count)))
        function.close()
        p50, p99 = percentile(added, 0.5), percentile(added, 0.99)
        rows.append([concurrency, f"{p50:.2f}", f"{p99:.2f}"])
    return (
        "## Worker round trip\n\n"
        "A warm worker's invocation less its handler's own run, with a handler that does "
        "nothing and the proxy event of `GET /products`: the pipe, JSON both ways and the "
        f"process switches. {ROUND_TRIPS[1]} invocations at concurrency 1, {ROUND_TRIPS[8]} at 8 "
        "(one worker each), in milliseconds.\n\n" + table(["concurrency", "p50", "p99"], rows)
    )


def _ignore(line: str) -> None:
    return
