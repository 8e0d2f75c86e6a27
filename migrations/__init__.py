"""Data migrations: documented, re-runnable scripts run once per stage after a deploy that
needs them (README, "Migrations").

The command line every migration shares is here, in the one file both the orders' and the
products' pipelines watch (pipelines/template.yaml's path filters)."""

import argparse
from collections.abc import Callable

import boto3


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
