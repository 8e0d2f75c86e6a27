"""migrations.orders_history: orders stored before orders kept their history."""

from typing import Any

import boto3
import pytest

from migrations.orders_history import main, migrate
from shop_common.api import Handler
from tests.builders.callers import ADMIN, SHOPPER
from tests.builders.data import order_item
from tests.builders.tables import TEST_TABLE_NAMES
from tests.service.orders.support import change_status, stored

PLACED = "2026-11-21T06:33:00Z"
SHIPPED = "2026-11-22T08:00:00Z"


def run(*, dry_run: bool = False) -> str:
    return str(migrate(boto3.client("dynamodb"), TEST_TABLE_NAMES["OrdersTable"], dry_run=dry_run))


def test_a_pending_order_gets_its_placing_by_its_owner(orders_table: Any) -> None:
    orders_table.put_item(Item=order_item(created_at=PLACED, updated_at=PLACED))

    run()

    (order,) = stored(orders_table)
    assert order["history"] == [
        {"status": "pending", "at": PLACED, "sub": SHOPPER.sub, "username": SHOPPER.username}
    ]


def test_an_order_that_moved_on_gets_its_status_now_by_nobody_recorded(
    orders_table: Any,
) -> None:
    orders_table.put_item(
        Item=order_item(status="shipped", created_at=PLACED, updated_at=SHIPPED, version=2)
    )

    run()

    (order,) = stored(orders_table)
    assert order["history"][1:] == [
        {"status": "shipped", "at": SHIPPED, "sub": None, "username": None}
    ]


def test_a_migrated_order_reads_back_and_changes_on(
    orders_table: Any, upsert_order: Handler
) -> None:
    orders_table.put_item(Item=order_item(status="shipped", updated_at=SHIPPED, version=2))
    run()
    (order,) = stored(orders_table)

    response = change_status(upsert_order, order["order_id"], "delivered", ADMIN)

    assert response["statusCode"] == 200
    assert [change["status"] for change in stored(orders_table)[0]["history"]] == [
        "pending",
        "shipped",
        "delivered",
    ]


def test_a_second_run_changes_nothing(orders_table: Any) -> None:
    orders_table.put_item(Item=order_item())
    run()
    after_first = stored(orders_table)

    report = run()

    assert stored(orders_table) == after_first
    assert report.startswith("already with a history: 1, given one: 0")


def test_a_dry_run_writes_nothing(orders_table: Any) -> None:
    order = order_item()
    orders_table.put_item(Item=order)

    assert "given one: 1" in run(dry_run=True)
    assert stored(orders_table) == [order]


def test_the_command_line_runs_it(orders_table: Any, capsys: pytest.CaptureFixture[str]) -> None:
    orders_table.put_item(Item=order_item())

    assert main(["--orders-table", orders_table.name]) == 0

    assert "given one: 1" in capsys.readouterr().out
    assert len(stored(orders_table)[0]["history"]) == 1
