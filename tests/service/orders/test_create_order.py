"""POST /order without order_id: place an order (201), priced by the server."""

from collections.abc import Callable
from decimal import Decimal
from http import HTTPStatus
from typing import Any
from uuid import UUID

import pytest

from shop_common.api import MAX_BODY_BYTES, Handler
from tests.builders.callers import ADMIN, OTHER_SHOPPER, SHOPPER
from tests.builders.data import address, order_request
from tests.builders.events import response_json
from tests.service.orders.support import emitted_metrics, error_fields, post_order, stored

UNKNOWN_PRODUCT = "0b6f0c3e-3c1b-4b51-a3a2-6b0e4f3c9d01"


def test_a_shopper_places_an_order_priced_by_the_server(
    upsert_order: Handler, lamp: dict[str, Any], orders_table: Any
) -> None:
    # When alice orders three lamps at 19.99
    response = post_order(upsert_order, order_request(lamp["product_id"], quantity=3), SHOPPER)

    # Then a pending order of one line is created, priced exactly, the product copied into it
    assert response["statusCode"] == HTTPStatus.CREATED
    order = response_json(response)
    assert UUID(order["order_id"])
    assert order == {
        "order_id": order["order_id"],
        "owner_sub": SHOPPER.sub,
        "username": "alice",
        "lines": [
            {
                "product_id": lamp["product_id"],
                "product_name": "Desk lamp",
                "unit_price": 19.99,
                "quantity": 3,
                "line_total": 59.97,
            }
        ],
        "address": address(),
        "total_price": 59.97,
        "currency": "EUR",
        "status": "pending",
        "created_at": order["created_at"],
        "updated_at": order["created_at"],
        "version": 1,
        "history": [
            {
                "status": "pending",
                "at": order["created_at"],
                "sub": SHOPPER.sub,
                "username": "alice",
            }
        ],
    }
    # And it is stored as returned, the prices as exact DynamoDB numbers, with whether each
    # line reserved stock (the lamp does not track it) and the attributes of the indexes
    # that list it
    (line,) = order["lines"]
    assert stored(orders_table) == [
        {
            **order,
            "kind": "order",
            "owner_status": f"{SHOPPER.sub}#pending",
            "lines": [
                {
                    **line,
                    "unit_price": Decimal("19.99"),
                    "line_total": Decimal("59.97"),
                    "stock_reserved": False,
                }
            ],
            "total_price": Decimal("59.97"),
        }
    ]


def test_the_creation_is_counted_as_a_metric(
    upsert_order: Handler, lamp: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    post_order(upsert_order, order_request(lamp["product_id"]), SHOPPER)

    metrics = emitted_metrics(capsys.readouterr().out)

    assert {"name": "OrderCreated", "dimensions": {"service": "orders"}} in metrics


def test_client_sent_prices_status_and_other_server_fields_are_ignored(
    upsert_order: Handler, lamp: dict[str, Any]
) -> None:
    body = order_request(
        lamp["product_id"],
        quantity=2,
        unit_price=0.01,
        total_price=0.01,
        product_name="Free lamp",
        status="delivered",
        version=99,
        created_at="2000-01-01T00:00:00Z",
        updated_at="2000-01-01T00:00:00Z",
    )

    order = response_json(post_order(upsert_order, body, SHOPPER))

    (line,) = order["lines"]
    assert (line["unit_price"], order["total_price"], line["product_name"]) == (
        19.99,
        39.98,
        "Desk lamp",
    )
    assert (order["status"], order["version"]) == ("pending", 1)
    assert order["created_at"] > "2000-01-01T00:00:00Z"


def test_a_shoppers_order_is_theirs_whatever_the_body_says(
    upsert_order: Handler, lamp: dict[str, Any]
) -> None:
    body = order_request(lamp["product_id"], username=OTHER_SHOPPER.username)

    order = response_json(post_order(upsert_order, body, SHOPPER))

    assert (order["owner_sub"], order["username"]) == (SHOPPER.sub, SHOPPER.username)


def test_an_admin_orders_on_behalf_of_an_existing_user_resolved_to_their_sub(
    upsert_order: Handler, lamp: dict[str, Any], users: Callable[[str], str]
) -> None:
    # Given carol exists in the user pool
    carol_sub = users("carol")

    # When the admin orders for her
    body = order_request(lamp["product_id"], username="carol")
    response = post_order(upsert_order, body, ADMIN)

    # Then the order is hers: her sub, her name for display
    assert response["statusCode"] == HTTPStatus.CREATED
    order = response_json(response)
    assert (order["owner_sub"], order["username"]) == (carol_sub, "carol")


def test_an_admin_ordering_for_a_user_who_does_not_exist_gets_a_404_naming_username(
    upsert_order: Handler, lamp: dict[str, Any], users: Callable[[str], str], orders_table: Any
) -> None:
    users("carol")

    response = post_order(
        upsert_order, order_request(lamp["product_id"], username="mallory"), ADMIN
    )

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert error_fields(response) == ["username"]
    assert stored(orders_table) == []


def test_an_admin_without_a_username_orders_for_themselves(
    upsert_order: Handler, lamp: dict[str, Any]
) -> None:
    order = response_json(post_order(upsert_order, order_request(lamp["product_id"]), ADMIN))

    assert (order["owner_sub"], order["username"]) == (ADMIN.sub, ADMIN.username)


def test_an_unknown_product_is_a_404_naming_it(upsert_order: Handler, orders_table: Any) -> None:
    response = post_order(upsert_order, order_request(UNKNOWN_PRODUCT), SHOPPER)

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert response_json(response)["message"] == f"Product {UNKNOWN_PRODUCT} not found"
    assert error_fields(response) == ["product_id"]
    assert stored(orders_table) == []


def test_without_a_caller_it_is_a_401(
    upsert_order: Handler, lamp: dict[str, Any], orders_table: Any
) -> None:
    response = post_order(upsert_order, order_request(lamp["product_id"]), caller=None)

    assert response["statusCode"] == HTTPStatus.UNAUTHORIZED
    assert stored(orders_table) == []


def test_a_body_over_16_kib_is_a_413(
    upsert_order: Handler, lamp: dict[str, Any], orders_table: Any
) -> None:
    body = order_request(lamp["product_id"], padding="x" * MAX_BODY_BYTES)

    response = post_order(upsert_order, body, SHOPPER)

    assert response["statusCode"] == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert stored(orders_table) == []


# A product id the `lamp` fixture replaces with its own, so the rest of the body is judged.
LAMP = "<lamp>"
BAD_CREATIONS: dict[str, tuple[Any, str]] = {
    "malformed JSON": ('{"product_id": ', "body"),
    "not an object": ("[1, 2]", "body"),
    "no body": (None, "body"),
    "NaN quantity": ('{"product_id": "<lamp>", "quantity": NaN}', "body"),
    "no product_id": ({"quantity": 2, "address": address()}, "product_id"),
    "no quantity": ({"product_id": LAMP, "address": address()}, "quantity"),
    "no address": ({"product_id": LAMP, "quantity": 2}, "address"),
    "country not ISO": (order_request(LAMP, address=address(country="UK")), "address.country"),
    "name with a line separator": (
        order_request(LAMP, address=address(name="Ann\u2028Bcc")),
        "address.name",
    ),
    "city with a bidi override": (
        order_request(LAMP, address=address(city="\u202eLondon")),
        "address.city",
    ),
    "quantity a string": (order_request(LAMP, quantity="2"), "quantity"),
    "quantity a float": (order_request(LAMP, quantity=2.5), "quantity"),
    "quantity a boolean": (order_request(LAMP, quantity=True), "quantity"),
    "quantity null": (order_request(LAMP, quantity=None), "quantity"),
    "zero quantity": (order_request(LAMP, quantity=0), "quantity"),
    "negative quantity": (order_request(LAMP, quantity=-3), "quantity"),
    "quantity over 1000": (order_request(LAMP, quantity=1001), "quantity"),
    "huge quantity": (order_request(LAMP, quantity=10**40), "quantity"),
    "product_id not a UUID": (order_request("lamp-1"), "product_id"),
    "product_id a number": (order_request(7), "product_id"),
    "over-long product_id": (order_request("f" * 5000), "product_id"),
    "over-long username": (order_request(LAMP, username="u" * 129), "username"),
    "username a number": (order_request(LAMP, username=42), "username"),
    "username with a control character": (order_request(LAMP, username="bob\u0001"), "username"),
    "username with a zero-width space": (order_request(LAMP, username="bo\u200bb"), "username"),
    "unknown field": (order_request(LAMP, coupon="FREE"), "coupon"),
}


def _with_lamp(body: Any, product_id: str) -> Any:
    if isinstance(body, dict):
        return {key: product_id if value == LAMP else value for key, value in body.items()}
    return body.replace(LAMP, product_id) if isinstance(body, str) else body


@pytest.mark.parametrize(("body", "field"), BAD_CREATIONS.values(), ids=BAD_CREATIONS.keys())
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    upsert_order: Handler,
    lamp: dict[str, Any],
    orders_table: Any,
    idempotency_table: Any,
    body: Any,
    field: str,
) -> None:
    response = post_order(
        upsert_order, _with_lamp(body, lamp["product_id"]), ADMIN, {"Idempotency-Key": "k-1"}
    )

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == [field]
    assert stored(orders_table) == []
    assert stored(idempotency_table) == []


@pytest.mark.parametrize("key", ["", "k" * 256, "caf\u00e9"])
def test_a_bad_idempotency_key_is_a_400_naming_the_header(
    upsert_order: Handler, lamp: dict[str, Any], orders_table: Any, key: str
) -> None:
    headers = {"Idempotency-Key": key}

    response = post_order(upsert_order, order_request(lamp["product_id"]), SHOPPER, headers)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["Idempotency-Key"]
    assert stored(orders_table) == []
