"""migrations.products_word_items: products stored before the name search's word items."""

from typing import Any

import boto3

from migrations.products_listing_keys import migrate as key_listings
from migrations.products_word_items import migrate
from shop_common.api import Handler
from shop_common.catalogue import word_items
from tests.builders.data import product_item
from tests.builders.events import LambdaContext, api_event, response_json
from tests.builders.tables import TEST_TABLE_NAMES

TABLE = TEST_TABLE_NAMES["ProductsTable"]


def run(*, dry_run: bool = False) -> str:
    return str(migrate(boto3.client("dynamodb"), TABLE, dry_run=dry_run))


def found(get_products: Handler, search: str) -> list[str]:
    event = api_event("GET", "/products", caller=None, query={"q": search})
    return [product["name"] for product in response_json(get_products(event, LambdaContext()))]


def test_products_stored_before_word_items_are_found_by_any_word(
    products_table: Any, get_products: Handler
) -> None:
    # Given a product stored before word items existed
    products_table.put_item(Item=product_item(name="Burr grinder"))
    assert found(get_products, "grinder") == []

    # When the migration runs
    assert run() == "already with word items: 0, given them: 1, renamed meanwhile (run again): 0"

    # Then a search by any of its words finds it
    assert found(get_products, "grinder") == ["Burr grinder"]
    assert found(get_products, "burr") == ["Burr grinder"]


def test_running_it_again_changes_nothing(products_table: Any) -> None:
    products_table.put_item(Item=product_item())
    run()

    assert run() == "already with word items: 1, given them: 0, renamed meanwhile (run again): 0"


def test_stale_word_items_are_replaced_by_the_names_own(
    products_table: Any, get_products: Handler
) -> None:
    # Given a product whose word items are those of a name it no longer has
    item = product_item(name="Pour-over kettle")
    products_table.put_item(Item=item)
    for word in word_items(item["product_id"], "Desk lamp"):
        products_table.put_item(Item=word)

    run()

    assert found(get_products, "lamp") == []
    assert found(get_products, "pour over") == ["Pour-over kettle"]


def test_a_dry_run_writes_nothing(products_table: Any, get_products: Handler) -> None:
    products_table.put_item(Item=product_item(name="Burr grinder"))

    assert run(dry_run=True).startswith("already with word items: 0, given them: 1")
    assert found(get_products, "grinder") == []


def test_the_listing_keys_migration_leaves_word_items_alone(products_table: Any) -> None:
    item = product_item(name="Burr grinder")
    products_table.put_item(Item=item)
    run()

    report = key_listings(boto3.client("dynamodb"), TABLE, dry_run=False)

    assert (report.already_keyed, report.keyed) == (1, 0)
