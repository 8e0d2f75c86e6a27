"""A name search reads the products' word items (`ByWord`): give every product stored
before them its word items, and bring any that no longer match its name in line.

    PYTHONPATH=services/common python -m migrations.products_word_items \
        --products-table NAME [--dry-run]

Each product's word items are those `shop_common.catalogue.word_items` makes of its name
(the same function the products service writes them with). Run it again after that
function changes (names compared composed: the items of a name stored with a decomposed
accent were split at the accent; then marks kept inside a word: "हिन्दी" was the words
"ह", "न" and "द"): a re-save cannot replace items an older one made.
Re-runnable: a product whose word items are already right is left alone, and each product's
items are written in one transaction conditional on the name they were computed from, so a
rename made meanwhile (which writes its own) is never overwritten.
"""

import sys
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from migrations import table_migration_main
from shop_common.catalogue import WORD_OF, word_items


@dataclass
class Report:
    already_indexed: int = 0
    indexed: int = 0
    lost_races: int = 0

    def __str__(self) -> str:
        return (
            f"already with word items: {self.already_indexed}, given them: {self.indexed}, "
            f"renamed meanwhile (run again): {self.lost_races}"
        )


def migrate(dynamodb: Any, table: str, *, dry_run: bool) -> Report:
    report = Report()
    products, words = _read(dynamodb, table)
    for product_id, name in products.items():
        wanted = {item["product_id"]: item for item in word_items(product_id, name)}
        have = words.pop(product_id, {})
        if have == wanted:
            report.already_indexed += 1
            continue
        report.indexed += 1
        if not dry_run and not _write(dynamodb, table, product_id, name, have, wanted):
            report.lost_races += 1
    return report


def _read(dynamodb: Any, table: str) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Every product's name, and the word items of each product, by product id."""
    deserialize = TypeDeserializer().deserialize
    products: dict[str, str] = {}
    words: dict[str, dict[str, Any]] = defaultdict(dict)
    for page in dynamodb.get_paginator("scan").paginate(TableName=table):
        for raw in page["Items"]:
            item = {key: deserialize(value) for key, value in raw.items()}
            if WORD_OF in item:
                words[item[WORD_OF]][item["product_id"]] = item
            else:
                products[item["product_id"]] = item["name"]
    return products, words


def _write(
    dynamodb: Any,
    table: str,
    product_id: str,
    name: str,
    have: dict[str, Any],
    wanted: dict[str, Any],
) -> bool:
    serialize = TypeSerializer().serialize
    check = {
        "TableName": table,
        "Key": {"product_id": {"S": product_id}},
        "ConditionExpression": "#name = :name",
        "ExpressionAttributeNames": {"#name": "name"},
        "ExpressionAttributeValues": {":name": {"S": name}},
    }
    puts = [
        {"Put": {"TableName": table, "Item": {k: serialize(v) for k, v in item.items()}}}
        for key, item in wanted.items()
        if have.get(key) != item
    ]
    deletes = [
        {"Delete": {"TableName": table, "Key": {"product_id": {"S": key}}}}
        for key in have.keys() - wanted.keys()
    ]
    try:
        dynamodb.transact_write_items(TransactItems=[{"ConditionCheck": check}, *puts, *deletes])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "TransactionCanceledException":
            return False
        raise
    return True


main = table_migration_main("migrations.products_word_items", __doc__, migrate, "products")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
