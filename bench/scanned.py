"""Items DynamoDB reads (`ScannedCount`) for one shopper's `GET /orders`, as the table fills
with other users' orders: a Query on the `ByUsername` index reads only the shopper's."""

import json
from typing import Any

import boto3

from bench.common import User, in_process_handler, shopper_user, table, verdict
from local.shop import LocalShop
from tests.builders.data import order_item
from tests.builders.events import LambdaContext, api_event

SIZES = (10, 1_000, 10_000)
SHOPPER_ORDERS = 5


class ScanCounter:
    """Adds up `ScannedCount` of every Query and Scan the handlers' boto3 clients make."""

    def __init__(self) -> None:
        self.scanned = 0
        self.calls = 0

    def __call__(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in {"Query", "Scan"}:
            self.scanned += int(parsed.get("ScannedCount", 0))
            self.calls += 1


def install_counter() -> ScanCounter:
    """Count through boto3's default session: call before the handlers create their clients."""
    counter = ScanCounter()
    boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None
    session.events.register("after-call.dynamodb", counter)
    return counter


def report(shop: LocalShop, counter: ScanCounter) -> str:
    shopper = shopper_user(shop, "scan-shopper")
    orders = str(shop.cloud.exports[shop.cloud.export_name("OrdersTableName")])
    table_resource = boto3.resource("dynamodb").Table(orders)
    with table_resource.batch_writer() as batch:
        for _ in range(SHOPPER_ORDERS):
            batch.put_item(Item=order_item(username=shopper.caller.username))
    others = 0
    rows = []
    for size in SIZES:
        with table_resource.batch_writer() as batch:
            for index in range(others, size):
                batch.put_item(Item=order_item(username=f"other-{index % 500}"))
        others = size
        returned, scanned, calls = _list_orders(shop, shopper, counter)
        rows.append([f"{size:,}", returned, scanned, calls, verdict(scanned == returned)])
    return (
        "## Items read per request\n\n"
        f"A shopper with {SHOPPER_ORDERS} orders lists them (`GET /orders`, GetOrders handler) "
        "while the Orders table holds more and more orders of other users. `ScannedCount` is "
        "summed over the handler's DynamoDB calls. Target: the same at every size (only the "
        "shopper's orders are read).\n\n"
        + table(
            [
                "other users' orders",
                "orders returned",
                "ScannedCount",
                "DynamoDB calls",
                "target: = returned",
            ],
            rows,
        )
    )


def _list_orders(shop: LocalShop, shopper: User, counter: ScanCounter) -> tuple[int, int, int]:
    handler = in_process_handler(shop, "GetOrdersFunction")
    counter.scanned = counter.calls = 0
    result = handler(api_event("GET", "/orders", caller=shopper.caller), LambdaContext())
    return len(json.loads(result["body"])), counter.scanned, counter.calls
