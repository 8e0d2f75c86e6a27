"""How the repository reads a cancelled transaction, for the reasons moto never gives
(DynamoDB's `TransactionConflict`): on a table stand-in that cancels every transaction."""

from decimal import Decimal
from typing import Any

import pytest
from botocore.exceptions import ClientError

from orders.models import Order, OrderStatus, StatusChange
from orders.repository import DynamoDBOrderRepository
from shop_common.dynamodb import Table
from shop_common.errors import ConflictError, StaleReadError
from tests.builders.data import order_item, order_line

NONE = {"Code": "None"}


def failed(**item: Any) -> dict[str, Any]:
    """A condition that failed on this item (DynamoDB notation), as ALL_OLD returns it."""
    typed = {
        name: {"N": str(value)} if isinstance(value, int | Decimal) else {"S": value}
        for name, value in item.items()
    }
    return {"Code": "ConditionalCheckFailed", "Message": "failed", "Item": typed}


class CancellingClient:
    def __init__(self, reasons: list[dict[str, Any]]) -> None:
        self.reasons = reasons

    def transact_write_items(self, TransactItems: list[Any]) -> None:  # noqa: N803
        assert len(TransactItems) == len(self.reasons)
        error = {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"}
        raise ClientError(
            {"Error": error, "CancellationReasons": self.reasons},
            "TransactWriteItems",
        )


def repository(*reasons: dict[str, Any]) -> DynamoDBOrderRepository:
    client = CancellingClient(list(reasons))
    return DynamoDBOrderRepository(Table("orders", client), Table("products", client))


# A tracked line of 3 at 7.50, an untracked one of 1 at 19.99.
ORDER = Order.model_validate(
    order_item(
        order_line(unit_price=Decimal("7.50"), quantity=3, stock_reserved=True),
        order_line(unit_price=Decimal("19.99"), quantity=1),
    )
)


def test_a_tracked_line_with_too_little_left_is_short() -> None:
    with pytest.raises(ConflictError) as refused:
        repository(NONE, failed(price=Decimal("7.50"), stock=2), NONE).place(ORDER)

    assert type(refused.value) is ConflictError
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("lines.0.quantity", "only 2 left")
    ]


@pytest.mark.parametrize(
    "reasons",
    [
        (NONE, failed(price=Decimal(8), stock=2), NONE),
        (NONE, {"Code": "ConditionalCheckFailed", "Message": "failed"}, NONE),
        (NONE, failed(price=Decimal("7.50")), NONE),
        (NONE, NONE, failed(price=Decimal("19.99"), stock=5)),
        (NONE, {"Code": "TransactionConflict", "Message": "conflict"}, NONE),
        (NONE, failed(price=Decimal("7.50"), stock=2), {"Code": "TransactionConflict"}),
        ({"Code": "TransactionConflict"}, NONE, NONE),
    ],
    ids=[
        "repriced",
        "deleted",
        "untracked since",
        "tracked since",
        "a concurrent transaction on a product",
        "short, and a concurrent transaction",
        "a concurrent transaction on the order",
    ],
)
def test_anything_but_short_stock_is_a_stale_read_to_retry(reasons: Any) -> None:
    with pytest.raises(StaleReadError):
        repository(*reasons).place(ORDER)


def test_a_taken_order_id_is_a_conflict_not_retried() -> None:
    with pytest.raises(ConflictError) as refused:
        repository(failed(order_id=ORDER.order_id), NONE, NONE).place(ORDER)

    assert type(refused.value) is ConflictError
    assert refused.value.message == f"Order {ORDER.order_id} already exists"


CANCEL = StatusChange(
    status=OrderStatus.CANCELLED, at="2026-11-21T07:00:00Z", sub="s", username="u"
)


def test_a_cancel_whose_order_changed_is_a_conflict_whatever_the_products() -> None:
    with pytest.raises(ConflictError) as refused:
        repository(failed(order_id=ORDER.order_id), failed()).update_status(
            ORDER, CANCEL, restock=ORDER.lines[:1]
        )

    assert type(refused.value) is ConflictError
    assert [e.field for e in refused.value.errors] == ["status"]


def test_a_cancel_whose_product_changed_is_a_stale_read_to_retry() -> None:
    with pytest.raises(StaleReadError):
        repository(NONE, failed(price=Decimal("7.50"))).update_status(
            ORDER, CANCEL, restock=ORDER.lines[:1]
        )
