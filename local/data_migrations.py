"""The data migrations (`migrations/`), run on the state `--persist` restored.

A deployed stage runs each migration once by hand after the deploy that needs it (the
README's Migrations). Locally, the state saved by an earlier version of the shop is brought
forward at start instead, so that its orders and products read as today's code expects.
Every migration is re-runnable: on state already migrated each one changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

import boto3

from migrations import (
    orders_history,
    orders_lines,
    orders_listing_keys,
    orders_owner_sub,
    products_listing_keys,
    products_word_items,
)


@dataclass(frozen=True)
class StateTables:
    """Where the restored state lives: the bootstrap stack's tables and user pool."""

    orders_table: str
    products_table: str
    user_pool_id: str
    currency: str


def migrate_restored_state(tables: StateTables, announce: Callable[[str], None]) -> None:
    """Each migration in the order the README gives (owners before the listing keys that
    name them), each announced with its report."""
    dynamodb = boto3.client("dynamodb")
    orders = tables.orders_table
    reports = {
        "orders_owner_sub": orders_owner_sub.migrate(
            dynamodb, boto3.client("cognito-idp"), orders, tables.user_pool_id, dry_run=False
        ),
        "orders_history": orders_history.migrate(dynamodb, orders, dry_run=False),
        "orders_listing_keys": orders_listing_keys.migrate(dynamodb, orders, dry_run=False),
        "orders_lines": orders_lines.migrate(
            dynamodb, orders, currency=tables.currency, dry_run=False
        ),
        "products_listing_keys": products_listing_keys.migrate(
            dynamodb, tables.products_table, dry_run=False
        ),
        "products_word_items": products_word_items.migrate(
            dynamodb, tables.products_table, dry_run=False
        ),
    }
    for name, report in reports.items():
        announce(f"Migration {name} on the restored state: {report}")
