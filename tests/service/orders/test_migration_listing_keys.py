"""migrations.orders_listing_keys: orders stored before the listings' indexes."""

from typing import Any

import boto3
import pytest

from migrations.orders_listing_keys import main, migrate
from shop_common.api import Handler
from tests.builders.callers import ADMIN, SHOPPER
from tests.builders.data import order_item
from tests.builders.events import response_json
from tests.builders.tables import TEST_TABLE_NAMES
from tests.service.orders.support import get_orders_page, stored


def unkeyed_order(**overrides: Any) -> dict[str, Any]:
    """An order as stored before the indexes: without `kind` and `owner_status`."""
    item = order_item(**overrides)
    del item["kind"], item["owner_status"]
    return item


def run(*, dry_run: bool = False) -> str:
    return str(migrate(boto3.client("dynamodb"), TEST_TABLE_NAMES["OrdersTable"], dry_run=dry_run))


def test_a_migrated_order_is_listed_again_for_its_owner_and_the_admin(
    orders_table: Any, get_orders: Handler
) -> None:
    order = unkeyed_order(status="shipped")
    orders_table.put_item(Item=order)

    run()

    for caller, query in [(SHOPPER, {}), (SHOPPER, {"status": "shipped"}), (ADMIN, {})]:
        listed = response_json(get_orders_page(get_orders, caller, **query))
        assert [o["order_id"] for o in listed] == [order["order_id"]], (caller, query)


def test_it_writes_the_attributes_the_service_writes(orders_table: Any) -> None:
    as_the_service_writes_it = order_item(status="shipped")
    orders_table.put_item(Item=unkeyed_order(**as_the_service_writes_it))

    run()

    assert stored(orders_table) == [as_the_service_writes_it]


def test_a_second_run_changes_nothing(orders_table: Any) -> None:
    orders_table.put_item(Item=unkeyed_order())
    run()
    after_first = stored(orders_table)

    report = run()

    assert stored(orders_table) == after_first
    assert report.startswith("already keyed: 1, keyed: 0")


def test_an_order_without_an_owner_is_reported_and_left_alone(orders_table: Any) -> None:
    order = unkeyed_order()
    del order["owner_sub"]
    orders_table.put_item(Item=order)

    report = run()

    assert stored(orders_table) == [order]
    assert "without owner_sub (run orders_owner_sub first): 1" in report


def test_a_dry_run_writes_nothing(orders_table: Any) -> None:
    order = unkeyed_order()
    orders_table.put_item(Item=order)

    assert "keyed: 1" in run(dry_run=True)
    assert stored(orders_table) == [order]


def test_the_command_line_runs_it(orders_table: Any, capsys: pytest.CaptureFixture[str]) -> None:
    orders_table.put_item(Item=unkeyed_order())

    assert main(["--orders-table", orders_table.name]) == 0

    assert "keyed: 1" in capsys.readouterr().out
    assert stored(orders_table)[0]["kind"] == "order"
