"""Multi-line orders at the limit, over HTTP through `make run`: 50 lines priced exactly by
the server (checked against a `Decimal` computation here), 51 lines refused."""

import uuid
from decimal import Decimal
from typing import Any

import pytest
import requests

from orders.models import MAX_LINES
from shop_common.pricing import MAX_QUANTITY
from tests.builders.data import address
from tests.e2e.stack import ApiClient, RunningStack, Tokens

STOCK = MAX_QUANTITY
# Prices a float sum gets wrong (0.1 + 0.2...), the smallest and the largest there are.
AWKWARD_PRICES = ("0.10", "0.20", "0.30", "0.01", "999999.99", "19.99", "33.33", "2.675")


def price(index: int) -> Decimal:
    if index < len(AWKWARD_PRICES):
        return Decimal(AWKWARD_PRICES[index]).quantize(Decimal("0.01"))
    return Decimal(index * 7919 % 100_000) / 100 + Decimal("0.01")


def quantity(index: int) -> int:
    """1 to MAX_QUANTITY, both ends included."""
    return {0: MAX_QUANTITY, 1: 1}.get(index, index * 97 % MAX_QUANTITY + 1)


@pytest.fixture(scope="module")
def catalogue(stack: RunningStack, admin_tokens: Tokens) -> list[dict[str, Any]]:
    """MAX_LINES + 1 products with MAX_QUANTITY each in stock, at the prices above."""
    admin = stack.client_for(admin_tokens)
    products = []
    run = uuid.uuid4().hex[:6]
    for index in range(MAX_LINES + 1):
        body = {"name": f"Line {index} {run}", "price": float(price(index)), "stock": STOCK}
        response = admin.post("/product", body)
        assert response.status_code == 201, response.text
        products.append(response.json())
    return products


def order_of(products: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "lines": [
            {"product_id": product["product_id"], "quantity": quantity(index)}
            for index, product in enumerate(products)
        ],
        "address": address(),
    }


def as_decimals(response: requests.Response) -> dict[str, Any]:
    """The JSON body with every number read as a `Decimal`, nothing rounded through float."""
    body: dict[str, Any] = response.json(parse_float=Decimal, parse_int=Decimal)
    return body


def test_a_50_line_order_is_priced_exactly(
    stack: RunningStack, shopper: ApiClient, catalogue: list[dict[str, Any]]
) -> None:
    # When a shopper orders 50 products at once
    products = catalogue[:MAX_LINES]
    response = shopper.post("/order", order_of(products))

    # Then each line is priced from its product, and the total is their exact sum
    assert response.status_code == 201, response.text
    order = as_decimals(response)
    expected_lines = [
        {
            "product_id": product["product_id"],
            "product_name": product["name"],
            "unit_price": price(index),
            "quantity": quantity(index),
            "line_total": price(index) * quantity(index),
        }
        for index, product in enumerate(products)
    ]
    assert order["lines"] == expected_lines
    assert order["total_price"] == sum(line["line_total"] for line in expected_lines)
    assert order["currency"] == stack.config["currency"]


def test_a_51_line_order_is_a_400_naming_lines_and_writes_nothing(
    stack: RunningStack, catalogue: list[dict[str, Any]]
) -> None:
    # Given a shopper of this test alone
    tokens = stack.new_shopper("lines")
    shopper = stack.client_for(tokens)

    # When they order 51 products at once
    response = shopper.post("/order", order_of(catalogue))

    # Then it is a 400 naming `lines`, and no order is written
    assert response.status_code == 400, response.text
    assert "lines" in {error["field"] for error in response.json()["errors"]}
    assert stack.orders_of(tokens.username) == []
