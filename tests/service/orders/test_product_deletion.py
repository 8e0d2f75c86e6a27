"""Orders and the deletion of products: an order keeps what it copied; a deleted product
cannot be ordered."""

from http import HTTPStatus
from typing import Any

import pytest

from shop_common.api import Handler
from stacks.templates import SERVICE_TEMPLATES
from tests.builders.callers import ADMIN, SHOPPER
from tests.builders.data import order_request
from tests.builders.environments import deployed_handler
from tests.builders.events import LambdaContext, api_event, response_json
from tests.service.orders.support import error_fields, get_orders_page, post_order, stored


@pytest.fixture
def delete_product(dynamodb: Any) -> Handler:
    """The products service's DeleteProduct function."""
    return deployed_handler(SERVICE_TEMPLATES["products"], "DeleteProductFunction")


def delete(delete_product: Handler, product: dict[str, Any]) -> None:
    event = api_event(
        "DELETE",
        "/product/{product_id}",
        caller=ADMIN,
        path_parameters={"product_id": product["product_id"]},
    )
    assert delete_product(event, LambdaContext())["statusCode"] == HTTPStatus.NO_CONTENT


def test_orders_keep_their_product_name_and_price_when_it_is_deleted(
    upsert_order: Handler,
    get_orders: Handler,
    delete_product: Handler,
    lamp: dict[str, Any],
    orders_table: Any,
) -> None:
    # Given an order of two lamps
    body = order_request(lamp["product_id"], quantity=2)
    ordered = response_json(post_order(upsert_order, body, SHOPPER))

    # When an admin deletes the lamp from the catalogue
    delete(delete_product, lamp)

    # Then the order is intact, with the name and prices it copied
    assert response_json(get_orders_page(get_orders, SHOPPER)) == [ordered]
    (line,) = ordered["lines"]
    assert (line["product_name"], line["unit_price"], ordered["total_price"]) == (
        "Desk lamp",
        19.99,
        39.98,
    )
    assert len(stored(orders_table)) == 1


def test_a_deleted_product_cannot_be_ordered(
    upsert_order: Handler, delete_product: Handler, lamp: dict[str, Any], orders_table: Any
) -> None:
    delete(delete_product, lamp)

    response = post_order(upsert_order, order_request(lamp["product_id"]), SHOPPER)

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert error_fields(response) == ["product_id"]
    assert stored(orders_table) == []
