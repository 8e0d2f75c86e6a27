"""migrations.orders_lines: orders stored in the one-line form, before lines."""

from decimal import Decimal
from typing import Any

import boto3
import pytest

from migrations.orders_lines import main, migrate
from shop_common.api import Handler
from tests.builders.callers import SHOPPER
from tests.builders.data import one_line_form_order_item, order_item
from tests.builders.events import response_json
from tests.builders.tables import TEST_TABLE_NAMES
from tests.service.orders.support import change_status, stored


def run(*, currency: str = "EUR", dry_run: bool = False) -> str:
    report = migrate(
        boto3.client("dynamodb"),
        TEST_TABLE_NAMES["OrdersTable"],
        currency=currency,
        dry_run=dry_run,
    )
    return str(report)


def one_line_form_order(orders_table: Any, **overrides: Any) -> dict[str, Any]:
    """An order stored in the one-line form, of 3 at 19.99 (59.97) in the Orders table."""
    item = one_line_form_order_item(
        unit_price=Decimal("19.99"), quantity=3, total_price=Decimal("59.97"), **overrides
    )
    orders_table.put_item(Item=item)
    return item


def test_a_one_line_form_order_gets_one_line_of_its_product_and_loses_the_old_fields(
    orders_table: Any,
) -> None:
    before = one_line_form_order(orders_table)

    run()

    (order,) = stored(orders_table)
    assert order["lines"] == [
        {
            "product_id": before["product_id"],
            "product_name": before["product_name"],
            "unit_price": Decimal("19.99"),
            "quantity": 3,
            "line_total": Decimal("59.97"),
            "stock_reserved": False,
        }
    ]
    assert order["total_price"] == Decimal("59.97")
    assert not {"product_id", "product_name", "unit_price", "quantity"} & order.keys()


def test_a_one_line_form_order_gets_the_currency_given(orders_table: Any) -> None:
    one_line_form_order(orders_table)

    run(currency="USD")

    assert stored(orders_table)[0]["currency"] == "USD"


def test_an_order_with_a_currency_keeps_it(orders_table: Any) -> None:
    one_line_form_order(orders_table, currency="GBP")

    run(currency="USD")

    assert stored(orders_table)[0]["currency"] == "GBP"


def test_a_migrated_order_reads_back_and_is_cancelled_without_giving_stock_back(
    orders_table: Any, products_table: Any, upsert_order: Handler
) -> None:
    # Given a one-line form order of a product that tracks stock now (it did not reserve any then)
    before = one_line_form_order(orders_table)
    products_table.put_item(
        Item={"product_id": before["product_id"], "name": "Lamp", "price": 1, "stock": 7}
    )
    run()

    # When its owner cancels it
    response = change_status(upsert_order, before["order_id"], "cancelled", SHOPPER)

    # Then it is cancelled, read as one line, and the product's stock is untouched
    assert response["statusCode"] == 200, response["body"]
    assert [line["quantity"] for line in response_json(response)["lines"]] == [3]
    item = products_table.get_item(Key={"product_id": before["product_id"]})["Item"]
    assert item["stock"] == 7


def test_an_order_with_lines_is_left_alone(orders_table: Any) -> None:
    order = order_item()
    orders_table.put_item(Item=order)

    report = run()

    assert stored(orders_table) == [order]
    assert report.startswith("already with lines: 1, given one: 0")


def test_a_second_run_changes_nothing(orders_table: Any) -> None:
    one_line_form_order(orders_table)
    run()
    after_first = stored(orders_table)

    report = run()

    assert stored(orders_table) == after_first
    assert report.startswith("already with lines: 1, given one: 0")


def test_a_dry_run_writes_nothing(orders_table: Any) -> None:
    order = one_line_form_order(orders_table)

    assert "given one: 1" in run(dry_run=True)
    assert stored(orders_table) == [order]


def test_an_order_changed_meanwhile_is_reported_and_left(orders_table: Any) -> None:
    # Given an order that moves to another version between the scan and the write
    order = one_line_form_order(orders_table)
    dynamodb = boto3.client("dynamodb")
    real_update = dynamodb.update_item

    def update_after_a_change(**request: Any) -> Any:
        orders_table.update_item(
            Key={"order_id": order["order_id"]},
            UpdateExpression="SET version = :v",
            ExpressionAttributeValues={":v": 2},
        )
        return real_update(**request)

    dynamodb.update_item = update_after_a_change

    # When it is migrated  Then that order is reported as changed meanwhile, and not written
    report = migrate(dynamodb, orders_table.name, currency="EUR", dry_run=False)
    assert report.lost_races == 1
    assert "lines" not in stored(orders_table)[0]


def test_the_command_line_runs_it(orders_table: Any, capsys: pytest.CaptureFixture[str]) -> None:
    one_line_form_order(orders_table)

    assert main(["--orders-table", orders_table.name, "--currency", "CHF", "--dry-run"]) == 0

    assert capsys.readouterr().out.startswith("dry run: already with lines: 0, given one: 1")
    assert "lines" not in stored(orders_table)[0]


def test_the_command_line_refuses_a_currency_that_is_not_a_code(orders_table: Any) -> None:
    with pytest.raises(SystemExit):
        main(["--orders-table", orders_table.name, "--currency", "euro"])
