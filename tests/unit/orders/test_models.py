"""The orders service's request, query, header and cursor models."""

import json
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from orders.models import (
    CreationHeaders,
    NewOrderRequest,
    Order,
    OrderListQuery,
    OrderStatus,
    StatusChangeRequest,
    parse_order_request,
)
from shop_common.api import parse_headers, parse_query
from shop_common.errors import InvalidRequestError
from tests.builders.data import BAD_ORDER_QUERIES, as_returned, order_item, order_request

PRODUCT_ID = "5f0c9c6e-8a43-4b8e-9a59-3f1f4f0d8a11"
ORDER_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def refused_fields(body: Any) -> list[str]:
    raw = body if isinstance(body, str) else json.dumps(body)
    with pytest.raises(InvalidRequestError) as refused:
        parse_order_request(raw)
    return [error.field for error in refused.value.errors]


def test_a_body_without_order_id_places_an_order() -> None:
    request = parse_order_request(json.dumps({"product_id": PRODUCT_ID, "quantity": 3}))

    assert request == NewOrderRequest(product_id=UUID(PRODUCT_ID), quantity=3)


def test_a_body_with_order_id_changes_a_status() -> None:
    request = parse_order_request(json.dumps({"order_id": ORDER_ID, "status": "shipped"}))

    assert request == StatusChangeRequest(order_id=UUID(ORDER_ID), status=OrderStatus.SHIPPED)


def test_a_null_order_id_places_an_order() -> None:
    request = parse_order_request(
        json.dumps({"order_id": None, "product_id": PRODUCT_ID, "quantity": 3})
    )

    assert request == NewOrderRequest(product_id=UUID(PRODUCT_ID), quantity=3)


def test_server_managed_fields_echoed_back_are_ignored_on_creation() -> None:
    echoed = as_returned(order_item(product_id=PRODUCT_ID))
    del echoed["order_id"]

    request = parse_order_request(json.dumps(echoed, default=str))

    assert request == NewOrderRequest(product_id=UUID(PRODUCT_ID), quantity=2, username="alice")


def test_a_whole_order_echoed_back_is_a_status_change() -> None:
    echoed = as_returned(order_item(order_id=ORDER_ID, product_id=PRODUCT_ID, status="cancelled"))

    request = parse_order_request(json.dumps(echoed, default=str))

    assert request == StatusChangeRequest(
        order_id=UUID(ORDER_ID),
        status=OrderStatus.CANCELLED,
        product_id=UUID(PRODUCT_ID),
        quantity=2,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{", "body"),
        ('{"quantity": NaN}', "body"),
        ("[]", "body"),
        ({"quantity": 2}, "product_id"),
        ({"product_id": PRODUCT_ID}, "quantity"),
        (order_request(PRODUCT_ID, quantity="2"), "quantity"),
        (order_request(PRODUCT_ID, quantity=2.0), "quantity"),
        (order_request(PRODUCT_ID, quantity=2.5), "quantity"),
        (order_request(PRODUCT_ID, quantity=True), "quantity"),
        (order_request(PRODUCT_ID, quantity=None), "quantity"),
        (order_request(PRODUCT_ID, quantity=0), "quantity"),
        (order_request(PRODUCT_ID, quantity=-1), "quantity"),
        (order_request(PRODUCT_ID, quantity=1001), "quantity"),
        (order_request(PRODUCT_ID, quantity=10**30), "quantity"),
        (order_request("lamp-1"), "product_id"),
        (order_request(7), "product_id"),
        (order_request("x" * 10_000), "product_id"),
        (order_request(PRODUCT_ID, username=""), "username"),
        (order_request(PRODUCT_ID, username="a b"), "username"),
        (order_request(PRODUCT_ID, username="u" * 129), "username"),
        (order_request(PRODUCT_ID, username=42), "username"),
        (order_request(PRODUCT_ID, colour="red"), "colour"),
        ({"order_id": ORDER_ID, "status": "lost"}, "status"),
        ({"order_id": ORDER_ID, "status": "SHIPPED"}, "status"),
        ({"order_id": ORDER_ID, "status": "x" * 10_000}, "status"),
        ({"order_id": ORDER_ID, "status": 2}, "status"),
        ({"order_id": ORDER_ID}, "status"),
        ({"order_id": "order-1", "status": "shipped"}, "order_id"),
        ({"order_id": ORDER_ID, "status": "shipped", "quantity": 0}, "quantity"),
        ({"order_id": ORDER_ID, "status": "shipped", "note": "hi"}, "note"),
    ],
)
def test_a_bad_body_is_refused_naming_the_field(body: Any, field: str) -> None:
    assert refused_fields(body) == [field]


@pytest.mark.parametrize("quantity", [1, 1000])
def test_the_quantity_bounds_are_inclusive(quantity: int) -> None:
    assert NewOrderRequest.model_validate(order_request(PRODUCT_ID, quantity=quantity))


@pytest.mark.parametrize("name", ["Idempotency-Key", "idempotency-key", "IDEMPOTENCY-KEY"])
def test_the_idempotency_key_header_is_read_whatever_its_case(name: str) -> None:
    headers = parse_headers({name: "retry-1", "Origin": "x"}, CreationHeaders)

    assert headers.idempotency_key == "retry-1"


def test_the_idempotency_key_is_optional() -> None:
    assert parse_headers({"Origin": "x"}, CreationHeaders).idempotency_key is None


@pytest.mark.parametrize("key", ["", "k" * 256, "caf\u00e9", "line\nbreak"])
def test_a_bad_idempotency_key_is_refused_naming_the_header(key: str) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        parse_headers({"Idempotency-Key": key}, CreationHeaders)

    assert [error.field for error in refused.value.errors] == ["Idempotency-Key"]


def test_the_listing_query_defaults() -> None:
    assert parse_query(None, OrderListQuery) == OrderListQuery(limit=50, cursor=None, status=None)


def test_the_listing_query_ignores_unknown_parameters() -> None:
    query = parse_query({"limit": "10", "status": "shipped", "sort": "x"}, OrderListQuery)

    assert query == OrderListQuery(limit=10, status=OrderStatus.SHIPPED)


@pytest.mark.parametrize(("params", "field"), BAD_ORDER_QUERIES.values(), ids=BAD_ORDER_QUERIES)
def test_a_bad_listing_query_is_refused_naming_the_parameter(
    params: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        parse_query(params, OrderListQuery)

    assert [error.field for error in refused.value.errors] == [field]


def test_a_stored_order_reads_back_with_exact_prices() -> None:
    order = Order.model_validate(order_item(unit_price=Decimal("19.99"), quantity=Decimal(3)))

    assert (order.unit_price, order.quantity) == (Decimal("19.99"), 3)
    assert order.model_dump(mode="json")["unit_price"] == 19.99
