"""DELETE /product/{product_id}: an admin removes a product (204; 404 if there is none)."""

from http import HTTPStatus
from typing import Any

import pytest

from shop_common.api import Handler
from tests.builders.callers import ADMIN, SHOPPER, Caller
from tests.builders.data import product_item
from tests.builders.events import WEB_ORIGIN, LambdaContext, api_event, response_json
from tests.service.products.support import stored_products

UNKNOWN_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def delete(handler: Handler, product_id: str, caller: Caller | None = ADMIN) -> dict[str, Any]:
    event = api_event(
        "DELETE",
        "/product/{product_id}",
        caller=caller,
        path_parameters={"product_id": product_id},
    )
    return handler(event, LambdaContext())


def test_an_admin_deletes_a_product(delete_product: Handler, products_table: Any) -> None:
    # Given two products
    doomed, kept = product_item(), product_item()
    for item in (doomed, kept):
        products_table.put_item(Item=item)

    # When an admin deletes one
    response = delete(delete_product, doomed["product_id"])

    # Then it is gone, with an empty 204, and the other one stays
    assert (response["statusCode"], response["body"]) == (HTTPStatus.NO_CONTENT, "")
    assert stored_products(products_table) == [kept]


def test_deleting_an_unknown_product_is_a_404(delete_product: Handler, products_table: Any) -> None:
    products_table.put_item(Item=product_item())
    before = stored_products(products_table)

    response = delete(delete_product, UNKNOWN_ID)

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert UNKNOWN_ID in response_json(response)["message"]
    assert stored_products(products_table) == before


def test_deleting_a_product_twice_is_a_404_the_second_time(
    delete_product: Handler, products_table: Any
) -> None:
    item = product_item()
    products_table.put_item(Item=item)
    delete(delete_product, item["product_id"])

    response = delete(delete_product, item["product_id"])

    assert response["statusCode"] == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("product_id", ["lamp", "123", "9a8b7c6d-5e4f-4a3b-8c2d"])
def test_a_product_id_that_is_not_a_uuid_is_a_400_naming_it(
    delete_product: Handler, product_id: str
) -> None:
    response = delete(delete_product, product_id)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert [error["field"] for error in response_json(response)["errors"]] == ["product_id"]


@pytest.mark.parametrize(
    ("caller", "status"),
    [(SHOPPER, HTTPStatus.FORBIDDEN), (None, HTTPStatus.UNAUTHORIZED)],
    ids=["shopper", "no caller"],
)
def test_only_an_admin_may_delete_a_product(
    delete_product: Handler, products_table: Any, caller: Caller | None, status: HTTPStatus
) -> None:
    item = product_item()
    products_table.put_item(Item=item)

    response = delete(delete_product, item["product_id"], caller=caller)

    assert response["statusCode"] == status
    assert stored_products(products_table) == [item]


def test_the_web_client_may_read_the_response(delete_product: Handler) -> None:
    response = delete(delete_product, UNKNOWN_ID)

    assert response["multiValueHeaders"]["Access-Control-Allow-Origin"] == [WEB_ORIGIN]
