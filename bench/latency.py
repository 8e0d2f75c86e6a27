"""Warm latency per route, at concurrency 1 and 8, in three ways on the same in-process stack:

- *HTTP*: a keep-alive HTTP/1.1 client to the local server (transport + gateway + handler);
- *gateway*: the gateway emulation called in-process with the same request (routing, the
  cached authorizer policy, validation, the proxy event, the invocation, the access log);
- *direct*: the handler imported into this process and called with the event API Gateway
  would build.

What the emulation adds is measured per request, paired: each gateway answer's time less the
handler's own run inside its worker process (the target: under 1 ms at p50); *HTTP -
gateway* is what the loopback HTTP hop adds. The stage's throttle is raised for the run
(`--parameter-overrides`), or it would answer 429.
"""

import http.client
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any
from uuid import uuid4

from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder

from bench.common import (
    User,
    admin_user,
    function_arn,
    in_process_handler,
    percentile,
    progress,
    shopper_user,
    table,
    verdict,
)
from local.lambda_.functions import Function, Invocation
from local.shop import LocalShop, Options
from tests.builders.data import order_request
from tests.builders.events import LambdaContext, api_event

REQUESTS = {1: 100, 8: 200}
MODES = ("HTTP", "gateway", "direct")
TARGET_ADDED_MS = 1.0
UNTHROTTLED = {"ThrottlingRateLimit": "1000000", "ThrottlingBurstLimit": "1000000"}
ITEMS_PER_ROUTE = len(MODES) * sum(REQUESTS.values())

# One prepared request: sends it, returns the status and, through the gateway, the time the
# emulation itself took (the whole answer less the handler's own run).
Attempt = Callable[[], tuple[int, float | None]]


def options() -> Options:
    return Options(port=0, parameter_overrides=UNTHROTTLED)


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

    def __init__(self, shop: LocalShop) -> None:
        self.shop = shop
        self.admin = admin_user(shop)
        self.shopper = shopper_user(shop, "bench-shopper")
        self.stage = shop.gateway.api.stage

    def invoke(self, function: str, call: Call) -> Any:
        worker = self.shop.functions[function_arn(self.shop, function)]
        result = worker.invoke(call.event(), str(uuid4())).result
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

    # ------------------------------------------------------------------ the three modes
    def over_http(self, call: Call, connection: http.client.HTTPConnection) -> Attempt:
        target = f"/{self.stage}{call.path}" + (f"?{call.query_string}" if call.query else "")
        data, headers = call.data, call.headers

        def attempt() -> tuple[int, None]:
            connection.request(call.method, target, body=data, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status, None

        return attempt

    def through_gateway(self, handler_times: "HandlerTimes") -> Callable[[Call, None], Attempt]:
        def prepare(call: Call, _: None) -> Attempt:
            request = EnvironBuilder(
                method=call.method,
                path=f"/{self.stage}{call.path}",
                query_string=call.query_string,
                headers=Headers(call.headers),
                data=call.data,
            ).get_request()

            def attempt() -> tuple[int, float]:
                started = time.perf_counter()
                response = self.shop.gateway.handle(request, call.path)
                total = (time.perf_counter() - started) * 1000
                return response.status_code, total - handler_times.pop(
                    response.headers["x-amzn-RequestId"]
                )

            return attempt

        return prepare

    def direct(self, function: str) -> Callable[[Call, None], Attempt]:
        handler = in_process_handler(self.shop, function)

        def prepare(call: Call, _: None) -> Attempt:
            event = call.event()
            return lambda: (int(handler(event, LambdaContext())["statusCode"]), None)

        return prepare

    @contextmanager
    def timed_handler(self, function: str) -> Iterator["HandlerTimes"]:
        """While inside, the function notes how long its handler ran in each invocation."""
        arn = function_arn(self.shop, function)
        original = self.shop.functions[arn]
        times = HandlerTimes(original)
        self.shop.functions[arn] = times  # type: ignore[assignment]  # the gateway's view
        try:
            yield times
        finally:
            self.shop.functions[arn] = original

    def connect(self, mode: str) -> Any:
        return (
            http.client.HTTPConnection("127.0.0.1", self.shop.server.port)
            if mode == "HTTP"
            else None
        )


class HandlerTimes:
    """A function that notes its handler's run (inside the worker) by API Gateway request id."""

    def __init__(self, function: Function) -> None:
        self._function = function
        self._times: dict[str, float] = {}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._function.name

    def invoke(self, event: dict[str, Any], request_id: str) -> Invocation:
        invocation = self._function.invoke(event, request_id)
        with self._lock:
            self._times[event["requestContext"]["requestId"]] = invocation.handler_ms
        return invocation

    def pop(self, request_id: str) -> float:
        with self._lock:
            return self._times.pop(request_id)


@dataclass(frozen=True)
class Measurement:
    p50: float
    p99: float
    per_second: float
    unexpected: int
    overhead_p50: float | None
    overhead_p99: float | None


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
    unexpected = 0

    def worker(_: int) -> None:
        nonlocal unexpected
        connection = connect()
        for _ in range(count // concurrency):
            attempt = prepare(route.make_call(next(indices)), connection)
            started = time.perf_counter()
            status, overhead = attempt()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                unexpected += status != route.expected_status
                if overhead is not None:
                    overheads.append(overhead)

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
    )


def report(shop: LocalShop) -> str:
    bench = Bench(shop)
    rows = []
    for route in bench.routes():
        progress(f"  {route.name}")
        route.make_call(0)  # whatever the route acts on is made before the clock starts
        first_index = 0
        direct = bench.direct(route.function)
        with bench.timed_handler(route.function) as handler_times:
            preparers: dict[str, Callable[[Call, Any], Attempt]] = {
                "HTTP": bench.over_http,
                "gateway": bench.through_gateway(handler_times),
                "direct": direct,
            }
            for concurrency, count in REQUESTS.items():
                results: dict[str, Measurement] = {}
                for mode in MODES:
                    results[mode] = measure(
                        route,
                        first_index,
                        count,
                        concurrency,
                        preparers[mode],
                        partial(bench.connect, mode),
                    )
                    first_index += count
                rows.append(_row(route, concurrency, results))
    return (
        "## Warm latency per route\n\n"
        f"{REQUESTS[1]} requests at concurrency 1 and {REQUESTS[8]} at 8 per route and mode; "
        "p50 / p99 in milliseconds, and requests per second. *HTTP*: keep-alive HTTP/1.1 to "
        "the local server, the client in the same process. *gateway*: the gateway emulation "
        "called in-process (routing, cached authorizer policy, validation, proxy event, "
        "invocation in the function's warm worker process, access log). *direct*: the handler "
        "imported into the bench's process and called with the event API Gateway would build. "
        "The handlers reach the emulated DynamoDB over HTTP in every mode, so their own time "
        "dominates and varies with the machine's load. *Emulation adds* is measured per "
        "request, paired: each gateway answer's time less its handler's own run inside the "
        "worker (so it includes the event's and answer's trip over the worker's pipe). "
        "Target: under "
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
    gateway = results["gateway"]
    assert gateway.overhead_p50 is not None
    assert gateway.overhead_p99 is not None
    return [
        route.name,
        concurrency,
        *(_cell(results[mode]) for mode in MODES),
        f"{gateway.overhead_p50:.2f} / {gateway.overhead_p99:.2f}",
        verdict(gateway.overhead_p50 < TARGET_ADDED_MS),
        sum(result.unexpected for result in results.values()),
    ]


def _cell(result: Measurement) -> str:
    return f"{result.p50:.2f} / {result.p99:.2f} ({result.per_second:.0f}/s)"
