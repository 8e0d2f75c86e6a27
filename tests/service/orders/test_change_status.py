"""POST /order with order_id: move an order along the status machine (200)."""

from http import HTTPStatus
from typing import Any

import pytest

from orders.models import Order
from orders.repository import (
    DynamoDBOrderRepository,
    DynamoDBProductCatalog,
)
from shop_common.api import Handler
from shop_common.dynamodb import Table
from tests.builders.callers import ADMIN, OTHER_SHOPPER, SHOPPER, Caller
from tests.builders.data import address, order_item, owned_by
from tests.builders.events import response_json
from tests.service.orders.conftest import repository_tables, upsert_order_on
from tests.service.orders.support import (
    change_status,
    emitted_metrics,
    error_fields,
    post_order,
    stored,
)

MISSING_ORDER = "0b6f0c3e-3c1b-4b51-a3a2-6b0e4f3c9d01"


@pytest.fixture
def alices_order(orders_table: Any) -> dict[str, Any]:
    """A pending order of alice's in the Orders table."""
    item = order_item(**owned_by(SHOPPER), status="pending", version=1)
    orders_table.put_item(Item=item)
    return item


def the_order(orders_table: Any, order: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = orders_table.get_item(Key={"order_id": order["order_id"]})["Item"]
    return item


def test_an_admin_ships_an_order(
    upsert_order: Handler, alices_order: dict[str, Any], orders_table: Any
) -> None:
    response = change_status(upsert_order, alices_order["order_id"], "shipped", ADMIN)

    assert response["statusCode"] == HTTPStatus.OK
    order = response_json(response)
    assert (order["status"], order["version"]) == ("shipped", 2)
    assert order["updated_at"] > alices_order["updated_at"]
    assert the_order(orders_table, alices_order) == {
        **alices_order,
        "status": "shipped",
        "owner_status": f"{SHOPPER.sub}#shipped",
        "version": 2,
        "updated_at": order["updated_at"],
        "history": [
            {"status": "shipped", "at": order["updated_at"], "sub": ADMIN.sub, "username": "admin"}
        ],
    }


def test_an_admin_ships_then_delivers(upsert_order: Handler, alices_order: dict[str, Any]) -> None:
    change_status(upsert_order, alices_order["order_id"], "shipped", ADMIN)

    response = change_status(upsert_order, alices_order["order_id"], "delivered", ADMIN)

    assert (response_json(response)["status"], response_json(response)["version"]) == (
        "delivered",
        3,
    )


def test_the_owner_cancels_their_pending_order(
    upsert_order: Handler, alices_order: dict[str, Any]
) -> None:
    response = change_status(upsert_order, alices_order["order_id"], "cancelled", SHOPPER)

    assert response["statusCode"] == HTTPStatus.OK
    assert response_json(response)["status"] == "cancelled"


def test_the_change_is_counted_with_the_new_status(
    upsert_order: Handler, alices_order: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    change_status(upsert_order, alices_order["order_id"], "shipped", ADMIN)

    metrics = emitted_metrics(capsys.readouterr().out)

    assert {
        "name": "OrderStatusChanged",
        "dimensions": {"service": "orders", "status": "shipped"},
    } in metrics


@pytest.mark.parametrize(
    ("start", "target", "caller", "status_code"),
    [
        ("pending", "shipped", SHOPPER, HTTPStatus.FORBIDDEN),
        ("shipped", "cancelled", SHOPPER, HTTPStatus.FORBIDDEN),
        ("shipped", "delivered", SHOPPER, HTTPStatus.FORBIDDEN),
        ("delivered", "pending", ADMIN, HTTPStatus.CONFLICT),
        ("cancelled", "pending", SHOPPER, HTTPStatus.CONFLICT),
        ("pending", "pending", ADMIN, HTTPStatus.CONFLICT),
        ("pending", "delivered", ADMIN, HTTPStatus.CONFLICT),
    ],
)
def test_a_refused_transition_changes_nothing(
    upsert_order: Handler,
    orders_table: Any,
    start: str,
    target: str,
    caller: Caller,
    status_code: HTTPStatus,
) -> None:
    order = order_item(**owned_by(SHOPPER), status=start)
    orders_table.put_item(Item=order)

    response = change_status(upsert_order, order["order_id"], target, caller)

    assert response["statusCode"] == status_code
    assert the_order(orders_table, order) == order


def test_somebody_elses_order_is_a_404_like_a_missing_one(
    upsert_order: Handler, alices_order: dict[str, Any], orders_table: Any
) -> None:
    bobs_try = change_status(upsert_order, alices_order["order_id"], "cancelled", OTHER_SHOPPER)
    missing = change_status(upsert_order, MISSING_ORDER, "cancelled", OTHER_SHOPPER)

    assert bobs_try["statusCode"] == missing["statusCode"] == HTTPStatus.NOT_FOUND
    assert error_fields(bobs_try) == error_fields(missing) == ["order_id"]
    assert the_order(orders_table, alices_order) == alices_order


def test_an_order_echoed_back_whole_changes_only_its_status(
    upsert_order: Handler, alices_order: dict[str, Any]
) -> None:
    # Given the order as the client got it, with its status changed and the
    # server-managed fields tampered with
    echoed = {
        **Order.model_validate(alices_order).model_dump(mode="json"),
        "status": "cancelled",
        "username": "mallory",
        "total_price": 0.01,
        "unit_price": 0.01,
        "product_name": "Free lamp",
        "created_at": "2000-01-01T00:00:00Z",
        "version": 41,
    }

    response = post_order(upsert_order, echoed, SHOPPER)

    assert response["statusCode"] == HTTPStatus.OK
    assert response_json(response) == {
        **Order.model_validate(alices_order).model_dump(mode="json"),
        "status": "cancelled",
        "version": 2,
        "history": [
            {
                "status": "cancelled",
                "at": response_json(response)["updated_at"],
                "sub": SHOPPER.sub,
                "username": "alice",
            }
        ],
        "updated_at": response_json(response)["updated_at"],
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": 7}, "quantity"),
        ({"product_id": MISSING_ORDER}, "product_id"),
        ({"status": "lost"}, "status"),
        ({"status": "x" * 5000}, "status"),
        ({"status": None}, "status"),
        ({"order_id": "order-1"}, "order_id"),
        ({"gift_wrap": True}, "gift_wrap"),
        ({"address": address(city="Lyon")}, "address"),
        ({"address": address(country="ZZ")}, "address.country"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(
    upsert_order: Handler,
    alices_order: dict[str, Any],
    orders_table: Any,
    change: dict[str, Any],
    field: str,
) -> None:
    body = {"order_id": alices_order["order_id"], "status": "cancelled", **change}

    response = post_order(upsert_order, body, SHOPPER)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == [field]
    assert the_order(orders_table, alices_order) == alices_order


class StaleOrderRepository(DynamoDBOrderRepository):
    """Returns every order as it was first read: each request after the first acts on what
    it read before the first one's change, as a concurrent request would."""

    def __init__(self, table: Any, products_table: Any) -> None:
        super().__init__(table, products_table)
        self.first_reads: dict[str, Order | None] = {}

    def get(self, order_id: str) -> Order | None:
        if order_id not in self.first_reads:
            self.first_reads[order_id] = super().get(order_id)
        return self.first_reads[order_id]


@pytest.mark.parametrize(
    ("winner", "loser"),
    [
        (("shipped", ADMIN), ("cancelled", SHOPPER)),
        (("cancelled", SHOPPER), ("shipped", ADMIN)),
        (("cancelled", ADMIN), ("cancelled", SHOPPER)),
    ],
)
def test_of_two_concurrent_changes_one_wins_and_the_other_gets_409(
    alices_order: dict[str, Any],
    orders_table: Any,
    products_table: Any,
    idempotency_table: Any,
    winner: tuple[str, Caller],
    loser: tuple[str, Caller],
) -> None:
    # Given two requests that both read alice's order while it was pending
    handler = upsert_order_on(
        StaleOrderRepository(*repository_tables()),
        DynamoDBProductCatalog(Table(products_table.name)),
    )

    # When each writes its change
    first = change_status(handler, alices_order["order_id"], *winner)
    second = change_status(handler, alices_order["order_id"], *loser)

    # Then the first wins, the second is refused, and the order holds the first change
    assert (first["statusCode"], second["statusCode"]) == (HTTPStatus.OK, HTTPStatus.CONFLICT)
    assert error_fields(second) == ["status"]
    stored_order = the_order(orders_table, alices_order)
    assert (stored_order["status"], stored_order["version"]) == (winner[0], 2)
    assert stored(orders_table) == [stored_order]
