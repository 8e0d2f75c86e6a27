"""GET /order/{order_id}: one order with its history, for its owner or an admin."""

from http import HTTPStatus
from typing import Any

import pytest

from shop_common.api import Handler
from tests.builders.callers import ADMIN, OTHER_SHOPPER, SHOPPER, Caller
from tests.builders.data import address, order_item, order_request
from tests.builders.events import LambdaContext, api_event, response_json
from tests.service.orders.support import change_status, error_fields, post_order


def get_one(handler: Handler, order_id: str, caller: Caller | None) -> dict[str, Any]:
    event = api_event(
        "GET", "/order/{order_id}", caller=caller, path_parameters={"order_id": order_id}
    )
    return handler(event, LambdaContext())


@pytest.fixture
def placed(upsert_order: Handler, lamp: dict[str, Any]) -> dict[str, Any]:
    """alice's order, placed through the API."""
    response = post_order(upsert_order, order_request(lamp["product_id"]), SHOPPER)
    assert response["statusCode"] == HTTPStatus.CREATED
    return response_json(response)


@pytest.mark.parametrize("caller", [SHOPPER, ADMIN], ids=["owner", "admin"])
def test_the_owner_and_an_admin_get_the_order(
    get_order: Handler, placed: dict[str, Any], caller: Caller
) -> None:
    response = get_one(get_order, placed["order_id"], caller)

    assert response["statusCode"] == HTTPStatus.OK
    assert response_json(response) == placed


@pytest.mark.parametrize("caller", [SHOPPER, ADMIN], ids=["owner", "admin"])
def test_the_owner_and_an_admin_see_where_it_is_delivered(
    get_order: Handler, placed: dict[str, Any], caller: Caller
) -> None:
    response = get_one(get_order, placed["order_id"], caller)

    assert response_json(response)["address"] == address()


def test_an_order_placed_before_orders_had_an_address_reads_as_none(
    get_order: Handler, orders_table: Any
) -> None:
    # Given an order stored as the shop stored orders before they had an address
    item = order_item()
    del item["address"]
    orders_table.put_item(Item=item)

    # When its owner reads it
    response = get_one(get_order, item["order_id"], SHOPPER)

    # Then it says "no address"
    assert response["statusCode"] == HTTPStatus.OK
    assert response_json(response)["address"] is None


def test_its_history_says_each_status_when_and_who(
    get_order: Handler, upsert_order: Handler, placed: dict[str, Any]
) -> None:
    # Given alice's order, shipped then delivered by the admin
    for status in ("shipped", "delivered"):
        assert change_status(upsert_order, placed["order_id"], status, ADMIN)["statusCode"] == 200

    # When alice reads it
    history = response_json(get_one(get_order, placed["order_id"], SHOPPER))["history"]

    # Then every change is there, in order, with who made it
    assert [(c["status"], c["sub"], c["username"]) for c in history] == [
        ("pending", SHOPPER.sub, SHOPPER.username),
        ("shipped", ADMIN.sub, ADMIN.username),
        ("delivered", ADMIN.sub, ADMIN.username),
    ]
    assert history[0]["at"] == placed["created_at"]
    assert all(change["at"] >= placed["created_at"] for change in history)


def test_somebody_elses_order_is_a_404_like_a_missing_one(
    get_order: Handler, placed: dict[str, Any]
) -> None:
    theirs = get_one(get_order, placed["order_id"], OTHER_SHOPPER)
    missing = get_one(get_order, "0b6f0c3e-3c1b-4b51-a3a2-6b0e4f3c9d01", OTHER_SHOPPER)

    assert theirs["statusCode"] == missing["statusCode"] == HTTPStatus.NOT_FOUND
    assert response_json(theirs)["errors"] == response_json(missing)["errors"]


def test_an_order_id_that_is_not_a_uuid_is_a_400_naming_it(get_order: Handler) -> None:
    response = get_one(get_order, "not-a-uuid", SHOPPER)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["order_id"]


def test_without_a_caller_it_is_a_401(get_order: Handler, placed: dict[str, Any]) -> None:
    assert get_one(get_order, placed["order_id"], None)["statusCode"] == HTTPStatus.UNAUTHORIZED
