"""The name search's word items are written with their product: created, renamed and
deleted in the same transaction, so a search finds a product by its words as they are."""

from typing import Any

from shop_common.api import Handler
from shop_common.catalogue import word_items
from tests.builders.callers import ADMIN
from tests.builders.data import product_request
from tests.builders.events import LambdaContext, api_event, response_json
from tests.service.products.support import stored_word_items


def post_product(handler: Handler, **fields: Any) -> dict[str, Any]:
    event = api_event("POST", "/product", caller=ADMIN, body=product_request(**fields))
    product: dict[str, Any] = response_json(handler(event, LambdaContext()))
    return product


def found(get_products: Handler, search: str) -> list[str]:
    event = api_event("GET", "/products", caller=None, query={"q": search})
    return [product["name"] for product in response_json(get_products(event, LambdaContext()))]


def test_a_new_product_is_found_by_any_word_of_its_name(
    upsert_product: Handler, get_products: Handler, products_table: Any
) -> None:
    product = post_product(upsert_product, name="Pour-over kettle")

    assert found(get_products, "over") == ["Pour-over kettle"]
    assert stored_word_items(products_table) == sorted(
        word_items(product["product_id"], "Pour-over kettle"), key=lambda i: i["product_id"]
    )


def test_a_renamed_product_is_found_by_its_new_words_only(
    upsert_product: Handler, get_products: Handler, products_table: Any
) -> None:
    # Given a product named "Burr grinder"
    product = post_product(upsert_product, name="Burr grinder")

    # When it is renamed
    post_product(upsert_product, product_id=product["product_id"], name="Hand mill")

    # Then its new words find it, its old ones do not, and only its new items are left
    assert found(get_products, "mill") == ["Hand mill"]
    assert found(get_products, "grinder") == []
    assert {i["product_id"] for i in stored_word_items(products_table)} == {
        i["product_id"] for i in word_items(product["product_id"], "Hand mill")
    }


def test_a_deleted_product_leaves_no_word_items(
    upsert_product: Handler, delete_product: Handler, get_products: Handler, products_table: Any
) -> None:
    product = post_product(upsert_product, name="Burr grinder")

    event = api_event(
        "DELETE",
        "/product/{product_id}",
        caller=ADMIN,
        path_parameters={"product_id": product["product_id"]},
    )
    delete_product(event, LambdaContext())

    assert found(get_products, "grinder") == []
    assert stored_word_items(products_table) == []
