"""Orders are listed from indexes: give every order stored before that the attributes
that put it in them.

    python -m migrations.orders_listing_keys --orders-table NAME [--dry-run]

Run after `orders_owner_sub` (the keys are built from `owner_sub`). Each order gets
`kind` = "order" (the admin's newest-first index) and `owner_status` = "<owner_sub>#<status>"
(a shopper's status index); `status` and `owner_sub` already key the other two indexes.

Re-runnable: an order whose attributes are already right is left alone, and each write is
conditional on the order's status and owner being those it was computed from, so a status
change made meanwhile is never overwritten with a stale `owner_status`.
"""

import sys
from dataclasses import dataclass
from typing import Any

from migrations import table_migration_main
from migrations.orders_table import orders, update_if_unchanged

ORDER_KIND = "order"  # services/orders/src/orders/listings.py


@dataclass
class Report:
    already_keyed: int = 0
    keyed: int = 0
    without_owner: int = 0
    lost_races: int = 0

    def __str__(self) -> str:
        return (
            f"already keyed: {self.already_keyed}, keyed: {self.keyed}, "
            f"without owner_sub (run orders_owner_sub first): {self.without_owner}, "
            f"changed meanwhile: {self.lost_races}"
        )


def migrate(dynamodb: Any, table: str, *, dry_run: bool) -> Report:
    report = Report()
    attributes = ("order_id", "status", "owner_sub", "kind", "owner_status")
    for order in orders(dynamodb, table, attributes):
        if "owner_sub" not in order:
            report.without_owner += 1
            continue
        keys = {"kind": ORDER_KIND, "owner_status": f"{order['owner_sub']}#{order['status']}"}
        if all(order.get(name) == value for name, value in keys.items()):
            report.already_keyed += 1
            continue
        report.keyed += 1
        if not dry_run and not _key(dynamodb, table, order, keys):
            report.lost_races += 1
    return report


def _key(dynamodb: Any, table: str, order: dict[str, Any], keys: dict[str, str]) -> bool:
    """Write the index attributes if status and owner are still as read."""
    return update_if_unchanged(
        dynamodb,
        table,
        order["order_id"],
        UpdateExpression="SET kind = :kind, owner_status = :owner_status",
        ConditionExpression="#status = :status AND owner_sub = :owner_sub",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={
            ":kind": {"S": keys["kind"]},
            ":owner_status": {"S": keys["owner_status"]},
            ":status": {"S": order["status"]},
            ":owner_sub": {"S": order["owner_sub"]},
        },
    )


main = table_migration_main("migrations.orders_listing_keys", __doc__, migrate)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
