"""Stock: an order reserves it in the transaction that stores the order, a cancel gives it
back in the transaction that changes the status, and so does deleting a pending order; never
oversold, never given back twice."""

from collections.abc import Callable, Sequence
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest

from orders.models import Order
from orders.repository import DynamoDBOrderRepository, DynamoDBProductCatalog
from shop_common.api import Handler
from shop_common.dynamodb import Table
from shop_common.product import Product
from tests.builders.callers import ADMIN, SHOPPER
from tests.builders.data import lines_request, order_request, product_item
from tests.builders.events import response_json
from tests.service.orders.conftest import repository_tables, upsert_order_on
from tests.service.orders.support import change_status, post_order, stored
from tests.service.orders.test_delete_order import delete


def add_product(products_table: Any, **fields: Any) -> dict[str, Any]:
    item = product_item(**fields)
    products_table.put_item(Item=item)
    return item


def stock_of(products_table: Any, product: dict[str, Any]) -> Any:
    """The product's stock now (None: not tracked; "deleted": no such product)."""
    item = products_table.get_item(Key={"product_id": product["product_id"]}).get("Item")
    return "deleted" if item is None else item.get("stock")


def place(handler: Handler, *lines: tuple[dict[str, Any], int], **headers: str) -> Any:
    body = lines_request(*((product["product_id"], quantity) for product, quantity in lines))
    return post_order(handler, body, SHOPPER, headers or None)


@pytest.fixture
def mug(products_table: Any) -> dict[str, Any]:
    """A product with 5 in stock, 7.50 a piece."""
    return add_product(products_table, name="Mug", price=Decimal("7.50"), stock=5)


@pytest.fixture
def vase(products_table: Any) -> dict[str, Any]:
    """A product with 1 in stock."""
    return add_product(products_table, name="Vase", price=Decimal("30"), stock=1)


# ---------------------------------------------------------------- placing


def test_an_order_takes_each_tracked_lines_quantity_from_the_stock(
    upsert_order: Handler, products_table: Any, mug: dict[str, Any], vase: dict[str, Any]
) -> None:
    response = place(upsert_order, (mug, 2), (vase, 1))

    assert response["statusCode"] == HTTPStatus.CREATED, response["body"]
    assert (stock_of(products_table, mug), stock_of(products_table, vase)) == (3, 0)


def test_an_untracked_product_is_never_decremented(
    upsert_order: Handler, products_table: Any, lamp: dict[str, Any], mug: dict[str, Any]
) -> None:
    response = place(upsert_order, (lamp, 1000), (mug, 1))

    assert response["statusCode"] == HTTPStatus.CREATED
    assert stock_of(products_table, lamp) is None
    assert "stock" not in products_table.get_item(Key={"product_id": lamp["product_id"]})["Item"]


def test_short_stock_is_a_409_naming_each_short_line_and_nothing_is_written(
    upsert_order: Handler,
    products_table: Any,
    orders_table: Any,
    lamp: dict[str, Any],
    mug: dict[str, Any],
    vase: dict[str, Any],
) -> None:
    # Given a sold-out product besides the mug (5 left) and the vase (1 left)
    bowl = add_product(products_table, name="Bowl", stock=0)

    # When alice orders 2 mugs (enough), 3 vases and a bowl (short), and 9 lamps (untracked)
    response = place(upsert_order, (mug, 2), (vase, 3), (lamp, 9), (bowl, 1))

    # Then 409 names each short line and what it has left
    assert response["statusCode"] == HTTPStatus.CONFLICT
    assert response_json(response) == {
        "message": "Not enough stock",
        "errors": [
            {"field": "lines.1.quantity", "message": "only 1 left"},
            {"field": "lines.3.quantity", "message": "only 0 left"},
        ],
    }
    # And nothing is written: no order, every stock as it was
    assert stored(orders_table) == []
    assert [stock_of(products_table, p) for p in (mug, vase, lamp, bowl)] == [5, 1, None, 0]


def test_an_order_in_the_one_line_form_is_short_on_its_only_line(
    upsert_order: Handler, products_table: Any, vase: dict[str, Any]
) -> None:
    response = post_order(upsert_order, order_request(vase["product_id"], quantity=2), SHOPPER)

    assert response["statusCode"] == HTTPStatus.CONFLICT
    assert response_json(response)["errors"] == [
        {"field": "lines.0.quantity", "message": "only 1 left"}
    ]
    assert stock_of(products_table, vase) == 1


def test_the_last_items_can_be_ordered_and_then_none(
    upsert_order: Handler, products_table: Any, vase: dict[str, Any]
) -> None:
    first, second = place(upsert_order, (vase, 1)), place(upsert_order, (vase, 1))

    assert (first["statusCode"], second["statusCode"]) == (HTTPStatus.CREATED, HTTPStatus.CONFLICT)
    assert stock_of(products_table, vase) == 0


def test_an_idempotent_retry_does_not_reserve_twice(
    upsert_order: Handler, products_table: Any, orders_table: Any, mug: dict[str, Any]
) -> None:
    first = place(upsert_order, (mug, 2), **{"Idempotency-Key": "retry-1"})

    retry = place(upsert_order, (mug, 2), **{"Idempotency-Key": "retry-1"})

    assert retry["body"] == first["body"]
    assert stock_of(products_table, mug) == 3
    assert len(stored(orders_table)) == 1


def test_the_same_key_with_other_lines_is_a_409_that_reserves_nothing(
    upsert_order: Handler,
    products_table: Any,
    orders_table: Any,
    mug: dict[str, Any],
    vase: dict[str, Any],
) -> None:
    place(upsert_order, (mug, 2), **{"Idempotency-Key": "retry-1"})

    other = place(upsert_order, (mug, 2), (vase, 1), **{"Idempotency-Key": "retry-1"})

    assert other["statusCode"] == HTTPStatus.CONFLICT
    assert [e["field"] for e in response_json(other)["errors"]] == ["Idempotency-Key"]
    assert (stock_of(products_table, mug), stock_of(products_table, vase)) == (3, 1)
    assert len(stored(orders_table)) == 1


# ---------------------------------------------------------------- products changing meanwhile


class ChangingCatalog(DynamoDBProductCatalog):
    """Runs `change` right after each of the first `times` reads: a product changed by
    someone else between the order's read and its write."""

    def __init__(self, table: Any, change: Callable[[], None], times: int = 1) -> None:
        super().__init__(table)
        self._change = change
        self._times = times
        self.reads = 0

    def get_many(self, product_ids: Sequence[str]) -> dict[str, Product]:
        read = super().get_many(product_ids)
        self.reads += 1
        if self.reads <= self._times:
            self._change()
        return read


def set_attribute(products_table: Any, product: dict[str, Any], name: str, value: Any) -> None:
    products_table.update_item(
        Key={"product_id": product["product_id"]},
        UpdateExpression="SET #name = :value",
        ExpressionAttributeNames={"#name": name},
        ExpressionAttributeValues={":value": value},
    )


def test_a_product_repriced_meanwhile_is_read_again_and_charged_as_it_is(
    idempotency_table: Any, orders_table: Any, products_table: Any, mug: dict[str, Any]
) -> None:
    # Given the mug repriced to 8 just after the order read it
    def reprice() -> None:
        set_attribute(products_table, mug, "price", Decimal(8))

    catalog = ChangingCatalog(Table(products_table.name), reprice)

    # When alice orders 2 mugs
    response = place(
        upsert_order_on(DynamoDBOrderRepository(*repository_tables()), catalog),
        (mug, 2),
    )

    # Then the order was priced again, at what the product costs when the stock is taken
    assert response["statusCode"] == HTTPStatus.CREATED
    assert catalog.reads == 2
    assert response_json(response)["total_price"] == 16
    assert stock_of(products_table, mug) == 3


def test_a_product_tracked_meanwhile_is_read_again_and_its_stock_reserved(
    idempotency_table: Any, orders_table: Any, products_table: Any, lamp: dict[str, Any]
) -> None:
    # Given the lamp given a stock of 4 just after the order read it untracked
    def track() -> None:
        set_attribute(products_table, lamp, "stock", 4)

    catalog = ChangingCatalog(Table(products_table.name), track)

    # When alice orders 3 lamps  Then the stock is reserved
    response = place(
        upsert_order_on(DynamoDBOrderRepository(*repository_tables()), catalog),
        (lamp, 3),
    )
    assert response["statusCode"] == HTTPStatus.CREATED
    assert stock_of(products_table, lamp) == 1


def test_a_product_deleted_meanwhile_is_a_404_naming_its_line(
    idempotency_table: Any,
    orders_table: Any,
    products_table: Any,
    mug: dict[str, Any],
    vase: dict[str, Any],
) -> None:
    catalog = ChangingCatalog(
        Table(products_table.name),
        lambda: products_table.delete_item(Key={"product_id": vase["product_id"]}),
    )

    response = place(
        upsert_order_on(DynamoDBOrderRepository(*repository_tables()), catalog),
        (mug, 1),
        (vase, 1),
    )

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert [e["field"] for e in response_json(response)["errors"]] == ["lines.1.product_id"]
    assert stored(orders_table) == []
    assert stock_of(products_table, mug) == 5


def test_a_product_that_keeps_changing_is_a_409_after_three_attempts(
    idempotency_table: Any, orders_table: Any, products_table: Any, mug: dict[str, Any]
) -> None:
    prices = iter(range(10, 20))

    def reprice() -> None:
        set_attribute(products_table, mug, "price", Decimal(next(prices)))

    catalog = ChangingCatalog(Table(products_table.name), reprice, times=10)

    response = place(
        upsert_order_on(DynamoDBOrderRepository(*repository_tables()), catalog),
        (mug, 1),
    )

    assert response["statusCode"] == HTTPStatus.CONFLICT
    assert catalog.reads == 3
    assert stored(orders_table) == []
    assert stock_of(products_table, mug) == 5


# ---------------------------------------------------------------- cancelling


@pytest.mark.parametrize("caller", [SHOPPER, ADMIN], ids=["owner", "admin"])
def test_cancelling_a_pending_order_gives_its_stock_back(
    upsert_order: Handler,
    products_table: Any,
    lamp: dict[str, Any],
    mug: dict[str, Any],
    vase: dict[str, Any],
    caller: Any,
) -> None:
    order = response_json(place(upsert_order, (mug, 2), (vase, 1), (lamp, 4)))

    response = change_status(upsert_order, order["order_id"], "cancelled", caller)

    assert response["statusCode"] == HTTPStatus.OK
    assert [stock_of(products_table, p) for p in (mug, vase, lamp)] == [5, 1, None]


def test_cancelling_a_shipped_order_gives_its_stock_back(
    upsert_order: Handler, products_table: Any, mug: dict[str, Any]
) -> None:
    order = response_json(place(upsert_order, (mug, 2)))
    change_status(upsert_order, order["order_id"], "shipped", ADMIN)

    response = change_status(upsert_order, order["order_id"], "cancelled", ADMIN)

    assert response["statusCode"] == HTTPStatus.OK
    assert stock_of(products_table, mug) == 5


def test_deleting_a_pending_order_gives_its_stock_back(
    upsert_order: Handler, delete_order: Handler, products_table: Any, mug: dict[str, Any]
) -> None:
    order = response_json(place(upsert_order, (mug, 2)))

    assert delete(delete_order, order["order_id"], ADMIN)["statusCode"] == HTTPStatus.NO_CONTENT
    assert stock_of(products_table, mug) == 5


def test_deleting_a_shipped_order_keeps_the_stock_taken(
    upsert_order: Handler, delete_order: Handler, products_table: Any, mug: dict[str, Any]
) -> None:
    order = response_json(place(upsert_order, (mug, 2)))
    change_status(upsert_order, order["order_id"], "shipped", ADMIN)

    assert delete(delete_order, order["order_id"], ADMIN)["statusCode"] == HTTPStatus.NO_CONTENT
    assert stock_of(products_table, mug) == 3


@pytest.mark.parametrize("status", ["shipped", "delivered"])
def test_shipping_and_delivering_keep_the_stock_taken(
    upsert_order: Handler, products_table: Any, mug: dict[str, Any], status: str
) -> None:
    order = response_json(place(upsert_order, (mug, 2)))
    change_status(upsert_order, order["order_id"], "shipped", ADMIN)
    if status == "delivered":
        change_status(upsert_order, order["order_id"], "delivered", ADMIN)

    assert stock_of(products_table, mug) == 3


def test_cancelling_an_order_whose_product_was_deleted_still_cancels_it(
    upsert_order: Handler, products_table: Any, mug: dict[str, Any], vase: dict[str, Any]
) -> None:
    # Given an order of mugs and a vase, and the vase deleted since
    order = response_json(place(upsert_order, (mug, 2), (vase, 1)))
    products_table.delete_item(Key={"product_id": vase["product_id"]})

    # When it is cancelled
    response = change_status(upsert_order, order["order_id"], "cancelled", SHOPPER)

    # Then it is; the mugs come back and the vase is not recreated
    assert response["statusCode"] == HTTPStatus.OK
    assert response_json(response)["lines"] == order["lines"]
    assert (stock_of(products_table, mug), stock_of(products_table, vase)) == (5, "deleted")


def test_a_product_no_longer_tracked_gets_nothing_back(
    upsert_order: Handler, products_table: Any, mug: dict[str, Any]
) -> None:
    order = response_json(place(upsert_order, (mug, 2)))
    products_table.update_item(
        Key={"product_id": mug["product_id"]}, UpdateExpression="REMOVE stock"
    )

    response = change_status(upsert_order, order["order_id"], "cancelled", SHOPPER)

    assert response["statusCode"] == HTTPStatus.OK
    assert stock_of(products_table, mug) is None


def test_a_product_tracked_since_the_order_gets_nothing_it_never_gave(
    upsert_order: Handler, products_table: Any, lamp: dict[str, Any]
) -> None:
    order = response_json(place(upsert_order, (lamp, 2)))
    set_attribute(products_table, lamp, "stock", 10)

    change_status(upsert_order, order["order_id"], "cancelled", SHOPPER)

    assert stock_of(products_table, lamp) == 10


class FirstReadOrders(DynamoDBOrderRepository):
    """Returns every order as it was first read, as to a request that read it concurrently."""

    def __init__(self, table: Any, products_table: Any) -> None:
        super().__init__(table, products_table)
        self.first_reads: dict[str, Order | None] = {}

    def get(self, order_id: str) -> Order | None:
        return self.first_reads.setdefault(order_id, super().get(order_id))


def test_of_two_concurrent_cancels_one_gives_the_stock_back_and_the_other_gets_409(
    upsert_order: Handler,
    idempotency_table: Any,
    orders_table: Any,
    products_table: Any,
    mug: dict[str, Any],
) -> None:
    # Given an order of 2 mugs, and two cancels that both read it while it was pending
    order = response_json(place(upsert_order, (mug, 2)))
    repository = FirstReadOrders(*repository_tables())
    handler = upsert_order_on(repository, DynamoDBProductCatalog(Table(products_table.name)))

    # When both write
    first = change_status(handler, order["order_id"], "cancelled", ADMIN)
    second = change_status(handler, order["order_id"], "cancelled", SHOPPER)

    # Then one wins, and the mugs came back once
    assert (first["statusCode"], second["statusCode"]) == (HTTPStatus.OK, HTTPStatus.CONFLICT)
    assert stock_of(products_table, mug) == 5
