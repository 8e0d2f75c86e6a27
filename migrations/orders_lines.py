"""Orders have lines: give every order stored in the one-line form (one product's fields at
the top level) its one line.

    python -m migrations.orders_lines --orders-table NAME [--currency EUR] [--dry-run]

An order with the top-level `product_id`, `product_name`, `unit_price` and `quantity` and no
`lines` gets one line built from them (its `line_total` is the order's `total_price`, which
the server computed as `unit_price` x `quantity`), the shop's `currency` if it has none, and
loses the old top-level attributes. The line reserved no stock (orders did not reserve any then), so
cancelling the order gives none back.

Re-runnable: an order with `lines` is left alone, and each write is conditional on the
order having none and still being at the version read.
"""

import sys
from dataclasses import dataclass
from typing import Any

import boto3

from migrations import parser
from migrations.orders_table import orders, update_if_unchanged

ONE_LINE_FIELDS = ("product_id", "product_name", "unit_price", "quantity")


@dataclass
class Report:
    already_lined: int = 0
    given: int = 0
    lost_races: int = 0

    def __str__(self) -> str:
        return (
            f"already with lines: {self.already_lined}, given one: {self.given}, "
            f"changed meanwhile: {self.lost_races}"
        )


def line_of(order: dict[str, Any]) -> dict[str, Any]:
    """A one-line form order's line, in DynamoDB's typed form (numbers as text, as read)."""
    return {
        "M": {
            "product_id": {"S": order["product_id"]},
            "product_name": {"S": order["product_name"]},
            "unit_price": {"N": order["unit_price"]},
            "quantity": {"N": order["quantity"]},
            "line_total": {"N": order["total_price"]},
            "stock_reserved": {"BOOL": False},
        }
    }


def migrate(dynamodb: Any, table: str, *, currency: str, dry_run: bool) -> Report:
    report = Report()
    attributes = ("order_id", "version", "lines", "total_price", *ONE_LINE_FIELDS)
    for order in orders(dynamodb, table, attributes):
        if "lines" in order or not all(name in order for name in ONE_LINE_FIELDS):
            report.already_lined += 1
            continue
        report.given += 1
        if not dry_run and not _give(dynamodb, table, order, currency):
            report.lost_races += 1
    return report


def _give(dynamodb: Any, table: str, order: dict[str, Any], currency: str) -> bool:
    return update_if_unchanged(
        dynamodb,
        table,
        order["order_id"],
        UpdateExpression="SET #lines = :lines, #currency = if_not_exists(#currency, :currency)"
        " REMOVE #product_id, #product_name, #unit_price, #quantity",
        ConditionExpression="attribute_not_exists(#lines) AND #version = :version",
        ExpressionAttributeNames={
            f"#{name}": name for name in ("lines", "currency", "version", *ONE_LINE_FIELDS)
        },
        ExpressionAttributeValues={
            ":lines": {"L": [line_of(order)]},
            ":currency": {"S": currency},
            ":version": {"N": str(order["version"])},
        },
    )


def main(argv: list[str]) -> int:
    arguments = parser("migrations.orders_lines", __doc__)
    arguments.add_argument(
        "--currency",
        default="EUR",
        type=_currency,
        help="the stage's currency (ISO 4217), for orders without one (default EUR)",
    )
    options = arguments.parse_args(argv)
    report = migrate(
        boto3.client("dynamodb"),
        options.orders_table,
        currency=options.currency,
        dry_run=options.dry_run,
    )
    print(("dry run: " if options.dry_run else "") + str(report))
    return 0


def _currency(value: str) -> str:
    if len(value) != 3 or not value.isascii() or not value.isupper():
        raise ValueError(value)
    return value


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
