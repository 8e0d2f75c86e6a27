"""migrations.products_listing_keys: products stored before the listings' indexes."""

from typing import Any

import boto3

from migrations.products_listing_keys import migrate
from shop_common.api import Handler
from tests.builders.data import product_item
from tests.builders.events import LambdaContext, api_event, response_json
from tests.builders.tables import TEST_TABLE_NAMES


def unkeyed_product(**overrides: Any) -> dict[str, Any]:
    """A product as stored before the indexes: without their keys."""
    item = product_item(**overrides)
    del item["catalogue"], item["name_key"], item["created_key"]
    return item


def run(*, dry_run: bool = False) -> str:
    table = TEST_TABLE_NAMES["ProductsTable"]
    return str(migrate(boto3.client("dynamodb"), table, dry_run=dry_run))


def listed(get_products: Handler, **query: str) -> list[str]:
    event = api_event("GET", "/products", caller=None, query=query or None)
    return [product["name"] for product in response_json(get_products(event, LambdaContext()))]


def test_migrated_products_are_listed_by_name_and_newest_first(
    products_table: Any, get_products: Handler
) -> None:
    # Given two products stored before the indexes existed
    products_table.put_item(
        Item=unkeyed_product(name="Zinc tray", created_at="2026-01-02T00:00:00Z")
    )
    products_table.put_item(
        Item=unkeyed_product(name="Ash bowl", created_at="2026-01-01T00:00:00Z")
    )
    assert listed(get_products) == []
    # When the migration runs
    assert run() == "already keyed: 0, keyed: 2, renamed meanwhile (run again): 0"
    # Then every listing finds them
    assert listed(get_products) == ["Ash bowl", "Zinc tray"]
    assert listed(get_products, sort="newest") == ["Zinc tray", "Ash bowl"]


def test_a_name_key_made_before_names_were_composed_is_made_again(
    products_table: Any, get_products: Handler
) -> None:
    # Given "Café noir" stored with its "é" decomposed and the name_key made of it then,
    # which sorts it before "Café crème"
    products_table.put_item(Item=product_item(name="Caf\u00e9 cr\u00e8me"))
    products_table.put_item(
        Item={**product_item(name="Cafe\u0301 noir"), "name_key": "cafe\u0301 noir"}
    )
    # When the migration runs
    assert run() == "already keyed: 1, keyed: 1, renamed meanwhile (run again): 0"
    # Then it sorts as if composed: after "Café crème"
    assert listed(get_products) == ["Caf\u00e9 cr\u00e8me", "Cafe\u0301 noir"]


def test_running_it_again_changes_nothing(products_table: Any) -> None:
    products_table.put_item(Item=unkeyed_product())
    run()

    assert run() == "already keyed: 1, keyed: 0, renamed meanwhile (run again): 0"


def test_a_dry_run_writes_nothing(products_table: Any) -> None:
    products_table.put_item(Item=unkeyed_product())

    assert run(dry_run=True) == "already keyed: 0, keyed: 1, renamed meanwhile (run again): 0"
    assert "name_key" not in products_table.scan()["Items"][0]
