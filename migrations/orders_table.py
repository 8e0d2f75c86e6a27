"""What the orders migrations share: reading every order, writing one only if it is still
as read, and the command line (the products migrations' too)."""

import argparse
from collections.abc import Callable, Iterator
from typing import Any

import boto3
from botocore.exceptions import ClientError


def orders(dynamodb: Any, table: str, attributes: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Every order's `attributes` (those it has; values unwrapped, numbers as text), page
    by page."""
    names = {f"#a{number}": name for number, name in enumerate(attributes)}
    pages = dynamodb.get_paginator("scan").paginate(
        TableName=table, ProjectionExpression=", ".join(names), ExpressionAttributeNames=names
    )
    for page in pages:
        for item in page["Items"]:
            yield {name: next(iter(value.values())) for name, value in item.items()}


def update_if_unchanged(dynamodb: Any, table: str, order_id: str, **request: Any) -> bool:
    """An UpdateItem with a ConditionExpression; False if the order changed meanwhile."""
    try:
        dynamodb.update_item(TableName=table, Key={"order_id": {"S": order_id}}, **request)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True


def parser(module: str, description: str | None, table: str = "orders") -> argparse.ArgumentParser:
    """The options every migration of the `table` table ("orders", "products") takes; a
    migration adds its own."""
    arguments = argparse.ArgumentParser(prog=f"python -m {module}", description=description)
    arguments.add_argument(
        f"--{table}-table", required=True, help=f"the stack's {table.title()}TableName export"
    )
    arguments.add_argument("--dry-run", action="store_true", help="report, write nothing")
    return arguments


def table_migration_main(
    module: str, description: str | None, migrate: Callable[..., object], table: str = "orders"
) -> Callable[[list[str]], int]:
    """The command line of a migration that needs only the `table` table:
    `migrate(dynamodb, table name, dry_run=...)` run and its report printed."""

    def main(argv: list[str]) -> int:
        options = parser(module, description, table).parse_args(argv)
        name = getattr(options, f"{table}_table")
        report = migrate(boto3.client("dynamodb"), name, dry_run=options.dry_run)
        print(("dry run: " if options.dry_run else "") + str(report))
        return 0

    return main
