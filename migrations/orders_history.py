"""Orders keep their status history: give every order stored before that the history it can
be given.

    python -m migrations.orders_history --orders-table NAME [--dry-run]

Each order without `history` gets its placing (`pending` at `created_at`, by the owner
named on the order: who placed it on their behalf was not recorded) and, if it has moved
on since, its current status at `updated_at` by nobody recorded (`sub` and `username` null).
The changes in between were not recorded and are not invented.

Re-runnable: an order with a history is left alone, and each write is conditional on the
order having none and still being at the version read.
"""

import sys
from dataclasses import dataclass
from typing import Any

from migrations import table_migration_main
from migrations.orders_table import orders, update_if_unchanged


@dataclass
class Report:
    already_kept: int = 0
    given: int = 0
    lost_races: int = 0

    def __str__(self) -> str:
        return (
            f"already with a history: {self.already_kept}, given one: {self.given}, "
            f"changed meanwhile: {self.lost_races}"
        )


def history_of(order: dict[str, Any]) -> list[dict[str, Any]]:
    """What is known of an order's history, in DynamoDB's typed form."""
    placed = _entry("pending", order["created_at"], order.get("owner_sub"), order["username"])
    if order["status"] == "pending":
        return [placed]
    return [placed, _entry(order["status"], order["updated_at"], None, None)]


def _entry(status: str, at: str, sub: str | None, username: str | None) -> dict[str, Any]:
    def text(value: str | None) -> dict[str, Any]:
        return {"S": value} if value is not None else {"NULL": True}

    return {
        "M": {
            "status": {"S": status},
            "at": {"S": at},
            "sub": text(sub),
            "username": text(username),
        }
    }


def migrate(dynamodb: Any, table: str, *, dry_run: bool) -> Report:
    report = Report()
    attributes = ("order_id", "status", "owner_sub", "username", "created_at", "updated_at")
    for order in orders(dynamodb, table, (*attributes, "version", "history")):
        if "history" in order:
            report.already_kept += 1
            continue
        report.given += 1
        if not dry_run and not _give(dynamodb, table, order):
            report.lost_races += 1
    return report


def _give(dynamodb: Any, table: str, order: dict[str, Any]) -> bool:
    return update_if_unchanged(
        dynamodb,
        table,
        order["order_id"],
        UpdateExpression="SET history = :history",
        ConditionExpression="attribute_not_exists(history) AND version = :version",
        ExpressionAttributeValues={
            ":history": {"L": history_of(order)},
            ":version": {"N": str(order["version"])},
        },
    )


main = table_migration_main("migrations.orders_history", __doc__, migrate)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
