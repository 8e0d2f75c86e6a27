"""Items DynamoDB reads (`ScannedCount`, summed over the calls) for one page of each order
listing, as the Orders table grows to 1,000, 10,000 and 100,000 orders written straight to
the emulator in batches. Each listing is a Query on its own index partition, so a page
should read at most its size + 1 whatever the table holds."""

import importlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3

from bench.common import (
    User,
    admin_user,
    in_process_handler,
    patient_tables,
    progress,
    shopper_user,
    table,
    verdict,
)
from tests.builders.data import order_item, owned_by
from tests.e2e.stack import RunningStack

SIZES = (1_000, 10_000, 100_000)
PAGE = 50
OTHER_OWNERS = 1_000
SHOPPER_ORDERS = 300  # a fifth of them shipped: more than a page
RARE_STATUS = "delivered"  # 1 % of the other orders; the rest are pending


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


def report(
    stack: RunningStack,
    counter: ScanCounter,
    at_each_size: Callable[[int, User, User], None] = lambda size, admin, shopper: None,
) -> str:
    """The table; `at_each_size(size, admin, shopper)` runs once the table holds `size`."""
    admin = admin_user(stack)
    shopper = shopper_user(stack, "scan-shopper")
    listings = {
        "admin, newest first": (admin, {}),
        f"admin, ?status={RARE_STATUS} (1 % match)": (admin, {"status": RARE_STATUS}),
        "shopper, newest first": (shopper, {}),
        "shopper, ?status=shipped": (shopper, {"status": "shipped"}),
    }
    orders_table = boto3.resource("dynamodb").Table(stack.table_name("OrdersTable"))
    _write(orders_table, _shoppers_orders(shopper))
    written = 0
    rows = []
    for size in SIZES:
        started = time.perf_counter()
        _write(orders_table, _other_orders(written, size))
        progress(f"  {size:,} orders written in {time.perf_counter() - started:.0f} s")
        written = size
        for name, (user, query) in listings.items():
            returned, scanned, calls = _first_page(stack, user, query, counter)
            met = scanned <= PAGE + 1 and calls <= 2
            rows.append([f"{size:,}", name, returned, scanned, calls, verdict(met)])
        at_each_size(size, admin, shopper)
    return (
        "## Items read per page of each order listing\n\n"
        f"`GET /orders?limit={PAGE}` (the GetOrders function's logic and repository, first "
        "page) while the Orders table "
        f"holds 1,000, 10,000 and 100,000 orders of {OTHER_OWNERS:,} other users (1 % "
        f"`{RARE_STATUS}`, the rest `pending`, batch-written straight to the emulator), plus "
        f"the shopper's {SHOPPER_ORDERS} (a fifth `shipped`). `ScannedCount` is summed over "
        "the handler's DynamoDB calls. Target: at most the page size + 1, in at most two "
        "calls, at every size.\n\n"
        + table(
            [
                "orders in the table",
                "listing",
                "orders returned",
                "ScannedCount",
                "DynamoDB calls",
                f"target: <= {PAGE + 1} in <= 2 calls",
            ],
            rows,
        )
    )


def _shoppers_orders(shopper: User) -> Iterator[dict[str, Any]]:
    for number in range(SHOPPER_ORDERS):
        status = "shipped" if number % 5 == 0 else "pending"
        yield order_item(
            **owned_by(shopper.caller), status=status, created_at=_timestamp(number * 7)
        )


def _other_orders(start: int, end: int) -> Iterator[dict[str, Any]]:
    for number in range(start, end):
        owner = number % OTHER_OWNERS
        yield order_item(
            owner_sub=f"bench-owner-{owner}",
            username=f"owner-{owner}",
            status=RARE_STATUS if number % 100 == 0 else "pending",
            created_at=_timestamp(number),
        )


def _timestamp(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_767_225_600 + seconds))


def _write(orders_table: Any, items: Iterator[dict[str, Any]]) -> None:
    with orders_table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)


def _first_page(
    stack: RunningStack, user: User, query: dict[str, str], counter: ScanCounter
) -> tuple[int, int, int]:
    """The first page of a listing, read by the GetOrders function's own logic and
    repository on patient tables (100,000 orders)."""
    in_process_handler(stack, "GetOrdersFunction")  # its code (and the layer's) on the path
    logic = importlib.import_module("orders.logic")
    models = importlib.import_module("orders.models")
    repositories = importlib.import_module("orders.repository")
    repository = repositories.DynamoDBOrderRepository(
        *patient_tables(stack.table_name("OrdersTable"), stack.table_name("ProductsTable"))
    )
    users = repositories.CognitoUserDirectory(stack.config["userPoolId"])  # for ?customer=
    counter.scanned = counter.calls = 0
    query_model = models.OrderListQuery.model_validate({"limit": PAGE, **query})
    listing = logic.list_orders(user.caller, query_model, repository, users)
    return len(listing.orders), counter.scanned, counter.calls
