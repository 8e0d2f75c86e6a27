"""The orders service's request, query, header and cursor models."""

import json
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from orders.models import (
    MAX_LINES,
    Address,
    CreationHeaders,
    LineRequest,
    LinesOrderRequest,
    OneLineOrderRequest,
    Order,
    OrderListQuery,
    OrderStatus,
    StatusChangeRequest,
    parse_order_request,
)
from shop_common.api import parse_headers, parse_query
from shop_common.errors import InvalidRequestError
from tests.builders.data import (
    BAD_ORDER_QUERIES,
    address,
    as_returned,
    lines_request,
    order_item,
    order_line,
    order_request,
)

ADDRESS = Address.model_validate(address())
PRODUCT_ID = "5f0c9c6e-8a43-4b8e-9a59-3f1f4f0d8a11"
OTHER_PRODUCT_ID = "0b6f0c3e-3c1b-4b51-a3a2-6b0e4f3c9d01"
ORDER_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def distinct_products(count: int) -> list[tuple[str, int]]:
    return [(str(UUID(int=number + 1)), 1) for number in range(count)]


def refused_fields(body: Any) -> list[str]:
    raw = body if isinstance(body, str) else json.dumps(body)
    with pytest.raises(InvalidRequestError) as refused:
        parse_order_request(raw)
    return [error.field for error in refused.value.errors]


def test_a_body_of_lines_places_an_order_of_those_lines_in_their_order() -> None:
    body = lines_request((PRODUCT_ID, 3), (OTHER_PRODUCT_ID, 1))

    request = parse_order_request(json.dumps(body))

    assert isinstance(request, LinesOrderRequest)
    assert request.order_lines() == [
        LineRequest(product_id=UUID(PRODUCT_ID), quantity=3),
        LineRequest(product_id=UUID(OTHER_PRODUCT_ID), quantity=1),
    ]


def test_the_one_line_form_places_a_one_line_order() -> None:
    request = parse_order_request(json.dumps(order_request(PRODUCT_ID, quantity=3)))

    assert isinstance(request, OneLineOrderRequest)
    assert request.order_lines() == [LineRequest(product_id=UUID(PRODUCT_ID), quantity=3)]


@pytest.mark.parametrize("count", [1, MAX_LINES])
def test_an_order_has_from_one_to_fifty_lines(count: int) -> None:
    request = parse_order_request(json.dumps(lines_request(*distinct_products(count))))

    assert len(request.order_lines()) == count  # type: ignore[union-attr]


def test_a_body_with_order_id_changes_a_status() -> None:
    request = parse_order_request(json.dumps({"order_id": ORDER_ID, "status": "shipped"}))

    assert request == StatusChangeRequest(order_id=UUID(ORDER_ID), status=OrderStatus.SHIPPED)


def test_a_null_order_id_places_an_order() -> None:
    request = parse_order_request(json.dumps(order_request(PRODUCT_ID, quantity=3, order_id=None)))

    assert request == OneLineOrderRequest(product_id=UUID(PRODUCT_ID), quantity=3, address=ADDRESS)


def test_server_managed_fields_echoed_back_are_ignored_on_creation() -> None:
    # Given an order as the API returns it, its lines' snapshots and totals included
    echoed = as_returned(order_item(order_line(product_id=PRODUCT_ID)))
    del echoed["order_id"]

    # When it is sent as a new order
    request = parse_order_request(json.dumps(echoed, default=str))

    # Then only its lines' products and quantities, its address and the username are read
    assert request == LinesOrderRequest(
        lines=[LineRequest(product_id=UUID(PRODUCT_ID), quantity=2)],
        address=ADDRESS,
        username="alice",
    )


def test_a_whole_order_echoed_back_is_a_status_change() -> None:
    line = order_line(product_id=PRODUCT_ID)
    echoed = as_returned(order_item(line, order_id=ORDER_ID, status="cancelled"))

    request = parse_order_request(json.dumps(echoed, default=str))

    assert request == StatusChangeRequest(
        order_id=UUID(ORDER_ID),
        status=OrderStatus.CANCELLED,
        lines=[LineRequest(product_id=UUID(PRODUCT_ID), quantity=2)],
        address=ADDRESS,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{", "body"),
        ('{"quantity": NaN}', "body"),
        ("[]", "body"),
        ({"quantity": 2, "address": address()}, "product_id"),
        ({"product_id": PRODUCT_ID, "address": address()}, "quantity"),
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
        (
            {"order_id": ORDER_ID, "status": "shipped", "lines": [{"quantity": 2}]},
            "lines.0.product_id",
        ),
        (lines_request(), "lines"),
        (lines_request(*distinct_products(MAX_LINES + 1)), "lines"),
        ({"lines": None, "address": address()}, "lines"),
        ({"lines": {"product_id": PRODUCT_ID, "quantity": 1}, "address": address()}, "lines"),
        (lines_request((PRODUCT_ID, 0)), "lines.0.quantity"),
        (lines_request((OTHER_PRODUCT_ID, 1), (PRODUCT_ID, 1001)), "lines.1.quantity"),
        (lines_request((PRODUCT_ID, 2.0)), "lines.0.quantity"),
        (lines_request((PRODUCT_ID, "2")), "lines.0.quantity"),
        (lines_request(("lamp-1", 1)), "lines.0.product_id"),
        (
            lines_request((PRODUCT_ID, 1))
            | {"lines": [{"product_id": PRODUCT_ID, "quantity": 1, "colour": "red"}]},
            "lines.0.colour",
        ),
        (lines_request() | {"lines": ["not a line"]}, "lines.0"),
        (
            lines_request((PRODUCT_ID, 1), (OTHER_PRODUCT_ID, 1), (PRODUCT_ID, 2)),
            "lines.2.product_id",
        ),
        (lines_request((PRODUCT_ID, 1), product_id=PRODUCT_ID), "lines"),
        (lines_request((PRODUCT_ID, 1), quantity=1), "lines"),
        (lines_request((PRODUCT_ID, 1), coupon="FREE"), "coupon"),
        ({"product_id": PRODUCT_ID, "quantity": 1}, "address"),
        (lines_request((PRODUCT_ID, 1), address=None), "address"),
        (order_request(PRODUCT_ID, address=address(country="XX")), "address.country"),
        (order_request(PRODUCT_ID, address=address(country="gb")), "address.country"),
        (order_request(PRODUCT_ID, address=address(postcode="")), "address.postcode"),
        (order_request(PRODUCT_ID, address=address(phone="12")), "address.phone"),
        (order_request(PRODUCT_ID, address=address(city="Pa\rris")), "address.city"),
        (order_request(PRODUCT_ID, address=address(lines=["a"] * 4)), "address.lines"),
        (
            {"order_id": ORDER_ID, "status": "shipped", "address": address(name=None)},
            "address.name",
        ),
    ],
)
def test_a_bad_body_is_refused_naming_the_field(body: Any, field: str) -> None:
    assert refused_fields(body) == [field]


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("postcode", "#!?", "letters, digits, spaces and dashes"),
        ("phone", "call me", "a phone number of at least 4 characters"),
    ],
)
def test_a_postcode_or_phone_refusal_says_what_it_takes_not_a_regex(
    field: str, value: str, says: str
) -> None:
    body = order_request(PRODUCT_ID, address=address(**{field: value}))

    with pytest.raises(InvalidRequestError) as refused:
        parse_order_request(json.dumps(body))

    (error,) = refused.value.errors
    assert (error.field, says in error.message, "^" in error.message) == (
        f"address.{field}",
        True,
        False,
    )


@pytest.mark.parametrize("quantity", [1, 1000])
def test_the_quantity_bounds_are_inclusive(quantity: int) -> None:
    assert parse_order_request(json.dumps(order_request(PRODUCT_ID, quantity=quantity)))
    assert parse_order_request(json.dumps(lines_request((PRODUCT_ID, quantity))))


def test_an_address_pasted_decomposed_is_kept_composed() -> None:
    # Given an address whose accents were pasted as letters then combining accents
    pasted = address(
        name="Ame\u0301lie Martin", lines=["1 place de l'E\u0301glise"], city="Se\u0300te"
    )
    # When it is read
    typed = Address.model_validate(pasted)
    # Then each accented letter is one character, as typed on most keyboards
    assert (typed.name, typed.lines, typed.city) == (
        "Am\u00e9lie Martin",
        ["1 place de l'\u00c9glise"],
        "S\u00e8te",
    )


def test_a_lines_echoed_snapshot_is_ignored() -> None:
    line = {"product_id": PRODUCT_ID, "quantity": 2, "product_name": "Free", "unit_price": 0.01}

    request = parse_order_request(
        json.dumps(lines_request() | {"lines": [{**line, "line_total": 0.02}]})
    )

    assert request.order_lines() == [LineRequest(product_id=UUID(PRODUCT_ID), quantity=2)]  # type: ignore[union-attr]


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
    line = order_line(unit_price=Decimal("19.99"), quantity=Decimal(3))

    order = Order.model_validate(order_item(line))

    (read,) = order.lines
    assert (read.unit_price, read.quantity, read.line_total) == (
        Decimal("19.99"),
        3,
        Decimal("59.97"),
    )
    assert order.model_dump(mode="json")["lines"][0]["unit_price"] == 19.99


def test_whether_a_line_reserved_stock_is_stored_but_not_returned() -> None:
    order = Order.model_validate(order_item(order_line(stock_reserved=True)))

    (line,) = order.lines
    assert line.stock_reserved
    assert "stock_reserved" not in order.model_dump(mode="json")["lines"][0]
    assert line.stored()["stock_reserved"] is True
