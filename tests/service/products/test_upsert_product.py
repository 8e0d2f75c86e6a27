"""POST /product: an admin creates a product (201) or replaces one at its id (200)."""

import json
from decimal import Decimal
from http import HTTPStatus
from typing import Any
from uuid import UUID

import pytest

from shop_common.api import MAX_BODY_BYTES, Handler
from tests.builders.callers import ADMIN, SHOPPER, Caller
from tests.builders.data import product_item, product_request
from tests.builders.events import WEB_ORIGIN, LambdaContext, api_event, response_json
from tests.service.products.support import product_shown, stored_products

CHOSEN_ID = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6"


def post_product(handler: Handler, body: Any, caller: Caller | None = ADMIN) -> dict[str, Any]:
    return handler(api_event("POST", "/product", caller=caller, body=body), LambdaContext())


def error_fields(response: dict[str, Any]) -> list[str]:
    return [error["field"] for error in response_json(response)["errors"]]


def shown(table: Any) -> list[dict[str, Any]]:
    """The stored products as the API shows them."""
    return [product_shown(item) for item in stored_products(table)]


def uploaded_image(bucket: Any) -> str:
    """The `image` of a picture uploaded to the images bucket."""
    key = f"images/{'c' * 32}.png"
    bucket.put_object(Key=key, Body=b"\x89PNG", ContentType="image/png")
    return f"{WEB_ORIGIN}/{key}"


def test_an_admin_creates_a_product(upsert_product: Handler, products_table: Any) -> None:
    # When an admin posts a name and a price
    response = post_product(upsert_product, product_request(name="  Desk lamp ", price=24.99))

    # Then the product is created under a new id, its name trimmed, and stored as returned
    assert response["statusCode"] == HTTPStatus.CREATED
    product = response_json(response)
    assert UUID(product["product_id"])
    assert (product["name"], product["price"]) == ("Desk lamp", 24.99)
    assert product["created_at"] == product["updated_at"]
    assert shown(products_table) == [product]


def test_the_price_is_stored_as_a_dynamodb_number(
    upsert_product: Handler, dynamodb: Any, products_table: Any
) -> None:
    product = response_json(post_product(upsert_product, product_request(price=19.99)))

    item = dynamodb.get_item(
        TableName=products_table.name, Key={"product_id": {"S": product["product_id"]}}
    )["Item"]

    assert item["price"] == {"N": "19.99"}


def test_a_price_written_with_more_digits_than_dynamodb_holds_is_stored_in_cents(
    upsert_product: Handler, dynamodb: Any, products_table: Any
) -> None:
    # Given a price of 12.5 followed by 40 zeros (43 digits; a DynamoDB number holds 38)
    body = '{"name": "Mug", "price": 12.5' + "0" * 40 + "}"
    # When an admin posts it
    response = post_product(upsert_product, body)
    # Then the product is created, its price stored as 12.5 in cents
    assert response["statusCode"] == HTTPStatus.CREATED
    product = response_json(response)
    item = dynamodb.get_item(
        TableName=products_table.name, Key={"product_id": {"S": product["product_id"]}}
    )["Item"]
    assert product["price"] == 12.5
    assert item["price"] == {"N": "12.50"}


def test_an_admin_creates_a_product_at_an_id_of_their_choice(
    upsert_product: Handler, products_table: Any
) -> None:
    response = post_product(upsert_product, product_request(product_id=CHOSEN_ID))

    assert response["statusCode"] == HTTPStatus.CREATED
    assert response_json(response)["product_id"] == CHOSEN_ID
    assert [item["product_id"] for item in stored_products(products_table)] == [CHOSEN_ID]


def test_an_admin_replaces_a_product_keeping_its_creation_time(
    upsert_product: Handler, products_table: Any
) -> None:
    # Given a product created earlier
    earlier = "2026-01-01T00:00:00Z"
    products_table.put_item(Item=product_item(product_id=CHOSEN_ID, created_at=earlier))

    # When an admin posts new values at its id
    body = product_request(product_id=CHOSEN_ID, name="Floor lamp", price=99)
    response = post_product(upsert_product, body)

    # Then it is replaced (200), keeps its created_at, and the table holds the new values
    assert response["statusCode"] == HTTPStatus.OK
    product = response_json(response)
    assert (product["name"], product["price"], product["created_at"]) == ("Floor lamp", 99, earlier)
    assert product["updated_at"] > earlier
    assert shown(products_table) == [product]


def test_a_shopper_may_not_create_a_product(upsert_product: Handler, products_table: Any) -> None:
    response = post_product(upsert_product, product_request(), caller=SHOPPER)

    assert response["statusCode"] == HTTPStatus.FORBIDDEN
    assert stored_products(products_table) == []


def test_a_shopper_may_not_replace_a_product(upsert_product: Handler, products_table: Any) -> None:
    products_table.put_item(Item=product_item(product_id=CHOSEN_ID))
    before = stored_products(products_table)

    body = product_request(product_id=CHOSEN_ID, name="Mine now", price=0.01)
    response = post_product(upsert_product, body, caller=SHOPPER)

    assert response["statusCode"] == HTTPStatus.FORBIDDEN
    assert stored_products(products_table) == before


def test_a_request_without_a_caller_is_a_401(upsert_product: Handler, products_table: Any) -> None:
    response = post_product(upsert_product, product_request(), caller=None)

    assert response["statusCode"] == HTTPStatus.UNAUTHORIZED
    assert stored_products(products_table) == []


PRODUCT = '{"name": "Desk lamp", "price": %s}'
BAD_BODIES = {
    "malformed JSON": ('{"name": "Desk lamp", "price": ', "body"),
    "a JSON array": ("[]", "body"),
    "no body": (None, "body"),
    "NaN price": (PRODUCT % "NaN", "body"),
    "Infinity price": (PRODUCT % "Infinity", "body"),
    "missing name": ('{"price": 10}', "name"),
    "missing price": ('{"name": "Desk lamp"}', "price"),
    "name a number": ('{"name": 42, "price": 10}', "name"),
    "name null": ('{"name": null, "price": 10}', "name"),
    "name empty": ('{"name": "", "price": 10}', "name"),
    "name whitespace": ('{"name": "  \\t ", "price": 10}', "name"),
    "name 201 characters": (json.dumps({"name": "x" * 201, "price": 10}), "name"),
    "price negative": (PRODUCT % "-5", "price"),
    "price zero": (PRODUCT % "0", "price"),
    "price 3 decimals": (PRODUCT % "1.005", "price"),
    "price over 1,000,000": (PRODUCT % "1000000.01", "price"),
    "price 1e400": (PRODUCT % "1e400", "price"),
    "price huge integer": (PRODUCT % ("9" * 400), "price"),
    "price a string": (PRODUCT % '"10"', "price"),
    "price a boolean": (PRODUCT % "true", "price"),
    "price null": (PRODUCT % "null", "price"),
    "product_id not a UUID": (json.dumps(product_request(product_id="lamp")), "product_id"),
    "product_id a number": (json.dumps(product_request(product_id=7)), "product_id"),
    "description too long": (json.dumps(product_request(description="x" * 2001)), "description"),
    "description with a control character": (
        json.dumps(product_request(description="a\u0007b")),
        "description",
    ),
    "stock negative": (json.dumps(product_request(stock=-1)), "stock"),
    "stock a fraction": (json.dumps(product_request(stock=1.5)), "stock"),
    "stock a string": (json.dumps(product_request(stock="4")), "stock"),
}


@pytest.mark.parametrize(("body", "field"), BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_a_bad_body_is_a_400_naming_the_field_and_writes_nothing(
    upsert_product: Handler, products_table: Any, body: str | None, field: str
) -> None:
    response = post_product(upsert_product, body)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert field in error_fields(response)
    assert stored_products(products_table) == []


def test_a_bad_replacement_leaves_the_product_unchanged(
    upsert_product: Handler, products_table: Any
) -> None:
    products_table.put_item(Item=product_item(product_id=CHOSEN_ID))
    before = stored_products(products_table)

    response = post_product(upsert_product, product_request(product_id=CHOSEN_ID, price=-1))

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert stored_products(products_table) == before


def test_a_body_over_16_kib_is_a_413_and_writes_nothing(
    upsert_product: Handler, products_table: Any
) -> None:
    body = json.dumps(product_request(colour="x" * MAX_BODY_BYTES))

    response = post_product(upsert_product, body)

    assert response["statusCode"] == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert stored_products(products_table) == []


def test_an_admin_creates_a_product_with_description_stock_and_image(
    upsert_product: Handler, products_table: Any, images_bucket: Any
) -> None:
    image = uploaded_image(images_bucket)
    body = product_request(description="Brass.\nDimmable.", stock=12, image=image)

    response = post_product(upsert_product, body)

    assert response["statusCode"] == HTTPStatus.CREATED
    product = response_json(response)
    assert (product["description"], product["stock"], product["image"]) == (
        "Brass.\nDimmable.",
        12,
        image,
    )
    assert shown(products_table) == [product]


@pytest.mark.parametrize(
    ("name", "stored", "key"),
    [
        ("Desk  LAMP", "Desk  LAMP", "desk lamp"),
        # an accent pasted as an e and a combining accent, as macOS often pastes it
        ("Cafe\u0301 NOIR", "Caf\u00e9 NOIR", "caf\u00e9 noir"),
    ],
    ids=["typed", "accent pasted decomposed"],
)
def test_the_name_is_stored_composed_and_indexed_case_folded_for_the_listings(
    upsert_product: Handler, products_table: Any, name: str, stored: str, key: str
) -> None:
    post_product(upsert_product, product_request(name=name))

    [item] = stored_products(products_table)

    assert (item["name"], item["catalogue"], item["name_key"]) == (stored, "all", key)


def test_a_replace_keeps_what_the_body_does_not_name(
    upsert_product: Handler, products_table: Any
) -> None:
    # Given a product with a description and stock
    products_table.put_item(
        Item=product_item(product_id=CHOSEN_ID, description="Brass.", stock=Decimal(4))
    )

    # When a seed client replaces its name and price only
    response = post_product(upsert_product, product_request(product_id=CHOSEN_ID, name="Lamp"))

    # Then the description and stock stay as they were
    product = response_json(response)
    assert (product["name"], product["description"], product["stock"]) == ("Lamp", "Brass.", 4)
    assert shown(products_table) == [product]


def test_nulls_clear_the_description_image_and_stock(
    upsert_product: Handler, products_table: Any
) -> None:
    products_table.put_item(
        Item=product_item(
            product_id=CHOSEN_ID,
            description="Brass.",
            image=f"{WEB_ORIGIN}/images/{'d' * 32}.jpg",
            stock=Decimal(4),
        )
    )

    body = product_request(
        product_id=CHOSEN_ID, description=None, image=None, stock=None, expected_stock=4
    )
    product = response_json(post_product(upsert_product, body))

    assert (product["description"], product["image"], product["stock"]) == ("", None, None)
    [item] = stored_products(products_table)
    assert {"description", "image", "stock"}.isdisjoint(item)


def test_a_stock_change_based_on_what_is_stored_is_saved(
    upsert_product: Handler, products_table: Any
) -> None:
    products_table.put_item(Item=product_item(product_id=CHOSEN_ID, stock=Decimal(10)))

    body = product_request(product_id=CHOSEN_ID, stock=25, expected_stock=10)
    response = post_product(upsert_product, body)

    assert (response["statusCode"], response_json(response)["stock"]) == (HTTPStatus.OK, 25)


def test_a_stock_change_after_orders_reserved_some_is_a_409_and_writes_nothing(
    upsert_product: Handler, products_table: Any
) -> None:
    # Given a product the admin read with 10 in stock, of which orders then reserved 3
    products_table.put_item(Item=product_item(product_id=CHOSEN_ID, stock=Decimal(7)))
    before = stored_products(products_table)

    # When the admin's change, based on 10, arrives
    body = product_request(product_id=CHOSEN_ID, name="Renamed", stock=25, expected_stock=10)
    response = post_product(upsert_product, body)

    # Then it is refused, saying what the stock is now, and nothing changed
    assert response["statusCode"] == HTTPStatus.CONFLICT
    assert response_json(response)["errors"] == [
        {"field": "expected_stock", "message": "the stock is now 7"}
    ]
    assert stored_products(products_table) == before


def test_a_stock_based_on_a_product_that_is_not_there_is_a_409_saying_so(
    upsert_product: Handler, products_table: Any
) -> None:
    body = product_request(product_id=CHOSEN_ID, stock=4, expected_stock=3)

    response = post_product(upsert_product, body)

    assert response["statusCode"] == HTTPStatus.CONFLICT
    assert response_json(response)["errors"] == [
        {"field": "expected_stock", "message": "there is no product at this id: send null"}
    ]
    assert stored_products(products_table) == []


def test_a_stock_set_at_an_id_without_what_was_read_is_a_400(
    upsert_product: Handler, products_table: Any
) -> None:
    response = post_product(upsert_product, product_request(product_id=CHOSEN_ID, stock=5))

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["expected_stock"]
    assert stored_products(products_table) == []


@pytest.mark.parametrize(
    "image",
    [
        f"{WEB_ORIGIN}/images/{'e' * 32}.png",  # never uploaded
        f"https://elsewhere.example/images/{'e' * 32}.png",
        f"{WEB_ORIGIN}/index.html",
    ],
    ids=["not uploaded", "another site", "not an image key"],
)
def test_an_image_that_is_not_an_upload_is_a_400_and_writes_nothing(
    upsert_product: Handler, products_table: Any, image: str
) -> None:
    response = post_product(upsert_product, product_request(image=image))

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["image"]
    assert stored_products(products_table) == []


@pytest.mark.parametrize("caller", [ADMIN, SHOPPER], ids=["created", "refused"])
def test_the_web_client_may_read_the_response(upsert_product: Handler, caller: Caller) -> None:
    response = post_product(upsert_product, product_request(), caller=caller)

    assert response["multiValueHeaders"]["Access-Control-Allow-Origin"] == [WEB_ORIGIN]
