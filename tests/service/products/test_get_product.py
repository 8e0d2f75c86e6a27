"""GET /product/{product_id}: anyone reads one product (404 if there is none)."""

from http import HTTPStatus
from typing import Any

import pytest

from shop_common.api import Handler
from tests.builders.callers import ADMIN, SHOPPER, Caller
from tests.builders.data import product_item
from tests.builders.events import WEB_ORIGIN, LambdaContext, api_event, response_json
from tests.service.products.support import product_shown

UNKNOWN_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def read(handler: Handler, product_id: str, caller: Caller | None = None) -> dict[str, Any]:
    event = api_event(
        "GET", "/product/{product_id}", caller=caller, path_parameters={"product_id": product_id}
    )
    return handler(event, LambdaContext())


@pytest.mark.parametrize("caller", [None, SHOPPER, ADMIN], ids=["visitor", "shopper", "admin"])
def test_anyone_reads_a_product_with_all_it_has(
    get_product: Handler, products_table: Any, caller: Caller | None
) -> None:
    # Given a product with a description, an image and stock
    item = product_item(
        description="Brass.\nDimmable.",
        image=f"{WEB_ORIGIN}/images/{'b' * 32}.webp",
        stock=3,
    )
    products_table.put_item(Item=item)

    # When anyone reads it
    response = read(get_product, item["product_id"], caller)

    # Then they get all of it, and the web client may read it
    assert response["statusCode"] == HTTPStatus.OK
    assert response_json(response) == product_shown(item)
    assert response_json(response)["stock"] == 3
    assert response["multiValueHeaders"]["Access-Control-Allow-Origin"] == [WEB_ORIGIN]


def test_a_product_without_extras_has_an_empty_description_no_image_and_untracked_stock(
    get_product: Handler, products_table: Any
) -> None:
    item = product_item()
    products_table.put_item(Item=item)

    product = response_json(read(get_product, item["product_id"]))

    assert (product["description"], product["image"], product["stock"]) == ("", None, None)


def test_an_unknown_product_is_a_404(get_product: Handler) -> None:
    response = read(get_product, UNKNOWN_ID)

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert [error["field"] for error in response_json(response)["errors"]] == ["product_id"]


@pytest.mark.parametrize("product_id", ["lamp", "42", "9a8b7c6d-5e4f"])
def test_an_id_that_is_not_a_uuid_is_a_400_naming_it(get_product: Handler, product_id: str) -> None:
    response = read(get_product, product_id)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert [error["field"] for error in response_json(response)["errors"]] == ["product_id"]
