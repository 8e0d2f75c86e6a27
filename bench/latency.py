"""Warm latency per route, at concurrency 1 and 8, on the local stack (`make run`, a
subprocess), seen three ways:

- *HTTP*: a keep-alive HTTP/1.1 client to the local server (transport + gateway + handler);
- *gateway*: the same requests as the gateway's access log times them (`responseLatency`,
  in whole milliseconds as API Gateway logs it: routing, the cached authorizer policy,
  validation, the proxy event, the invocation);
- *direct*: the handler imported into this process and called with the event API Gateway
  would build.

What the emulation adds is measured per request, paired: each HTTP answer's time less the
handler's own run inside its worker process, which the local stack sends in a local-only
`Server-Timing: lambda;dur=...` header (Lambda's `Duration` in its REPORT log line in AWS).
The target: under 1 ms at p50. The stage's throttle is raised for the run
(`--parameter-overrides`), or it would answer 429.
"""

import http.client
import itertools
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from typing import Any
from uuid import uuid4

from bench.common import (
    User,
    admin_user,
    in_process_handler,
    lambda_client,
    percentile,
    progress,
    server_timing,
    shopper_user,
    stage,
    table,
    verdict,
)
from tests.builders.data import order_request
from tests.builders.events import LambdaContext, api_event
from tests.e2e.stack import RunningStack

REQUESTS = {1: 100, 8: 200}
TIMED_MODES = ("HTTP", "direct")  # each sends its own requests
MODES = ("HTTP", "gateway", "direct")  # gateway: the HTTP requests, as the access log times them
TARGET_ADDED_MS = 1.0
# Each concurrency's requests in each timed mode, and one untimed request per connection.
ITEMS_PER_ROUTE = len(TIMED_MODES) * sum(REQUESTS.values()) + sum(REQUESTS)


@dataclass(frozen=True)
class Answer:
    """What one request got: its status and, over HTTP, the API's request id and the
    handler's own run (the `Server-Timing` header's `lambda` entry)."""

    status: int
    request_id: str | None = None
    handler_ms: float | None = None


# One prepared request: sends it, returns what it got.
Attempt = Callable[[], Answer]


@dataclass(frozen=True)
class Call:
    """One request, as HTTP and as the event API Gateway would build from it."""

    method: str
    resource: str
    user: User
    path_parameters: dict[str, str] | None = None
    query: dict[str, str] | None = None
    body: dict[str, Any] | None = None

    @property
    def path(self) -> str:
        path = self.resource
        for name, value in (self.path_parameters or {}).items():
            path = path.replace("{" + name + "}", value)
        return path

    @property
    def query_string(self) -> str:
        return "&".join(f"{key}={value}" for key, value in (self.query or {}).items())

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.user.token}", "Content-Type": "application/json"}

    @property
    def data(self) -> str | None:
        return json.dumps(self.body) if self.body is not None else None

    def event(self) -> dict[str, Any]:
        return api_event(
            self.method,
            self.resource,
            caller=self.user.caller,
            path_parameters=self.path_parameters,
            query=self.query,
            body=self.body,
        )


@dataclass(frozen=True)
class Route:
    name: str
    function: str  # the function's logical id
    expected_status: int
    make_call: Callable[[int], Call]  # the i-th request of the route's run


class Bench:
    """The stack, its users, and what each mode needs to send one prepared request."""

    def __init__(self, stack: RunningStack) -> None:
        self.stack = stack
        self.admin = admin_user(stack)
        self.shopper = shopper_user(stack, "bench-shopper")
        self.stage = stage(stack)
        self._lambda = lambda_client(stack)
        # By logical id: `shop-<stage>-<LogicalId>`.
        self._names = {
            function["FunctionName"].rsplit("-", 1)[-1]: function["FunctionName"]
            for function in self._lambda.list_functions()["Functions"]
        }

    def invoke(self, function: str, call: Call) -> Any:
        """The function's answer to `call`'s event, through Lambda's Invoke API."""
        answer = self._lambda.invoke(
            FunctionName=self._names[function], Payload=json.dumps(call.event())
        )
        result = json.loads(answer["Payload"].read())
        if "FunctionError" in answer:
            raise RuntimeError(f"{function} failed while the bench prepared its data: {result}")
        return json.loads(result["body"]) if result.get("body") else None

    def product(self, name: str) -> str:
        body = {"name": name, "price": 5}
        return str(
            self.invoke("UpsertProductFunction", Call("POST", "/product", self.admin, body=body))[
                "product_id"
            ]
        )

    def order(self, product_id: str, username: str) -> str:
        body = order_request(product_id, quantity=1, username=username)
        return str(
            self.invoke("UpsertOrderFunction", Call("POST", "/order", self.admin, body=body))[
                "order_id"
            ]
        )

    def spare(self, kind: str, product_id: str) -> str:
        if kind == "product":
            return self.product("Spare")
        return self.order(product_id, self.shopper.caller.username)

    def routes(self) -> list[Route]:
        product_id = self.product("Bench kettle")
        for _ in range(20):
            self.order(product_id, self.shopper.caller.username)
        replaced_id = str(uuid4())
        body = {"product_id": replaced_id, "name": "Bench", "price": 7}
        self.invoke("UpsertProductFunction", Call("POST", "/product", self.admin, body=body))
        spares: dict[str, list[str]] = {}

        def spare(kind: str, index: int) -> str:
            # Items to delete, made on first use so the listings run on a small table.
            if kind not in spares:
                spares[kind] = [self.spare(kind, product_id) for _ in range(ITEMS_PER_ROUTE)]
            return spares[kind][index]

        admin, shopper = self.admin, self.shopper
        return [
            Route(
                "GET /products",
                "GetProductsFunction",
                200,
                lambda i: Call("GET", "/products", shopper, query={"limit": "20"}),
            ),
            Route(
                "GET /orders (shopper)",
                "GetOrdersFunction",
                200,
                lambda i: Call("GET", "/orders", shopper, query={"limit": "20"}),
            ),
            Route(
                "POST /product (replace)",
                "UpsertProductFunction",
                200,
                lambda i: Call(
                    "POST",
                    "/product",
                    admin,
                    body={"product_id": replaced_id, "name": f"Bench {i}", "price": 7},
                ),
            ),
            Route(
                "POST /order (place)",
                "UpsertOrderFunction",
                201,
                lambda i: Call(
                    "POST", "/order", shopper, body=order_request(product_id, quantity=1)
                ),
            ),
            Route(
                "DELETE /product/{id}",
                "DeleteProductFunction",
                204,
                lambda i: Call(
                    "DELETE", "/product/{product_id}", admin, {"product_id": spare("product", i)}
                ),
            ),
            Route(
                "DELETE /order/{id}",
                "DeleteOrderFunction",
                204,
                lambda i: Call(
                    "DELETE", "/order/{order_id}", admin, {"order_id": spare("order", i)}
                ),
            ),
        ]

    # ------------------------------------------------------------------ the two timed modes
    def over_http(self, call: Call, connection: http.client.HTTPConnection) -> Attempt:
        target = f"/{self.stage}{call.path}" + (f"?{call.query_string}" if call.query else "")
        data, headers = call.data, call.headers

        def attempt() -> Answer:
            connection.request(call.method, target, body=data, headers=headers)
            response = connection.getresponse()
            response.read()
            return Answer(
                response.status,
                response.getheader("x-amzn-RequestId"),
                server_timing(response.getheader("Server-Timing"), "lambda"),
            )

        return attempt

    def direct(self, function: str) -> Callable[[Call, None], Attempt]:
        handler = in_process_handler(self.stack, function)

        def prepare(call: Call, _: None) -> Attempt:
            event = call.event()

            def attempt() -> Answer:
                try:
                    return Answer(int(handler(event, LambdaContext())["statusCode"]))
                except Exception:  # a handler that raises: the gateway would answer 502
                    return Answer(HTTPStatus.BAD_GATEWAY)

            return attempt

        return prepare

    def connect(self, mode: str) -> Any:
        return http.client.HTTPConnection("127.0.0.1", self.stack.port) if mode == "HTTP" else None

    def gateway_latencies(self, request_ids: list[str]) -> list[float]:
        """The access log's `responseLatency` (ms) of each of these requests."""
        logged = {entry["requestId"]: entry for entry in self.stack.output.access_log()}
        return [float(logged[request_id]["responseLatency"]) for request_id in request_ids]


@dataclass
class Measurement:
    p50: float
    p99: float
    per_second: float | None
    unexpected: int
    overhead_p50: float | None = None
    overhead_p99: float | None = None
    request_ids: list[str] = field(default_factory=list)


def measure(
    route: Route,
    first_index: int,
    count: int,
    concurrency: int,
    prepare: Callable[[Call, Any], Attempt],
    connect: Callable[[], Any],
) -> Measurement:
    """`count` requests of `route` by `concurrency` workers; only the sending is timed."""
    indices = itertools.count(first_index)
    lock = threading.Lock()
    latencies: list[float] = []
    overheads: list[float] = []
    request_ids: list[str] = []
    unexpected = 0

    def worker(_: int) -> None:
        nonlocal unexpected
        connection = connect()
        for _ in range(count // concurrency):
            attempt = prepare(route.make_call(next(indices)), connection)
            started = time.perf_counter()
            answer = attempt()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                unexpected += answer.status != route.expected_status
                if answer.handler_ms is not None:
                    overheads.append(elapsed - answer.handler_ms)
                if answer.request_id is not None:
                    request_ids.append(answer.request_id)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, range(concurrency)))
    wall = time.perf_counter() - started
    return Measurement(
        percentile(latencies, 0.5),
        percentile(latencies, 0.99),
        len(latencies) / wall,
        unexpected,
        percentile(overheads, 0.5) if overheads else None,
        percentile(overheads, 0.99) if overheads else None,
        request_ids,
    )


def as_logged(bench: Bench, http: Measurement) -> Measurement:
    """The HTTP requests of `http` as the gateway's access log times them."""
    latencies = bench.gateway_latencies(http.request_ids)
    return Measurement(percentile(latencies, 0.5), percentile(latencies, 0.99), None, 0)


def report(stack: RunningStack) -> str:
    bench = Bench(stack)
    rows = []
    for route in bench.routes():
        progress(f"  {route.name}")
        route.make_call(0)  # whatever the route acts on is made before the clock starts
        first_index = 0
        preparers: dict[str, Callable[[Call, Any], Attempt]] = {
            "HTTP": bench.over_http,
            "direct": bench.direct(route.function),
        }
        for concurrency, count in REQUESTS.items():
            # One untimed request per connection first, so that every worker is warm.
            connect = partial(bench.connect, "HTTP")
            measure(route, first_index, concurrency, concurrency, bench.over_http, connect)
            first_index += concurrency
            results: dict[str, Measurement] = {}
            for mode in TIMED_MODES:
                results[mode] = measure(
                    route,
                    first_index,
                    count,
                    concurrency,
                    preparers[mode],
                    partial(bench.connect, mode),
                )
                first_index += count
            results["gateway"] = as_logged(bench, results["HTTP"])
            rows.append(_row(route, concurrency, results))
    return (
        "## Warm latency per route\n\n"
        f"{REQUESTS[1]} requests at concurrency 1 and {REQUESTS[8]} at 8 per route and mode, "
        "after one untimed request per connection; "
        "p50 / p99 in milliseconds, and requests per second. *HTTP*: keep-alive HTTP/1.1 to "
        "the local stack (`make run`, a subprocess). *gateway*: the same requests as the "
        "stack's access log times them (`responseLatency`, whole milliseconds: routing, cached "
        "authorizer policy, validation, proxy event, invocation in the function's warm worker "
        "process). *direct*: the handler imported into the bench's process and called with "
        "the event API Gateway would build. The handlers reach the emulated DynamoDB over "
        "HTTP in every mode, so their own time dominates and varies with the machine's load. "
        "*Emulation adds* is measured per request, paired: each HTTP answer's time less its "
        "handler's own run inside the worker, which the local stack sends in a local-only "
        "`Server-Timing: lambda;dur=` header (Lambda's REPORT `Duration` in AWS); so it "
        "includes the loopback HTTP hop and the event's and answer's trip over the worker's "
        "pipe. Target: under "
        f"{TARGET_ADDED_MS:.0f} ms at p50.\n\n"
        + table(
            [
                "route",
                "conc.",
                "HTTP",
                "gateway",
                "direct",
                "emulation adds p50 / p99",
                f"target < {TARGET_ADDED_MS:.0f} ms",
                "unexpected statuses",
            ],
            rows,
        )
    )


def _row(route: Route, concurrency: int, results: dict[str, Measurement]) -> list[object]:
    http = results["HTTP"]
    assert http.overhead_p50 is not None
    assert http.overhead_p99 is not None
    return [
        route.name,
        concurrency,
        *(_cell(results[mode]) for mode in MODES),
        f"{http.overhead_p50:.2f} / {http.overhead_p99:.2f}",
        verdict(http.overhead_p50 < TARGET_ADDED_MS),
        sum(result.unexpected for result in results.values()),
    ]


def _cell(result: Measurement) -> str:
    rate = "" if result.per_second is None else f" ({result.per_second:.0f}/s)"
    return f"{result.p50:.2f} / {result.p99:.2f}{rate}"
