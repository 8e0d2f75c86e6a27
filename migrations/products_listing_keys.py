"""Products are listed from indexes: give every product stored before that the attributes
that put it in them.

    PYTHONPATH=services/common python -m migrations.products_listing_keys \
        --products-table NAME [--dry-run]

Each product gets `catalogue` = "all" (the partition of both listing indexes), `name_key`
(`shop_common.catalogue.name_key`, the function the products service writes it with: its
name case-folded, composed, single-spaced: `ByName`) and `created_key` (its `created_at` to
the microsecond: `ByCreation`); a `name_key` made before names were compared composed is
made again. Re-runnable: a product already keyed is left alone, and each write is
conditional on the name it was computed from, so a rename made meanwhile is never
overwritten with a stale `name_key`.
"""

import sys
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from migrations import table_migration_main
from shop_common.catalogue import CATALOGUE_VALUE, name_key


def created_key(created_at: str) -> str:
    moment = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Report:
    already_keyed: int = 0
    keyed: int = 0
    lost_races: int = 0

    def __str__(self) -> str:
        return (
            f"already keyed: {self.already_keyed}, keyed: {self.keyed}, "
            f"renamed meanwhile (run again): {self.lost_races}"
        )


def migrate(dynamodb: Any, table: str, *, dry_run: bool) -> Report:
    report = Report()
    names = {"#id": "product_id", "#name": "name", "#created": "created_at"}
    names |= {"#catalogue": "catalogue", "#name_key": "name_key", "#created_key": "created_key"}
    names |= {"#word_of": "word_of"}
    pages = dynamodb.get_paginator("scan").paginate(
        TableName=table, ProjectionExpression=", ".join(names), ExpressionAttributeNames=names
    )
    for page in pages:
        for item in page["Items"]:
            product = {name: value["S"] for name, value in item.items()}
            if "word_of" in product:
                continue  # a product's word item (migrations.products_word_items)
            keys = {
                "catalogue": CATALOGUE_VALUE,
                "name_key": name_key(product["name"]),
                "created_key": product.get("created_key") or created_key(product["created_at"]),
            }
            if all(product.get(name) == value for name, value in keys.items()):
                report.already_keyed += 1
                continue
            report.keyed += 1
            if not dry_run and not _key(dynamodb, table, product, keys):
                report.lost_races += 1
    return report


def _key(dynamodb: Any, table: str, product: dict[str, str], keys: dict[str, str]) -> bool:
    try:
        dynamodb.update_item(
            TableName=table,
            Key={"product_id": {"S": product["product_id"]}},
            UpdateExpression="SET catalogue = :catalogue, name_key = :name_key,"
            " created_key = :created_key",
            ConditionExpression="#name = :name",
            ExpressionAttributeNames={"#name": "name"},
            ExpressionAttributeValues={
                ":catalogue": {"S": keys["catalogue"]},
                ":name_key": {"S": keys["name_key"]},
                ":created_key": {"S": keys["created_key"]},
                ":name": {"S": product["name"]},
            },
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True


main = table_migration_main("migrations.products_listing_keys", __doc__, migrate, "products")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
