"""GET /partner/products and GET /partner/products/{product_id}: the catalogue as partners
see it, in the shop's currency."""

from decimal import Decimal
from http import HTTPStatus
from typing import Any
from uuid import uuid4

from shop_common.api import Handler
from shop_common.catalogue import by_name
from shop_common.pagination import NEXT_CURSOR_HEADER
from tests.builders.data import BAD_PRODUCT_CURSORS, product_item
from tests.builders.events import LambdaContext, api_event, response_json
from tests.service.partners.support import error_fields


def page(handler: Handler, **query: str) -> dict[str, Any]:
    event = api_event("GET", "/partner/products", caller=None, query=query or None)
    return handler(event, LambdaContext())


def one(handler: Handler, product_id: str) -> dict[str, Any]:
    event = api_event(
        "GET",
        "/partner/products/{product_id}",
        caller=None,
        path_parameters={"product_id": product_id},
    )
    return handler(event, LambdaContext())


def test_a_product_is_shown_with_its_currency_stock_and_picture(
    get_partner_product: Handler, products_table: Any
) -> None:
    # Given a product with a description, a picture and 3 in stock
    item = product_item(
        name="Desk lamp",
        price=Decimal("19.99"),
        description="Brass, 40 cm",
        image="https://cdn.example.com/lamp.jpg",
        stock=3,
    )
    products_table.put_item(Item=item)
    # When a partner asks for it
    response = one(get_partner_product, item["product_id"])
    # Then it sees what partners see: no timestamps, the currency, in stock
    assert response["statusCode"] == HTTPStatus.OK
    assert response_json(response) == {
        "product_id": item["product_id"],
        "name": "Desk lamp",
        "description": "Brass, 40 cm",
        "price": 19.99,
        "currency": "EUR",
        "in_stock": True,
        "image_url": "https://cdn.example.com/lamp.jpg",
    }


def test_a_product_without_stock_is_out_of_stock_and_one_untracked_is_in(
    get_partner_product: Handler, products_table: Any
) -> None:
    sold_out, untracked = product_item(stock=0), product_item()
    products_table.put_item(Item=sold_out)
    products_table.put_item(Item=untracked)

    assert response_json(one(get_partner_product, sold_out["product_id"]))["in_stock"] is False
    assert response_json(one(get_partner_product, untracked["product_id"]))["in_stock"] is True


def test_an_unknown_product_is_404_and_a_bad_id_400(get_partner_product: Handler) -> None:
    missing = one(get_partner_product, str(uuid4()))
    malformed = one(get_partner_product, "lamp")

    assert (missing["statusCode"], error_fields(missing)) == (404, ["product_id"])
    assert (malformed["statusCode"], error_fields(malformed)) == (400, ["product_id"])


def test_the_catalogue_pages_through_every_product_once_by_name(
    get_partner_products: Handler, products_table: Any
) -> None:
    # Given five products, stored in no particular order
    items = [product_item(name=f"Product {n}") for n in (3, 0, 4, 1, 2)]
    for item in items:
        products_table.put_item(Item=item)
    # When a partner reads pages of two, following the cursor
    seen: list[str] = []
    query: dict[str, str] = {"limit": "2"}
    while True:
        response = page(get_partner_products, **query)
        assert response["statusCode"] == HTTPStatus.OK
        seen += [product["product_id"] for product in response_json(response)]
        cursor = (response["multiValueHeaders"].get(NEXT_CURSOR_HEADER) or [None])[0]
        if cursor is None:
            break
        query = {"limit": "2", "cursor": cursor}
    # Then it saw each product once, by name
    by_name = sorted(items, key=lambda item: str(item["name"]))
    assert seen == [item["product_id"] for item in by_name]


def test_a_cursor_the_catalogue_never_issued_is_400(get_partner_products: Handler) -> None:
    for cursor in BAD_PRODUCT_CURSORS.values():
        response = page(get_partner_products, cursor=cursor)
        assert (response["statusCode"], error_fields(response)) == (400, ["cursor"]), cursor


def test_a_cursor_of_the_shops_own_listing_is_400(
    get_partner_products: Handler, products_table: Any
) -> None:
    # Given a cursor that GET /products issued
    item = product_item(name="Desk lamp")
    products_table.put_item(Item=item)
    shop_cursor = by_name("products/name").cursor_after(item)
    # When a partner sends it to the partner catalogue
    response = page(get_partner_products, cursor=shop_cursor)
    # Then it is refused: each listing accepts only its own cursors
    assert (response["statusCode"], error_fields(response)) == (400, ["cursor"])
