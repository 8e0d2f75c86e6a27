"""GET /orders: a shopper's own orders newest first (a Query), an admin's every order."""

from http import HTTPStatus
from typing import Any

import pytest

from orders.models import OrderCursor, OwnerOrderCursor
from orders.repository import DynamoDBOrderRepository
from shop_common.api import Handler, entrypoint
from shop_common.pagination import encode_cursor
from tests.builders.callers import ADMIN, OTHER_SHOPPER, SHOPPER, Caller
from tests.builders.data import BAD_ORDER_CURSORS, BAD_ORDER_QUERIES, order_item, owned_by
from tests.builders.events import response_json
from tests.service.orders.conftest import handler_module, invoked_as
from tests.service.orders.support import (
    all_pages,
    error_fields,
    get_orders_page,
    next_cursor,
)


def seed(table: Any, *items: dict[str, Any]) -> list[dict[str, Any]]:
    with table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
    return list(items)


def orders_of(owner: Caller, count: int, **overrides: Any) -> list[dict[str, Any]]:
    """`count` orders of `owner`, each a minute newer than the one before."""
    return [
        order_item(**owned_by(owner), created_at=f"2026-11-21T06:{minute:02d}:00Z", **overrides)
        for minute in range(count)
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

    assert listed == {**order, "unit_price": 24.99, "total_price": 49.98}


def test_a_shopper_with_no_orders_gets_an_empty_list(
    get_orders: Handler, orders_table: Any
) -> None:
    seed(orders_table, *orders_of(OTHER_SHOPPER, 2))

    assert response_json(get_orders_page(get_orders, SHOPPER)) == []


def test_an_admin_gets_every_order(get_orders: Handler, orders_table: Any) -> None:
    everyone = seed(orders_table, *orders_of(SHOPPER, 2), *orders_of(OTHER_SHOPPER, 2))

    listed = response_json(get_orders_page(get_orders, ADMIN))

    assert sorted(ids(listed)) == sorted(ids(everyone))


@pytest.mark.parametrize("caller", [SHOPPER, ADMIN], ids=["shopper", "admin"])
def test_the_status_filter_keeps_the_orders_in_that_status(
    get_orders: Handler, orders_table: Any, caller: Caller
) -> None:
    shipped = seed(orders_table, *orders_of(SHOPPER, 2, status="shipped"))
    seed(orders_table, *orders_of(SHOPPER, 3, status="pending"))

    listed = response_json(get_orders_page(get_orders, caller, status="shipped"))

    assert sorted(ids(listed)) == sorted(ids(shipped))


def test_a_shopper_pages_through_their_orders_newest_first(
    get_orders: Handler, orders_table: Any
) -> None:
    alices = seed(orders_table, *orders_of(SHOPPER, 7))
    seed(orders_table, *orders_of(OTHER_SHOPPER, 5))

    pages = all_pages(get_orders, SHOPPER, limit="3")

    assert [len(page) for page in pages] == [3, 3, 1]
    assert [order["order_id"] for page in pages for order in page] == newest_first(alices)


def test_an_admin_pages_through_every_order_once(get_orders: Handler, orders_table: Any) -> None:
    everyone = seed(orders_table, *orders_of(SHOPPER, 6), *orders_of(OTHER_SHOPPER, 4))

    pages = all_pages(get_orders, ADMIN, limit="4")

    assert [len(page) for page in pages] == [4, 4, 2]
    assert sorted(order["order_id"] for page in pages for order in page) == sorted(ids(everyone))


def test_an_admin_pages_through_a_status_filter_without_short_pages(
    get_orders: Handler, orders_table: Any
) -> None:
    shipped = seed(orders_table, *orders_of(SHOPPER, 5, status="shipped"))
    seed(orders_table, *orders_of(OTHER_SHOPPER, 6, status="pending"))

    pages = all_pages(get_orders, ADMIN, limit="2", status="shipped")

    assert [len(page) for page in pages] == [2, 2, 1]
    assert sorted(order["order_id"] for page in pages for order in page) == sorted(ids(shipped))


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
    # Given a cursor made from one of bob's orders (well formed, but not alice's)
    (bobs,) = seed(orders_table, order_item(**owned_by(OTHER_SHOPPER)))
    forged = encode_cursor(
        OwnerOrderCursor(
            order_id=bobs["order_id"], owner_sub=OTHER_SHOPPER.sub, created_at=bobs["created_at"]
        )
    )

    response = get_orders_page(get_orders, SHOPPER, cursor=forged)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["cursor"]


def test_an_admins_cursor_is_no_shoppers_cursor(get_orders: Handler, orders_table: Any) -> None:
    admins_cursor = encode_cursor(OrderCursor(order_id=order_item()["order_id"]))

    response = get_orders_page(get_orders, SHOPPER, cursor=admins_cursor)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST


def test_without_a_caller_it_is_a_401(get_orders: Handler) -> None:
    assert get_orders_page(get_orders, caller=None)["statusCode"] == HTTPStatus.UNAUTHORIZED


class ReadCounter:
    """Adds up what DynamoDB says each Query and Scan read (`ScannedCount`), through
    botocore's event system on the client the repository uses."""

    def __init__(self, table: Any) -> None:
        self.scanned = {"Query": 0, "Scan": 0}
        events = table.meta.client.meta.events
        for operation in self.scanned:
            events.register(f"after-call.dynamodb.{operation}", self._count)

    def _count(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        self.scanned[model.name] += parsed.get("ScannedCount", 0)


@pytest.fixture
def counted_get_orders(orders_table: Any) -> tuple[Handler, ReadCounter]:
    """GET /orders on a table whose reads are counted."""
    counter = ReadCounter(orders_table)
    app = handler_module("GetOrdersFunction").build_app(DynamoDBOrderRepository(orders_table))
    return invoked_as("GetOrdersFunction", entrypoint(app)), counter


@pytest.mark.parametrize("limit", ["50", "2"])
def test_a_shoppers_listing_reads_no_more_than_it_returns_among_1000_other_orders(
    counted_get_orders: tuple[Handler, ReadCounter], orders_table: Any, limit: str
) -> None:
    # Given 1,000 orders of 100 other users, and 5 of alice's
    seed(
        orders_table,
        *(order_item(owner_sub=f"sub-{n % 100}", username=f"user-{n % 100}") for n in range(1000)),
    )
    alices = seed(orders_table, *orders_of(SHOPPER, 5))
    handler, counter = counted_get_orders

    # When alice lists her orders, page by page
    pages = all_pages(handler, SHOPPER, limit=limit)

    # Then she gets her 5, and DynamoDB read no more items than that, with no Scan
    returned = [order["order_id"] for page in pages for order in page]
    assert returned == newest_first(alices)
    assert counter.scanned == {"Query": len(returned), "Scan": 0}
