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


def stored_with_word_items_of(table: Any, name: str, indexed_as: str) -> None:
    """A product named `name` whose word items are those of the name `indexed_as`."""
    item = product_item(name=name)
    table.put_item(Item=item)
    for word in word_items(item["product_id"], indexed_as):
        table.put_item(Item=word)


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
    stored_with_word_items_of(products_table, "Pour-over kettle", indexed_as="Desk lamp")

    run()

    assert found(get_products, "lamp") == []
    assert found(get_products, "pour over") == ["Pour-over kettle"]


def test_word_items_made_before_names_were_composed_are_made_again(
    products_table: Any, get_products: Handler
) -> None:
    # Given "Café noir" stored with its "é" decomposed, and the word items made of it then:
    # the combining accent split the word, as the items of "Cafe noir" have it
    stored_with_word_items_of(products_table, "Cafe\u0301 noir", indexed_as="Cafe noir")

    # When the migration runs
    run()

    # Then "café" finds it, and "cafe" no longer does
    assert found(get_products, "caf\u00e9") == ["Cafe\u0301 noir"]
    assert found(get_products, "cafe") == []


def test_word_items_made_when_marks_split_words_are_made_again(
    products_table: Any, get_products: Handler
) -> None:
    # Given "हिन्दी" stored with the word items made when its vowel signs and virama split
    # it: the words "ह", "न" and "द"
    hindi = "\u0939\u093f\u0928\u094d\u0926\u0940"
    stored_with_word_items_of(products_table, hindi, indexed_as="\u0939 \u0928 \u0926")

    # When the migration runs
    run()

    # Then its whole word finds it, and a letter from its middle no longer does
    assert found(get_products, hindi) == [hindi]
    assert found(get_products, "\u0928") == []


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
