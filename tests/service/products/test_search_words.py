"""The name search's word items are written with their product: created, renamed and
deleted in the same transaction, so a search finds a product by its words as they are."""

from typing import Any

import pytest

from shop_common.api import Handler
from shop_common.catalogue import word_items
from tests.builders.callers import ADMIN
from tests.builders.data import product_request
from tests.builders.events import LambdaContext, api_event, response_json
from tests.service.products.support import stored_word_items


def post_product(handler: Handler, **fields: Any) -> dict[str, Any]:
    event = api_event("POST", "/product", caller=ADMIN, body=product_request(**fields))
    product: dict[str, Any] = response_json(handler(event, LambdaContext()))
    return product


def found(get_products: Handler, search: str) -> list[str]:
    event = api_event("GET", "/products", caller=None, query={"q": search})
    return [product["name"] for product in response_json(get_products(event, LambdaContext()))]


def test_a_new_product_is_found_by_any_word_of_its_name(
    upsert_product: Handler, get_products: Handler, products_table: Any
) -> None:
    product = post_product(upsert_product, name="Pour-over kettle")

    assert found(get_products, "over") == ["Pour-over kettle"]
    assert stored_word_items(products_table) == sorted(
        word_items(product["product_id"], "Pour-over kettle"), key=lambda i: i["product_id"]
    )


# A name and a search for it, an accent typed as one character in one of them and pasted as a
# letter and a combining accent (as macOS often pastes it) in the other.
ACCENTS_TYPED_APART = {
    "name pasted decomposed": ("Cafe\u0301 noir", "caf\u00e9"),
    "search pasted decomposed": ("Caf\u00e9 cr\u00e8me", "cafe\u0301"),
    "accented letters only": ("e\u0301e\u0301e\u0301", "\u00e9"),
}


@pytest.mark.parametrize(
    ("name", "search"), ACCENTS_TYPED_APART.values(), ids=ACCENTS_TYPED_APART.keys()
)
def test_an_accented_word_is_found_however_its_accents_were_typed(
    upsert_product: Handler, get_products: Handler, name: str, search: str
) -> None:
    # Given a product whose name has accents typed as one character or as two
    post_product(upsert_product, name=name)
    # When a search types them the other way  Then it finds the product
    assert len(found(get_products, search)) == 1


def test_a_name_pasted_decomposed_is_not_found_without_its_accent(
    upsert_product: Handler, get_products: Handler
) -> None:
    post_product(upsert_product, name="Cafe\u0301 noir")

    assert found(get_products, "cafe") == []


# A word whose letters carry marks no composed character holds (vowel signs and viramas,
# Arabic's vowel marks; a Persian word's zero-width non-joiner), its beginning, and a letter
# from its middle, which the marks once made the start of a word of its own.
WORDS_WITH_MARKS = {
    "Devanagari": ("\u0939\u093f\u0928\u094d\u0926\u0940", "\u0939\u093f\u0928", "\u0928"),
    "Thai": ("\u0e2b\u0e19\u0e31\u0e07\u0e2a\u0e37\u0e2d", "\u0e2b\u0e19\u0e31\u0e07", "\u0e07"),
    "Arabic": ("\u0643\u0650\u062a\u064e\u0627\u0628", "\u0643\u0650\u062a", "\u062a"),
    "Persian": ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u062e", "\u062e"),
}


@pytest.mark.parametrize(
    ("word", "beginning", "middle"), WORDS_WITH_MARKS.values(), ids=WORDS_WITH_MARKS.keys()
)
def test_a_word_with_marks_is_found_by_its_beginning_only(
    upsert_product: Handler, get_products: Handler, word: str, beginning: str, middle: str
) -> None:
    # Given a product named in a script whose words carry marks
    name = f"{word} tea"
    post_product(upsert_product, name=name)
    # When a search types the word's beginning  Then it finds the product
    assert found(get_products, f"{beginning} tea") == [name]
    # When a search types a letter from the word's middle  Then it does not
    assert found(get_products, middle) == []


def test_a_renamed_product_is_found_by_its_new_words_only(
    upsert_product: Handler, get_products: Handler, products_table: Any
) -> None:
    # Given a product named "Burr grinder"
    product = post_product(upsert_product, name="Burr grinder")

    # When it is renamed
    post_product(upsert_product, product_id=product["product_id"], name="Hand mill")

    # Then its new words find it, its old ones do not, and only its new items are left
    assert found(get_products, "mill") == ["Hand mill"]
    assert found(get_products, "grinder") == []
    assert {i["product_id"] for i in stored_word_items(products_table)} == {
        i["product_id"] for i in word_items(product["product_id"], "Hand mill")
    }


def test_a_deleted_product_leaves_no_word_items(
    upsert_product: Handler, delete_product: Handler, get_products: Handler, products_table: Any
) -> None:
    product = post_product(upsert_product, name="Burr grinder")

    event = api_event(
        "DELETE",
        "/product/{product_id}",
        caller=ADMIN,
        path_parameters={"product_id": product["product_id"]},
    )
    delete_product(event, LambdaContext())

    assert found(get_products, "grinder") == []
    assert stored_word_items(products_table) == []
