"""DELETE /order/{order_id}: an admin removes an order (204; 404 if there is none)."""

from http import HTTPStatus
from typing import Any

import pytest

from shop_common.api import Handler
from tests.builders.callers import ADMIN, SHOPPER, Caller
from tests.builders.data import order_item, owned_by
from tests.builders.events import LambdaContext, api_event
from tests.service.orders.support import error_fields, stored

MISSING_ORDER = "0b6f0c3e-3c1b-4b51-a3a2-6b0e4f3c9d01"


def delete(handler: Handler, order_id: str, caller: Caller | None) -> dict[str, Any]:
    event = api_event(
        "DELETE", "/order/{order_id}", caller=caller, path_parameters={"order_id": order_id}
    )
    return handler(event, LambdaContext())


@pytest.fixture
def alices_order(orders_table: Any) -> dict[str, Any]:
    item = order_item(**owned_by(SHOPPER))
    orders_table.put_item(Item=item)
    return item


def test_an_admin_deletes_an_order(
    delete_order: Handler, alices_order: dict[str, Any], orders_table: Any
) -> None:
    response = delete(delete_order, alices_order["order_id"], ADMIN)

    assert response["statusCode"] == HTTPStatus.NO_CONTENT
    assert response["body"] == ""
    assert stored(orders_table) == []


def test_a_shopper_may_not_delete_even_their_own_order(
    delete_order: Handler, alices_order: dict[str, Any], orders_table: Any
) -> None:
    response = delete(delete_order, alices_order["order_id"], SHOPPER)

    assert response["statusCode"] == HTTPStatus.FORBIDDEN
    assert stored(orders_table) == [alices_order]


def test_a_missing_order_is_a_404(delete_order: Handler, alices_order: dict[str, Any]) -> None:
    response = delete(delete_order, MISSING_ORDER, ADMIN)

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert error_fields(response) == ["order_id"]


@pytest.mark.parametrize("order_id", ["order-1", "x" * 2000])
def test_an_id_that_is_not_a_uuid_is_a_400_naming_it(
    delete_order: Handler, alices_order: dict[str, Any], orders_table: Any, order_id: str
) -> None:
    response = delete(delete_order, order_id, ADMIN)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["order_id"]
    assert stored(orders_table) == [alices_order]


def test_without_a_caller_it_is_a_401(
    delete_order: Handler, alices_order: dict[str, Any], orders_table: Any
) -> None:
    response = delete(delete_order, alices_order["order_id"], caller=None)

    assert response["statusCode"] == HTTPStatus.UNAUTHORIZED
    assert stored(orders_table) == [alices_order]
