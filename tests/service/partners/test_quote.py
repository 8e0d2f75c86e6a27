"""POST /partner/quote: a basket priced as an order would be, in exact decimals."""

import json
from decimal import Decimal
from http import HTTPStatus
from typing import Any
from uuid import uuid4

import pytest

from shop_common.api import Handler
from tests.builders.data import product_item
from tests.builders.events import LambdaContext, api_event, response_json
from tests.service.partners.support import error_fields


def json_decimals(response: dict[str, Any]) -> Any:
    return json.loads(response["body"], parse_float=Decimal)


def ask(handler: Handler, body: Any) -> dict[str, Any]:
    return handler(api_event("POST", "/partner/quote", caller=None, body=body), LambdaContext())


@pytest.fixture
def lamp(products_table: Any) -> dict[str, Any]:
    item = product_item(name="Desk lamp", price=Decimal("19.99"), stock=2)
    products_table.put_item(Item=item)
    return item


@pytest.fixture
def cup(products_table: Any) -> dict[str, Any]:
    item = product_item(name="Cup", price=Decimal("0.10"))
    products_table.put_item(Item=item)
    return item


def test_each_line_and_the_total_are_priced_exactly(
    quote: Handler, lamp: dict[str, Any], cup: dict[str, Any]
) -> None:
    # When a partner asks for 3 lamps at 19.99 and 3 cups at 0.10
    response = ask(
        quote,
        {
            "lines": [
                {"product_id": lamp["product_id"], "quantity": 3},
                {"product_id": cup["product_id"], "quantity": 3},
            ]
        },
    )
    # Then each line and the total are exact (floats would give 59.970000000000006, 0.3000...4)
    assert response["statusCode"] == HTTPStatus.OK
    body = json_decimals(response)
    assert [(line["name"], line["line_total"]) for line in body["lines"]] == [
        ("Desk lamp", Decimal("59.97")),
        ("Cup", Decimal("0.3")),
    ]
    assert body["total"] == Decimal("60.27")
    assert body["currency"] == "EUR"


@pytest.mark.parametrize(("quantity", "available"), [(2, True), (3, False)])
def test_a_line_beyond_the_stock_is_quoted_unavailable(
    quote: Handler, lamp: dict[str, Any], quantity: int, available: bool
) -> None:
    line = {"product_id": lamp["product_id"], "quantity": quantity}

    (quoted,) = response_json(ask(quote, {"lines": [line]}))["lines"]

    assert quoted["available"] is available


def test_an_unknown_product_is_404_naming_the_line_and_the_product(
    quote: Handler, lamp: dict[str, Any]
) -> None:
    unknown = str(uuid4())
    body = {
        "lines": [
            {"product_id": lamp["product_id"], "quantity": 1},
            {"product_id": unknown, "quantity": 1},
        ]
    }

    response = ask(quote, body)

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert unknown in response_json(response)["message"]
    assert error_fields(response) == ["lines.1.product_id"]


@pytest.mark.parametrize(
    ("quantity", "why"), [(0, "zero"), (1001, "over 1000"), (1.5, "not whole"), ("2", "a string")]
)
def test_a_bad_quantity_is_400_naming_its_line(
    quote: Handler, lamp: dict[str, Any], quantity: Any, why: str
) -> None:
    body = {
        "lines": [
            {"product_id": lamp["product_id"], "quantity": 1},
            {"product_id": lamp["product_id"], "quantity": quantity},
        ]
    }

    response = ask(quote, body)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST, why
    assert error_fields(response) == ["lines.1.quantity"]


@pytest.mark.parametrize("count", [0, 101])
def test_a_basket_of_no_lines_or_over_100_is_400(
    quote: Handler, lamp: dict[str, Any], count: int
) -> None:
    body = {"lines": [{"product_id": lamp["product_id"], "quantity": 1}] * count}

    response = ask(quote, body)

    assert (response["statusCode"], error_fields(response)) == (400, ["lines"])


def test_a_basket_of_100_different_products_is_priced(quote: Handler, products_table: Any) -> None:
    items = [product_item(price=Decimal("0.01")) for _ in range(100)]
    with products_table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)

    response = ask(
        quote, {"lines": [{"product_id": i["product_id"], "quantity": 1} for i in items]}
    )

    assert response["statusCode"] == HTTPStatus.OK
    assert json_decimals(response)["total"] == Decimal("1.00")


def test_a_product_on_two_lines_is_400_naming_the_second(
    quote: Handler, lamp: dict[str, Any], cup: dict[str, Any]
) -> None:
    body = {
        "lines": [
            {"product_id": lamp["product_id"], "quantity": 1},
            {"product_id": cup["product_id"], "quantity": 1},
            {"product_id": lamp["product_id"], "quantity": 1},
        ]
    }

    response = ask(quote, body)

    assert (response["statusCode"], error_fields(response)) == (400, ["lines.2.product_id"])


def test_a_line_that_is_not_an_object_is_400_in_plain_words(quote: Handler) -> None:
    response = ask(quote, {"lines": [None]})

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert response_json(response)["errors"] == [
        {"field": "lines.0", "message": "must be an object"}
    ]
