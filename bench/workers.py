"""A worker's cold start: its first invocation, split into the init phase (importing the
handler module, timed inside the worker), the handler's run and the rest (starting the
worker process, the pipe, the Invoke call), and a warm worker's round trip.

Measured as a user of Lambda measures them: each function invoked through Lambda's Invoke
API at the local stack's AWS emulator with `LogType=Tail`, whose REPORT line gives the
handler's `Duration` and, on a cold start, its `Init Duration`. Each round is a fresh
`make run` (a fresh deployment: every function cold); a function the stack already invoked
while starting (the sample products, the vault's first versions) is invoked by a burst of
concurrent calls, one more each time, until one of them starts a new worker.
"""

import base64
import http.client
import json
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bench.common import (
    admin_user,
    lambda_client,
    median,
    percentile,
    progress,
    running_stack,
    table,
)
from tests.builders.events import api_event, token_authorizer_event
from tests.e2e.stack import RunningStack

ROUNDS = 5
ROUND_TRIPS = {1: 300, 8: 800}
MAX_BURST = 8  # the local stack's workers per function (`--max-workers`)
# A function that answers this event at once (a route it does not serve): the round trip's.
ROUND_TRIP_FUNCTION = "GetProductFunction"
# Tab-separated fields: `Duration`, never `Billed Duration` (the former rounded up).
_REPORT_FIELD = re.compile(r"\t(?P<name>Init Duration|Duration): (?P<ms>[\d.]+) ms")


class RefusedEventError(Exception):
    """The function failed on the event (one that is no event of its own)."""


@dataclass(frozen=True)
class Invoked:
    """One Invoke call: its time as the caller waits, and its REPORT line's figures."""

    wall_ms: float
    handler_ms: float
    init_ms: float | None


def invoke(connection: http.client.HTTPConnection, name: str, event: dict[str, Any]) -> Invoked:
    """One Invoke call, as its REST request (`aws lambda invoke --log-type Tail` sends it
    signed; the emulator takes it unsigned, which keeps the client's own work out)."""
    body = json.dumps(event)
    started = time.perf_counter()
    connection.request(
        "POST", f"/2015-03-31/functions/{name}/invocations", body, {"X-Amz-Log-Type": "Tail"}
    )
    answer = connection.getresponse()
    payload = answer.read()
    wall_ms = (time.perf_counter() - started) * 1000
    if answer.getheader("X-Amz-Function-Error"):
        raise RefusedEventError(payload.decode())
    report = base64.b64decode(answer.getheader("X-Amz-Log-Result") or "").decode()
    fields = {found["name"]: float(found["ms"]) for found in _REPORT_FIELD.finditer(report)}
    return Invoked(wall_ms, fields["Duration"], fields.get("Init Duration"))


def cold_invocation(emulator: str, name: str, event: dict[str, Any]) -> Invoked:
    """The first invocation of a new worker of `name`: bursts of concurrent calls, one
    more each time, until one of them is a cold start."""
    for burst in range(1, MAX_BURST + 1):
        with ThreadPoolExecutor(burst) as pool:
            answers = list(
                pool.map(lambda _: invoke(_connect(emulator), name, event), range(burst))
            )
        cold = [answer for answer in answers if answer.init_ms is not None]
        if cold:
            return cold[0]
    raise RuntimeError(f"no cold start of {name} in bursts of up to {MAX_BURST} calls")


def reports() -> list[str]:
    """The cold start table (a fresh stack per round) and the round trip's (on the last)."""
    samples: dict[str, list[Invoked]] = {}
    refusing: set[str] = set()
    round_trip = ""
    for number in range(1, ROUNDS + 1):
        with running_stack() as stack:
            progress(f"  round {number} of {ROUNDS}: every function's first invocation")
            event = _events(stack)
            for function in lambda_client(stack).list_functions()["Functions"]:
                name, handler = function["FunctionName"], function["Handler"]
                try:
                    invoked = cold_invocation(stack.emulator_url, name, event(handler))
                except RefusedEventError:
                    refusing.add(name)
                    continue
                samples.setdefault(name, []).append(invoked)
            if number == ROUNDS:
                round_trip = round_trip_report(stack)
    # A function that failed in some rounds only (a worker lost on the loaded machine) has
    # the median of the others; one that failed in every round is named as left out.
    return [_cold_starts(samples, sorted(refusing - samples.keys())), round_trip]


def _events(stack: RunningStack) -> Callable[[str], dict[str, Any]]:
    """The event each function gets: the authorizer a token's, the others `GET /products`."""
    token = admin_user(stack).token
    authorizer = token_authorizer_event(f"Bearer {token}", "GET", "/products")
    other = api_event("GET", "/products", caller=None)
    return lambda handler: authorizer if handler.startswith("authorizer.") else other


def _cold_starts(samples: dict[str, list[Invoked]], refusing: list[str]) -> str:
    rows = []
    for name, invocations in samples.items():
        wall = median([invoked.wall_ms for invoked in invocations])
        init = median([invoked.init_ms or 0.0 for invoked in invocations])
        run = median([invoked.handler_ms for invoked in invocations])
        rows.append(
            [
                f"`{name}`",
                f"{wall:.0f} ms",
                f"{init:.0f} ms",
                f"{run:.1f} ms",
                f"{wall - init - run:.0f} ms",
            ]
        )
    return (
        "## Worker cold start\n\n"
        f"Median of {ROUNDS} first invocations, each on a new worker process of the function, "
        "each round on a fresh `make run`, through Lambda's Invoke API at the stack's AWS "
        "emulator (`LogType=Tail`, its REST call over HTTP): the whole first invocation as "
        "the caller waits for it, "
        "the init phase inside it (REPORT's `Init Duration`: importing the handler module, "
        "with the function's environment and import path), the handler's first run "
        "(REPORT's `Duration`), and the rest (starting the interpreter and the runtime, the "
        "pipe, the Invoke call's HTTP). The authorizer gets a token's event, every other "
        "function the proxy event of `GET /products`; "
        + (
            "left out, as they failed on that event in every round (no event of theirs): "
            + ", ".join(f"`{name}`" for name in refusing)
            if refusing
            else "none fails on it"
        )
        + ".\n\n"
        + table(
            ["function", "first invocation", "init (handler import)", "handler", "process + pipe"],
            rows,
        )
    )


def round_trip_report(stack: RunningStack) -> str:
    """What a warm worker adds around its handler: an Invoke call's time less its REPORT
    `Duration` (the Invoke call's HTTP, the event's and answer's trip over the worker's pipe,
    JSON both ways, the process switches), on an event the handler answers at once."""
    (name,) = [
        function["FunctionName"]
        for function in lambda_client(stack).list_functions()["Functions"]
        if function["FunctionName"].endswith(f"-{ROUND_TRIP_FUNCTION}")
    ]
    event = api_event("GET", "/products", caller=None)
    rows = []
    for concurrency, count in ROUND_TRIPS.items():
        added: list[float] = []
        connections = threading.local()

        def run(_: int, added: list[float] = added, connections: Any = connections) -> None:
            if not hasattr(connections, "one"):
                connections.one = _connect(stack.emulator_url)  # keep-alive, one per thread
            invoked = invoke(connections.one, name, event)
            if invoked.init_ms is None:  # a warm worker's, as every worker should be by now
                added.append(invoked.wall_ms - invoked.handler_ms)

        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(run, range(concurrency)))  # every worker warm first
            added.clear()
            list(pool.map(run, range(count)))
        rows.append(
            [concurrency, f"{percentile(added, 0.5):.2f}", f"{percentile(added, 0.99):.2f}"]
        )
    return (
        "## Worker round trip\n\n"
        "A warm worker's invocation through Lambda's Invoke API at the stack's AWS emulator "
        "(its REST call over keep-alive HTTP, one connection per thread) "
        "less its handler's own run (REPORT's `Duration`), with the proxy event of "
        f"`GET /products` sent to {ROUND_TRIP_FUNCTION} (a route it does not serve: its "
        "handler answers at once): the Invoke call's HTTP, the pipe, JSON both ways and the "
        f"process switches. {ROUND_TRIPS[1]} invocations at concurrency 1, {ROUND_TRIPS[8]} at "
        "8, in milliseconds.\n\n" + table(["concurrency", "p50", "p99"], rows)
    )


def _connect(emulator_url: str) -> http.client.HTTPConnection:
    address = urlsplit(emulator_url)
    return http.client.HTTPConnection(str(address.hostname), address.port, timeout=120)
