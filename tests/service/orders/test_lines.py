"""POST /order with `lines`: 1-50 products in one order, each priced by the server."""

from decimal import Decimal
from http import HTTPStatus
from typing import Any
from uuid import uuid4

from shop_common.api import Handler
from tests.builders.callers import SHOPPER
from tests.builders.data import lines_request, order_request, product_item
from tests.builders.events import response_json
from tests.service.orders.support import error_fields, post_order, stored


def add_products(products_table: Any, count: int, **fields: Any) -> list[dict[str, Any]]:
    """`count` products in the Products table (19.99 a piece unless `fields` say otherwise)."""
    items = [
        product_item(name=f"Lamp {number}", price=Decimal("19.99"), **fields)
        for number in range(count)
    ]
    with products_table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
    return items


def test_an_order_of_fifty_lines_is_priced_exactly(
    upsert_order: Handler, products_table: Any, orders_table: Any
) -> None:
    # Given 50 products at 19.99
    products = add_products(products_table, 50)

    # When alice orders three of each
    body = lines_request(*((product["product_id"], 3) for product in products))
    response = post_order(upsert_order, body, SHOPPER)

    # Then each line is 59.97 and the total exactly 50 x 59.97, in the shop's currency
    assert response["statusCode"] == HTTPStatus.CREATED, response["body"]
    order = response_json(response)
    assert [line["product_id"] for line in order["lines"]] == [p["product_id"] for p in products]
    assert {line["line_total"] for line in order["lines"]} == {59.97}
    assert (order["total_price"], order["currency"]) == (2998.5, "EUR")
    (item,) = stored(orders_table)
    assert item["total_price"] == Decimal("2998.50")
    assert sum(line["line_total"] for line in item["lines"]) == Decimal("2998.50")


def test_each_line_copies_its_products_name_and_price(
    upsert_order: Handler, products_table: Any
) -> None:
    lamp, mug = (
        product_item(name="Desk lamp", price=Decimal("19.99")),
        product_item(name="Mug", price=Decimal("7.5")),
    )
    for item in (lamp, mug):
        products_table.put_item(Item=item)

    body = lines_request((mug["product_id"], 2), (lamp["product_id"], 1))
    order = response_json(post_order(upsert_order, body, SHOPPER))

    assert [
        (line["product_name"], line["unit_price"], line["quantity"], line["line_total"])
        for line in order["lines"]
    ] == [("Mug", 7.5, 2, 15.0), ("Desk lamp", 19.99, 1, 19.99)]
    assert order["total_price"] == 34.99


def test_fifty_one_lines_are_a_400_naming_lines_and_nothing_is_written(
    upsert_order: Handler, products_table: Any, orders_table: Any
) -> None:
    products = add_products(products_table, 51, stock=10)

    body = lines_request(*((product["product_id"], 1) for product in products))
    response = post_order(upsert_order, body, SHOPPER)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["lines"]
    assert stored(orders_table) == []
    assert {item["stock"] for item in stored(products_table)} == {10}


def test_a_product_on_two_lines_is_a_400_naming_the_repeat(
    upsert_order: Handler, lamp: dict[str, Any], orders_table: Any
) -> None:
    body = lines_request((lamp["product_id"], 1), (lamp["product_id"], 2))

    response = post_order(upsert_order, body, SHOPPER)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["lines.1.product_id"]
    assert stored(orders_table) == []


def test_lines_with_the_one_line_forms_product_and_quantity_are_a_400_naming_lines(
    upsert_order: Handler, lamp: dict[str, Any], orders_table: Any
) -> None:
    body = lines_request((lamp["product_id"], 1), **order_request(lamp["product_id"]))

    response = post_order(upsert_order, body, SHOPPER)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["lines"]
    assert stored(orders_table) == []


def test_a_line_of_an_unknown_product_is_a_404_naming_that_line(
    upsert_order: Handler, lamp: dict[str, Any], orders_table: Any
) -> None:
    unknown = str(uuid4())

    body = lines_request((lamp["product_id"], 1), (unknown, 1))
    response = post_order(upsert_order, body, SHOPPER)

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert error_fields(response) == ["lines.1.product_id"]
    assert response_json(response)["message"] == f"Product {unknown} not found"
    assert stored(orders_table) == []


def test_a_status_change_may_echo_the_orders_own_lines(
    upsert_order: Handler, products_table: Any
) -> None:
    products = add_products(products_table, 2)
    body = lines_request(*((product["product_id"], 2) for product in products))
    order = response_json(post_order(upsert_order, body, SHOPPER))

    response = post_order(upsert_order, {**order, "status": "cancelled"}, SHOPPER)

    assert response["statusCode"] == HTTPStatus.OK, response["body"]
    assert response_json(response)["status"] == "cancelled"


def test_a_status_change_echoing_other_lines_is_a_400_naming_lines(
    upsert_order: Handler, products_table: Any, orders_table: Any
) -> None:
    products = add_products(products_table, 2)
    body = lines_request(*((product["product_id"], 2) for product in products))
    order = response_json(post_order(upsert_order, body, SHOPPER))
    changed = [{**order["lines"][0], "quantity": 5}, order["lines"][1]]

    response = post_order(upsert_order, {**order, "lines": changed, "status": "cancelled"}, SHOPPER)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["lines"]
    assert stored(orders_table)[0]["status"] == "pending"
