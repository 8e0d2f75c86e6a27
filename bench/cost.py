"""What a request costs: the DynamoDB read and write units each route consumes, and a price
per million requests at on-demand prices (API Gateway REST, Lambda, DynamoDB).

moto answers `ReturnConsumedCapacity` with a fixed figure per call, whatever the items'
sizes, so the units are computed here from the items each call reads and writes, by
DynamoDB's published rules: a read unit per 4 KB read (half for an eventually consistent
read; a Query rounds the sum of its items up once), a write unit per 1 KB written, in the
table and again in every global secondary index whose item is added, changed or removed
(an index key that changes is a delete and a put). The items' sizes follow DynamoDB's
sizing (attribute names + values; numbers by significant digits). Each write's item is
read before and after the call with a separate client, which is not counted.
"""

import json
import math
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

import boto3

from bench.common import User, admin_user, in_process_handler, shopper_user, table
from stacks.templates import SERVICE_TEMPLATES, bootstrap_tables, load_template
from tests.builders.data import order_request
from tests.builders.events import LambdaContext, api_event
from tests.e2e.stack import RunningStack

CALLS_PER_ROUTE = 20
PRICES_DATE = "2025-01"
PRICES_REGION = "us-east-1"
# US dollars, list prices for PRICES_REGION as AWS published them at PRICES_DATE (copied by
# hand: this run has no internet). DynamoDB on-demand after the November 2024 reduction.
API_GATEWAY_REST_PER_MILLION = Decimal("3.50")  # first 333 million requests a month
LAMBDA_PER_MILLION_REQUESTS = Decimal("0.20")
LAMBDA_PER_GB_SECOND = Decimal("0.0000166667")  # x86_64, first 6 billion GB-s a month
DYNAMODB_PER_MILLION_READ_UNITS = Decimal("0.125")
DYNAMODB_PER_MILLION_WRITE_UNITS = Decimal("0.625")

_READS = {"GetItem", "Query", "Scan"}
_WRITES = {"PutItem", "UpdateItem", "DeleteItem"}


@dataclass
class Units:
    read: float = 0.0
    write: float = 0.0
    calls: list[str] = field(default_factory=list)


class CapacityMeter:
    """Counts the units of every DynamoDB call the handlers' clients make (through boto3's
    default session, so install it before they create their clients)."""

    def __init__(self, session: Any) -> None:
        self.units = Units()
        self.active = False  # only while the cost section runs: peeking slows every write
        self._tables = _bootstrap_keys()
        session.events.register("before-call.dynamodb", self._before_call)
        session.events.register("after-call.dynamodb", self._after_call)

    @cached_property
    def _peek(self) -> Any:
        """A client of its own (its calls are not counted), made once the stack is up."""
        return boto3.session.Session().client("dynamodb")

    def reset(self) -> Units:
        taken, self.units = self.units, Units()
        return taken

    def _before_call(self, params: dict[str, Any], model: Any, context: Any, **_: Any) -> None:
        if self.active and model.name in _WRITES:
            request = json.loads(params["body"])
            context["bench_request"] = request
            context["bench_before"] = self._item(request)

    def _after_call(self, http_response: Any, model: Any, context: Any, **_: Any) -> None:
        if not self.active or model.name not in _READS | _WRITES:
            return
        if http_response.status_code != 200:
            return
        self.units.calls.append(model.name)
        if model.name in _READS:
            body = json.loads(http_response.content)
            items = body.get("Items") or ([body["Item"]] if "Item" in body else [])
            request_consistent = model.name == "GetItem"  # the services read orders strongly
            self.units.read += read_units(items, consistent=request_consistent)
            return
        request = context["bench_request"]
        before, after = context["bench_before"], self._item(request)
        index_keys = self._keys(request["TableName"])[1]
        self.units.write += write_units(before, after, index_keys)

    def _item(self, request: Mapping[str, Any]) -> dict[str, Any] | None:
        key_names = self._keys(request["TableName"])[0]
        key = request.get("Key") or {name: request["Item"][name] for name in key_names}
        found = self._peek.get_item(TableName=request["TableName"], Key=key, ConsistentRead=True)
        item: dict[str, Any] | None = found.get("Item")
        return item

    def _keys(self, table_name: str) -> "TableKeys":
        (keys,) = [keys for suffix, keys in self._tables.items() if table_name.endswith(suffix)]
        return keys


type TableKeys = tuple[tuple[str, ...], list[tuple[str, ...]]]


def _bootstrap_keys() -> dict[str, TableKeys]:
    """Per bootstrap table (its physical name ends with `-<LogicalId>` locally): its key
    attributes, and those of each of its global secondary indexes."""
    found = {}
    for logical_id, spec in bootstrap_tables().items():
        request = spec.create_table_request("x")
        found[f"-{logical_id}"] = (
            tuple(key["AttributeName"] for key in request["KeySchema"]),
            [
                tuple(key["AttributeName"] for key in index["KeySchema"])
                for index in request.get("GlobalSecondaryIndexes", [])
            ],
        )
    return found


def item_size(item: Mapping[str, Any]) -> int:
    """Bytes, as DynamoDB sizes an item (attribute names and values, in wire format)."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: Mapping[str, Any]) -> int:
    (kind, content), *_ = value.items()
    if kind in {"S", "B"}:
        return len(str(content).encode())
    if kind == "N":
        digits = str(content).lstrip("-").replace(".", "").strip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind in {"BOOL", "NULL"}:
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + _value_size(v) + 1 for k, v in content.items())
    if kind == "L":
        return 3 + sum(_value_size(v) + 1 for v in content)
    return sum(len(str(member).encode()) for member in content)  # sets


def read_units(items: list[Mapping[str, Any]], *, consistent: bool) -> float:
    blocks = max(1, math.ceil(sum(item_size(item) for item in items) / 4096))
    return blocks * (1.0 if consistent else 0.5)


def write_units(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    index_keys: list[tuple[str, ...]],
) -> float:
    sizes = [item_size(item) for item in (before, after) if item is not None]
    units = float(max(1, math.ceil(max(sizes, default=0) / 1024)))
    for keys in index_keys:
        units += _index_write_units(before, after, keys)
    return units


def _index_write_units(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, keys: tuple[str, ...]
) -> float:
    def key_of(item: Mapping[str, Any] | None) -> tuple[Any, ...] | None:
        if item is None or not all(name in item for name in keys):
            return None
        return tuple(json.dumps(item[name], sort_keys=True) for name in keys)

    def units(item: Mapping[str, Any]) -> int:
        return max(1, math.ceil(item_size(item) / 1024))

    old, new = key_of(before), key_of(after)
    if (old is None and new is None) or before == after:
        return 0.0
    if old == new:
        assert after is not None
        return float(units(after))
    return float((units(before) if old and before else 0) + (units(after) if new and after else 0))


@dataclass(frozen=True)
class Route:
    name: str
    function: str
    expected: int
    request: Callable[[int], "Request"]


type Request = tuple[str, str, User, dict[str, Any]]


def report(stack: RunningStack, meter: CapacityMeter) -> str:
    meter.active = True
    try:
        return _measure(stack, meter)
    finally:
        meter.active = False


def _measure(stack: RunningStack, meter: CapacityMeter) -> str:
    admin, shopper = admin_user(stack), shopper_user(stack, "cost-shopper")
    handler = _handlers(stack)
    product_id = _call(
        handler,
        "UpsertProductFunction",
        "POST",
        "/product",
        admin,
        body={"name": "Cost kettle", "price": 12},
    )["product_id"]

    def place(_: int) -> str:
        placed = _call(
            handler,
            "UpsertOrderFunction",
            "POST",
            "/order",
            shopper,
            body=order_request(product_id, quantity=1),
        )
        return str(placed["order_id"])

    for number in range(60):
        place(number)
    to_ship = [place(number) for number in range(CALLS_PER_ROUTE)]
    to_delete = [place(number) for number in range(CALLS_PER_ROUTE)]
    products_to_delete = [
        _call(
            handler,
            "UpsertProductFunction",
            "POST",
            "/product",
            admin,
            body={"name": f"Spare {number}", "price": 3},
        )["product_id"]
        for number in range(CALLS_PER_ROUTE)
    ]
    one_kettle = order_request(product_id, quantity=1)
    routes: list[Route] = [
        Route(
            "GET /orders (shopper, 50)",
            "GetOrdersFunction",
            200,
            lambda i: ("GET", "/orders", shopper, {"query": {"limit": "50"}}),
        ),
        Route(
            "GET /orders (admin, 50)",
            "GetOrdersFunction",
            200,
            lambda i: ("GET", "/orders", admin, {"query": {"limit": "50"}}),
        ),
        Route(
            "GET /orders?status=pending (admin, 50)",
            "GetOrdersFunction",
            200,
            lambda i: ("GET", "/orders", admin, {"query": {"limit": "50", "status": "pending"}}),
        ),
        Route(
            "POST /order (place)",
            "UpsertOrderFunction",
            201,
            lambda i: ("POST", "/order", shopper, {"body": one_kettle}),
        ),
        Route(
            "POST /order (place, Idempotency-Key)",
            "UpsertOrderFunction",
            201,
            lambda i: (
                "POST",
                "/order",
                shopper,
                {"body": one_kettle, "headers": {"Idempotency-Key": f"cost-{time.time_ns()}"}},
            ),
        ),
        Route(
            "POST /order (ship)",
            "UpsertOrderFunction",
            200,
            lambda i: (
                "POST",
                "/order",
                admin,
                {"body": {"order_id": to_ship[i], "status": "shipped"}},
            ),
        ),
        Route(
            "DELETE /order/{id}",
            "DeleteOrderFunction",
            204,
            lambda i: ("DELETE", "/order/{order_id}", admin, {"path": {"order_id": to_delete[i]}}),
        ),
        Route(
            "GET /products (50)",
            "GetProductsFunction",
            200,
            lambda i: ("GET", "/products", shopper, {"query": {"limit": "50"}}),
        ),
        Route(
            "POST /product (create)",
            "UpsertProductFunction",
            201,
            lambda i: ("POST", "/product", admin, {"body": {"name": f"Cost {i}", "price": 4}}),
        ),
        Route(
            "DELETE /product/{id}",
            "DeleteProductFunction",
            204,
            lambda i: (
                "DELETE",
                "/product/{product_id}",
                admin,
                {"path": {"product_id": products_to_delete[i]}},
            ),
        ),
    ]
    memory_mb = _memory_mb()
    rows = []
    for route in routes:
        reads, writes, durations = [], [], []
        for number in range(CALLS_PER_ROUTE):
            method, path, user, parts = route.request(number)
            meter.reset()
            started = time.perf_counter()
            result = handler[route.function](_event(method, path, user, parts), LambdaContext())
            durations.append((time.perf_counter() - started) * 1000)
            units = meter.reset()
            assert result["statusCode"] == route.expected, (route.name, result["body"])
            reads.append(units.read)
            writes.append(units.write)
        rows.append(
            _row(
                route.name,
                statistics.mean(reads),
                statistics.mean(writes),
                statistics.median(durations),
                memory_mb[route.function],
            )
        )
    return _section(rows)


def _row(name: str, read: float, write: float, duration_ms: float, memory_mb: int) -> list[object]:
    billed_ms = math.ceil(duration_ms)
    lambda_cost = (
        LAMBDA_PER_MILLION_REQUESTS
        + Decimal(memory_mb) / 1024 * Decimal(billed_ms) / 1000 * LAMBDA_PER_GB_SECOND * 1_000_000
    )
    dynamodb_cost = (
        Decimal(str(read)) * DYNAMODB_PER_MILLION_READ_UNITS
        + Decimal(str(write)) * DYNAMODB_PER_MILLION_WRITE_UNITS
    )
    total = API_GATEWAY_REST_PER_MILLION + lambda_cost + dynamodb_cost
    return [
        name,
        f"{read:g}",
        f"{write:g}",
        f"{billed_ms} ms x {memory_mb} MB",
        f"${API_GATEWAY_REST_PER_MILLION:.2f}",
        f"${lambda_cost:.2f}",
        f"${dynamodb_cost:.2f}",
        f"**${total:.2f}**",
    ]


def _section(rows: list[list[object]]) -> str:
    return (
        "## What a request costs\n\n"
        f"Each route called {CALLS_PER_ROUTE} times, warm, on the handler directly. Read and "
        "write units: mean per request, **computed from item sizes** (moto's "
        "`ReturnConsumedCapacity` is a fixed figure per call, not the items' sizes): a read "
        "unit per 4 KB (half when eventually consistent, a Query rounding its items' total "
        "once), a write unit per 1 KB in the table and in each index whose item is written "
        "(an index key change is a delete and a put). Lambda: the template's memory and the "
        "median handler duration on this machine, rounded up to the millisecond (against "
        "the emulator over HTTP: slower than DynamoDB in AWS, so an upper bound). Cost per "
        "million requests in US dollars, at on-demand list prices for "
        f"{PRICES_REGION} as of {PRICES_DATE}: API Gateway REST ${API_GATEWAY_REST_PER_MILLION}"
        f" per million; Lambda ${LAMBDA_PER_MILLION_REQUESTS} per million requests + "
        f"${LAMBDA_PER_GB_SECOND} per GB-second (x86_64); DynamoDB on-demand "
        f"${DYNAMODB_PER_MILLION_READ_UNITS} per million read units and "
        f"${DYNAMODB_PER_MILLION_WRITE_UNITS} per million write units. Left out: the "
        "authorizer (its policy is cached 60 s per token), CloudWatch logs and metrics, X-Ray, "
        "data transfer, free tiers.\n\n"
        + table(
            [
                "route",
                "read units",
                "write units",
                "Lambda",
                "API Gateway",
                "Lambda $",
                "DynamoDB $",
                "per million requests",
            ],
            rows,
        )
    )


def _handlers(stack: RunningStack) -> dict[str, Any]:
    names = (
        "GetOrdersFunction",
        "UpsertOrderFunction",
        "DeleteOrderFunction",
        "GetProductsFunction",
        "UpsertProductFunction",
        "DeleteProductFunction",
    )
    return {name: in_process_handler(stack, name) for name in names}


def _memory_mb() -> dict[str, int]:
    memory = {}
    for path in SERVICE_TEMPLATES.values():
        template = load_template(path)
        default = template.get("Globals", {}).get("Function", {}).get("MemorySize", 128)
        for logical_id, resource in template["Resources"].items():
            if resource["Type"] == "AWS::Serverless::Function":
                memory[logical_id] = int(resource["Properties"].get("MemorySize", default))
    return memory


def _event(method: str, path: str, user: User, parts: dict[str, Any]) -> dict[str, Any]:
    return api_event(
        method,
        path,
        caller=user.caller,
        body=parts.get("body"),
        query=parts.get("query"),
        headers=parts.get("headers"),
        path_parameters=parts.get("path"),
    )


def _call(
    handler: dict[str, Any], function: str, method: str, path: str, user: User, **parts: Any
) -> dict[str, Any]:
    result = handler[function](_event(method, path, user, parts), LambdaContext())
    assert result["statusCode"] in (200, 201), result["body"]
    body: dict[str, Any] = json.loads(result["body"])
    return body
