"""GET /orders: newest first, a shopper's own orders or an admin's every order, each
listing (and each `?status=`) one Query on its own index."""

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import boto3
import pytest

from orders.repository import CognitoUserDirectory, DynamoDBOrderRepository
from shop_common.api import Handler, entrypoint
from shop_common.dynamodb import Table, python_typed
from tests.builders.callers import ADMIN, OTHER_SHOPPER, SHOPPER, Caller
from tests.builders.data import (
    BAD_ORDER_CURSORS,
    BAD_ORDER_QUERIES,
    as_json,
    as_returned,
    order_item,
    order_line,
    owned_by,
)
from tests.builders.events import response_json
from tests.builders.users import known_user_pool_id
from tests.service.orders.conftest import app_on, invoked_as
from tests.service.orders.support import (
    all_pages,
    change_status,
    error_fields,
    get_orders_page,
    next_cursor,
)


def seed(table: Any, *items: dict[str, Any]) -> list[dict[str, Any]]:
    with table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
    return list(items)


def orders_of(
    owner: Caller, count: int, first_minute: int = 0, **overrides: Any
) -> list[dict[str, Any]]:
    """`count` orders of `owner`, each a minute newer than the one before."""
    return [
        order_item(**owned_by(owner), created_at=f"2026-11-21T06:{minute:02d}:00Z", **overrides)
        for minute in range(first_minute, first_minute + count)
    ]


def ids(orders: list[dict[str, Any]]) -> list[str]:
    return [order["order_id"] for order in orders]


def newest_first(orders: list[dict[str, Any]]) -> list[str]:
    return ids(sorted(orders, key=lambda order: str(order["created_at"]), reverse=True))


def test_a_shopper_gets_only_their_own_orders_newest_first(
    get_orders: Handler, orders_table: Any
) -> None:
    alices = seed(orders_table, *orders_of(SHOPPER, 3))
    seed(orders_table, *orders_of(OTHER_SHOPPER, 2))

    response = get_orders_page(get_orders, SHOPPER)

    assert response["statusCode"] == HTTPStatus.OK
    assert ids(response_json(response)) == newest_first(alices)
    assert next_cursor(response) is None


def test_orders_are_returned_as_stored_with_prices_as_numbers(
    get_orders: Handler, orders_table: Any
) -> None:
    (order,) = seed(orders_table, order_item(**owned_by(SHOPPER)))

    (listed,) = response_json(get_orders_page(get_orders, SHOPPER))

    assert listed == as_json(as_returned(order))


def test_a_shopper_with_no_orders_gets_an_empty_list(
    get_orders: Handler, orders_table: Any
) -> None:
    seed(orders_table, *orders_of(OTHER_SHOPPER, 2))

    assert response_json(get_orders_page(get_orders, SHOPPER)) == []


def test_an_admin_gets_one_customers_orders_by_username(
    get_orders: Handler, orders_table: Any, users: Callable[[str], str]
) -> None:
    carol = Caller(username="carol", sub=users("carol"))
    carols = seed(orders_table, *orders_of(carol, 2))
    seed(orders_table, *orders_of(SHOPPER, 2))

    response = get_orders_page(get_orders, ADMIN, customer="carol")

    assert response["statusCode"] == HTTPStatus.OK
    assert ids(response_json(response)) == newest_first(carols)


def test_an_admin_gets_every_order_newest_first(get_orders: Handler, orders_table: Any) -> None:
    everyone = seed(orders_table, *orders_of(SHOPPER, 2), *orders_of(OTHER_SHOPPER, 3, 30))

    listed = response_json(get_orders_page(get_orders, ADMIN))

    assert ids(listed) == newest_first(everyone)


@pytest.mark.parametrize("caller", [SHOPPER, ADMIN], ids=["shopper", "admin"])
def test_the_status_filter_keeps_the_orders_in_that_status_newest_first(
    get_orders: Handler, orders_table: Any, caller: Caller
) -> None:
    shipped = seed(orders_table, *orders_of(SHOPPER, 2, status="shipped"))
    seed(orders_table, *orders_of(SHOPPER, 3, status="pending"))

    listed = response_json(get_orders_page(get_orders, caller, status="shipped"))

    assert ids(listed) == newest_first(shipped)


def test_a_status_change_moves_the_order_between_status_listings(
    get_orders: Handler, upsert_order: Handler, orders_table: Any
) -> None:
    # Given alice's pending order, shipped by the admin
    (order,) = seed(orders_table, order_item(**owned_by(SHOPPER)))
    assert change_status(upsert_order, order["order_id"], "shipped", ADMIN)["statusCode"] == 200

    # Then it is listed as shipped, no longer as pending, for her and for the admin
    for caller in (SHOPPER, ADMIN):
        assert ids(response_json(get_orders_page(get_orders, caller, status="shipped"))) == [
            order["order_id"]
        ]
        assert response_json(get_orders_page(get_orders, caller, status="pending")) == []


def test_a_shopper_pages_through_their_orders_newest_first(
    get_orders: Handler, orders_table: Any
) -> None:
    alices = seed(orders_table, *orders_of(SHOPPER, 7))
    seed(orders_table, *orders_of(OTHER_SHOPPER, 5))

    pages = all_pages(get_orders, SHOPPER, limit="3")

    assert [len(page) for page in pages] == [3, 3, 1]
    assert [order["order_id"] for page in pages for order in page] == newest_first(alices)


def test_an_admin_pages_through_every_order_once_newest_first(
    get_orders: Handler, orders_table: Any
) -> None:
    everyone = seed(orders_table, *orders_of(SHOPPER, 6), *orders_of(OTHER_SHOPPER, 4, 30))

    pages = all_pages(get_orders, ADMIN, limit="4")

    assert [len(page) for page in pages] == [4, 4, 2]
    assert [order["order_id"] for page in pages for order in page] == newest_first(everyone)


def test_orders_placed_in_the_same_second_are_each_listed_once(
    get_orders: Handler, orders_table: Any
) -> None:
    same_second = seed(orders_table, *(order_item() for _ in range(7)))

    pages = all_pages(get_orders, ADMIN, limit="2")

    assert sorted(order["order_id"] for page in pages for order in page) == sorted(ids(same_second))


def test_a_page_that_dynamodb_cuts_at_1_mb_goes_on_at_its_cursor(
    get_orders: Handler, orders_table: Any
) -> None:
    # Given 70 orders of 50 lines with long product names (about 17 KB each), more than
    # the 1 MB one Query returns
    lines = [order_line(product_name=f"{number:02d}{'x' * 198}") for number in range(50)]
    orders = seed(
        orders_table,
        *(
            order_item(*lines, created_at=f"2026-11-21T{6 + n // 60:02d}:{n % 60:02d}:00Z")
            for n in range(70)
        ),
    )

    # When the shopper asks for pages of 100
    pages = all_pages(get_orders, SHOPPER, limit="100")

    # Then the first page ends where DynamoDB stopped, and the next one goes on from there
    assert len(pages) > 1
    assert [order["order_id"] for page in pages for order in page] == newest_first(orders)


@pytest.mark.parametrize("caller", [SHOPPER, ADMIN], ids=["shopper", "admin"])
def test_a_status_listing_pages_without_short_pages(
    get_orders: Handler, orders_table: Any, caller: Caller
) -> None:
    shipped = seed(orders_table, *orders_of(SHOPPER, 5, status="shipped"))
    seed(orders_table, *orders_of(SHOPPER, 6, status="pending"))

    pages = all_pages(get_orders, caller, limit="2", status="shipped")

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [order["order_id"] for page in pages for order in page] == newest_first(shipped)


@pytest.mark.parametrize(("query", "field"), BAD_ORDER_QUERIES.values(), ids=BAD_ORDER_QUERIES)
def test_a_bad_query_is_a_400_naming_the_parameter(
    get_orders: Handler, query: dict[str, str], field: str
) -> None:
    response = get_orders_page(get_orders, SHOPPER, **query)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == [field]


@pytest.mark.parametrize("caller", [SHOPPER, ADMIN], ids=["shopper", "admin"])
@pytest.mark.parametrize("cursor", BAD_ORDER_CURSORS.values(), ids=BAD_ORDER_CURSORS.keys())
def test_a_cursor_not_issued_by_this_listing_is_a_400(
    get_orders: Handler, orders_table: Any, caller: Caller, cursor: str
) -> None:
    response = get_orders_page(get_orders, caller, cursor=cursor)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["cursor"]


def test_a_shopper_cannot_continue_from_somebody_elses_cursor(
    get_orders: Handler, orders_table: Any
) -> None:
    # Given a cursor into bob's orders
    seed(orders_table, *orders_of(OTHER_SHOPPER, 2))
    bobs_cursor = next_cursor(get_orders_page(get_orders, OTHER_SHOPPER, limit="1"))
    assert bobs_cursor is not None

    # When alice continues from it, then it is refused
    response = get_orders_page(get_orders, SHOPPER, cursor=bobs_cursor)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["cursor"]


@pytest.mark.parametrize(
    ("issued", "used"),
    [
        ((ADMIN, {}), (ADMIN, {"status": "pending"})),
        ((ADMIN, {"status": "pending"}), (ADMIN, {})),
        ((ADMIN, {"status": "pending"}), (ADMIN, {"status": "shipped"})),
        ((ADMIN, {}), (SHOPPER, {})),
        ((SHOPPER, {}), (ADMIN, {})),
        ((SHOPPER, {}), (SHOPPER, {"status": "pending"})),
    ],
    ids=[
        "admin's all -> admin's pending",
        "admin's pending -> admin's all",
        "admin's pending -> admin's shipped",
        "admin's -> shopper's",
        "shopper's -> admin's",
        "shopper's all -> shopper's pending",
    ],
)
def test_a_cursor_from_one_listing_is_a_400_in_another(
    get_orders: Handler,
    orders_table: Any,
    issued: tuple[Caller, dict[str, str]],
    used: tuple[Caller, dict[str, str]],
) -> None:
    seed(orders_table, *orders_of(SHOPPER, 3))
    cursor = next_cursor(get_orders_page(get_orders, issued[0], limit="1", **issued[1]))
    assert cursor is not None

    response = get_orders_page(get_orders, used[0], cursor=cursor, **used[1])

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["cursor"]


def test_without_a_caller_it_is_a_401(get_orders: Handler) -> None:
    assert get_orders_page(get_orders, caller=None)["statusCode"] == HTTPStatus.UNAUTHORIZED


class ReadCounter:
    """Adds up the Query and Scan calls and what DynamoDB says each read (`ScannedCount`),
    through botocore's event system on the client the repository uses."""

    def __init__(self, client: Any) -> None:
        self.scanned = {"Query": 0, "Scan": 0}
        self.calls = {"Query": 0, "Scan": 0}
        events = client.meta.events
        for operation in self.scanned:
            events.register(f"after-call.dynamodb.{operation}", self._count)

    def _count(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        self.scanned[model.name] += parsed.get("ScannedCount", 0)
        self.calls[model.name] += 1


@pytest.fixture
def counted_get_orders(orders_table: Any, products_table: Any) -> tuple[Handler, ReadCounter]:
    """GET /orders on a table whose reads are counted."""
    orders = Table(orders_table.name, python_typed(boto3.client("dynamodb")))
    counter = ReadCounter(orders.client)
    repository = DynamoDBOrderRepository(orders, Table(products_table.name))
    app = app_on("GetOrdersFunction", repository, CognitoUserDirectory(known_user_pool_id()))
    return invoked_as("GetOrdersFunction", entrypoint(app)), counter


LISTINGS = {
    "shopper": (SHOPPER, {}),
    "shopper, shipped": (SHOPPER, {"status": "shipped"}),
    "admin": (ADMIN, {}),
    "admin, shipped": (ADMIN, {"status": "shipped"}),
}


@pytest.mark.parametrize("limit", [50, 2])
@pytest.mark.parametrize("listing", LISTINGS)
def test_a_page_reads_at_most_one_item_more_than_it_returns_in_one_query(
    counted_get_orders: tuple[Handler, ReadCounter], orders_table: Any, limit: int, listing: str
) -> None:
    # Given 1,000 pending orders of 100 other users, 5 of alice's shipped and 5 pending
    seed(
        orders_table,
        *(order_item(owner_sub=f"sub-{n % 100}", username=f"user-{n % 100}") for n in range(1000)),
        *orders_of(SHOPPER, 5, status="shipped"),
        *orders_of(SHOPPER, 5),
    )
    handler, counter = counted_get_orders
    caller, query = LISTINGS[listing]

    # When the first page of the listing is read
    response = get_orders_page(handler, caller, limit=str(limit), **query)

    # Then DynamoDB read the page and at most one more item, in one Query and no Scan
    returned = len(response_json(response))
    assert returned == min(limit, {"shopper": 10, "admin": 1010}.get(listing, 5))
    assert counter.calls == {"Query": 1, "Scan": 0}
    assert counter.scanned["Query"] <= returned + 1
