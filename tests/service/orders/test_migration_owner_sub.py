"""migrations.orders_owner_sub: orders stored before ownership moved to the `sub`."""

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from migrations.orders_owner_sub import NO_ACCOUNT_PREFIX, main, migrate
from tests.builders.data import order_item
from tests.builders.tables import TEST_TABLE_NAMES
from tests.builders.users import known_user_pool_id
from tests.service.orders.support import stored

BEFORE_ANY_ACCOUNT = "2000-01-01T00:00:00Z"
AFTER_EVERY_ACCOUNT = "2099-01-01T00:00:00Z"


def legacy_order(username: str, created_at: str) -> dict[str, Any]:
    """An order as stored before `owner_sub`: a username only."""
    item = order_item(username=username, created_at=created_at)
    for attribute in ("owner_sub", "kind", "owner_status"):
        del item[attribute]
    return item


def run(*, dry_run: bool = False) -> str:
    report = migrate(
        boto3.client("dynamodb"),
        boto3.client("cognito-idp"),
        TEST_TABLE_NAMES["OrdersTable"],
        known_user_pool_id(),
        dry_run=dry_run,
    )
    return str(report)


def owners(table: Any) -> dict[str, str | None]:
    return {item["order_id"]: item.get("owner_sub") for item in stored(table)}


def test_an_order_gets_the_sub_of_the_account_that_placed_it(
    orders_table: Any, users: Callable[[str], str]
) -> None:
    carol_sub = users("carol")
    order = legacy_order("carol", AFTER_EVERY_ACCOUNT)
    orders_table.put_item(Item=order)

    run()

    assert owners(orders_table) == {order["order_id"]: carol_sub}


def test_an_order_older_than_the_account_of_that_name_goes_to_nobody(
    orders_table: Any, users: Callable[[str], str]
) -> None:
    # Given an order placed before today's "carol" signed up (a deleted user's name, reused)
    users("carol")
    order = legacy_order("carol", BEFORE_ANY_ACCOUNT)
    orders_table.put_item(Item=order)

    run()

    assert owners(orders_table) == {order["order_id"]: NO_ACCOUNT_PREFIX + "carol"}


def test_an_order_of_a_user_who_no_longer_exists_goes_to_nobody(
    orders_table: Any, users: Callable[[str], str]
) -> None:
    order = legacy_order("dave", AFTER_EVERY_ACCOUNT)
    orders_table.put_item(Item=order)

    report = run()

    assert owners(orders_table) == {order["order_id"]: NO_ACCOUNT_PREFIX + "dave"}
    assert "usernames without an account: dave" in report


def test_a_second_run_changes_nothing(orders_table: Any, users: Callable[[str], str]) -> None:
    users("carol")
    orders_table.put_item(Item=legacy_order("carol", AFTER_EVERY_ACCOUNT))
    run()
    after_first = stored(orders_table)

    report = run()

    assert stored(orders_table) == after_first
    assert report.startswith("already owned: 1, assigned a sub: 0")


def test_an_order_that_already_has_an_owner_is_left_alone(
    orders_table: Any, users: Callable[[str], str]
) -> None:
    users("alice")  # a different sub from the one the order carries
    order = order_item(created_at=AFTER_EVERY_ACCOUNT)
    orders_table.put_item(Item=order)

    run()

    assert stored(orders_table) == [order]


def test_a_dry_run_reports_and_writes_nothing(
    orders_table: Any, users: Callable[[str], str]
) -> None:
    users("carol")
    order = legacy_order("carol", AFTER_EVERY_ACCOUNT)
    orders_table.put_item(Item=order)

    report = run(dry_run=True)

    assert stored(orders_table) == [order]
    assert "assigned a sub: 1" in report


def test_the_command_line_runs_it(
    orders_table: Any, users: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    carol_sub = users("carol")
    order = legacy_order("carol", AFTER_EVERY_ACCOUNT)
    orders_table.put_item(Item=order)
    arguments = ["--orders-table", orders_table.name, "--user-pool-id", known_user_pool_id()]

    assert main(arguments) == 0

    assert owners(orders_table) == {order["order_id"]: carol_sub}
    assert "assigned a sub: 1" in capsys.readouterr().out
