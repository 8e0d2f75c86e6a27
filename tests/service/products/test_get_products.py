"""GET /products: anyone pages through the catalogue, by name, newest first, or a name
search, each a Query of an index that reads a page and one item more."""

from http import HTTPStatus
from typing import Any

import pytest

from shop_common.api import Handler
from shop_common.catalogue import word_items
from shop_common.pagination import NEXT_CURSOR_HEADER
from tests.builders.callers import ADMIN, SHOPPER, Caller
from tests.builders.data import BAD_PRODUCT_CURSORS, product_item
from tests.builders.events import WEB_ORIGIN, LambdaContext, api_event, response_json
from tests.service.products.support import product_shown


def list_products(handler: Handler, caller: Caller | None = None, **query: str) -> dict[str, Any]:
    return handler(api_event("GET", "/products", caller=caller, query=query), LambdaContext())


def next_cursor(response: dict[str, Any]) -> str | None:
    values = response["multiValueHeaders"].get(NEXT_CURSOR_HEADER)
    return values[0] if values else None


def seed(table: Any, *names: str) -> list[dict[str, Any]]:
    """Products with these names, created a day apart in this order, with their word items."""
    items = [
        product_item(name=name, created_at=f"2026-11-{day:02d}T08:00:00Z")
        for day, name in enumerate(names, start=1)
    ]
    with table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
            for word in word_items(item["product_id"], item["name"]):
                batch.put_item(Item=word)
    return items


def walk(handler: Handler, **query: str) -> list[list[str]]:
    """The names on each page of a listing, its cursors followed to the end."""
    pages, cursor = [], None
    while True:
        response = list_products(handler, **query, **({"cursor": cursor} if cursor else {}))
        assert response["statusCode"] == HTTPStatus.OK
        pages.append([product["name"] for product in response_json(response)])
        cursor = next_cursor(response)
        if cursor is None:
            return pages


@pytest.mark.parametrize("caller", [None, SHOPPER, ADMIN], ids=["visitor", "shopper", "admin"])
def test_anyone_gets_the_products(
    get_products: Handler, products_table: Any, caller: Caller | None
) -> None:
    # Given one product
    [item] = seed(products_table, "Desk lamp")

    # When anyone, signed in or not, lists the products
    response = list_products(get_products, caller)

    # Then it is the one product, its price a JSON number, on a single page
    assert response["statusCode"] == HTTPStatus.OK
    assert response_json(response) == [product_shown(item)]
    assert response_json(response)[0]["price"] == 24.99
    assert next_cursor(response) is None


def test_an_empty_catalogue_is_an_empty_array(get_products: Handler) -> None:
    response = list_products(get_products)

    assert (response["statusCode"], response_json(response)) == (HTTPStatus.OK, [])


def test_products_come_by_name_case_insensitive_page_by_page(
    get_products: Handler, products_table: Any
) -> None:
    seed(products_table, "pear", "Apple", "banana", "apricot", "Cherry", "date", "Fig")

    assert walk(get_products, limit="2") == [
        ["Apple", "apricot"],
        ["banana", "Cherry"],
        ["date", "Fig"],
        ["pear"],
    ]


def test_newest_first_starts_with_the_product_just_added(
    get_products: Handler, products_table: Any
) -> None:
    seed(products_table, "first", "second", "third", "fourth", "just added")

    assert walk(get_products, sort="newest", limit="2") == [
        ["just added", "fourth"],
        ["third", "second"],
        ["first"],
    ]


def test_a_search_finds_the_names_with_a_word_starting_with_it_by_name(
    get_products: Handler, products_table: Any
) -> None:
    seed(products_table, "Coffee beans, 1 kg", "Coffee cup", "Decaf coffee", "cocoa", "coffee")

    assert walk(get_products, q="coffee", limit="2") == [
        ["coffee", "Coffee beans, 1 kg"],
        ["Coffee cup", "Decaf coffee"],
    ]
    assert walk(get_products, q="tea") == [[]]


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("grinder", ["Burr grinder"]),
        ("pour over", ["Pour-over kettle"]),
        ("  KETTLE   pour", ["Pour-over kettle"]),
        ("coffee cu", ["Coffee cup"]),
    ],
)
def test_a_search_finds_each_word_typed_at_the_start_of_a_word(
    get_products: Handler, products_table: Any, search: str, found: list[str]
) -> None:
    seed(products_table, "Burr grinder", "Pour-over kettle", "Coffee cup", "Decaf coffee")

    assert [name for page in walk(get_products, q=search) for name in page] == found


def test_a_multi_word_search_reads_at_most_a_page_and_one_more(
    get_products: Handler, products_table: Any
) -> None:
    # Given many products under the word searched for, few of them with the other word
    seed(products_table, *(f"Kettle {n:02d}" for n in range(20)), "Pour-over kettle")

    # When a two-word search asks for pages of 5
    pages = walk(get_products, q="kettle pour", limit="5")

    # Then the pages hold only the match, each Query having read 6 of the 21 items (the
    # filtered ones left out): pages may come short, with a cursor, but each is bounded
    assert pages == [[], [], [], ["Pour-over kettle"]]


def test_a_full_last_page_has_no_next_cursor(get_products: Handler, products_table: Any) -> None:
    seed(products_table, "a", "b", "c", "d")

    assert walk(get_products, limit="2") == [["a", "b"], ["c", "d"]]


def test_the_default_page_is_fifty_products(get_products: Handler, products_table: Any) -> None:
    seed(products_table, *(f"Product {n:02d}" for n in range(51)))

    response = list_products(get_products)

    assert len(response_json(response)) == 50
    assert next_cursor(response) is not None


def test_unknown_query_parameters_are_ignored(get_products: Handler, products_table: Any) -> None:
    seed(products_table, "a", "b")

    response = list_products(get_products, colour="red", limit="1")

    assert response["statusCode"] == HTTPStatus.OK
    assert len(response_json(response)) == 1


BAD_QUERIES = {
    "limit 0": ({"limit": "0"}, "limit"),
    "limit 101": ({"limit": "101"}, "limit"),
    "limit not a number": ({"limit": "ten"}, "limit"),
    "limit empty": ({"limit": ""}, "limit"),
    "unknown sort": ({"sort": "price"}, "sort"),
    "empty search": ({"q": " "}, "q"),
    "search without a word": ({"q": "-- !"}, "q"),
    "search of 201 characters": ({"q": "x" * 201}, "q"),
    "search newest first": ({"q": "lamp", "sort": "newest"}, "q"),
}


@pytest.mark.parametrize(("query", "field"), BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_a_bad_query_is_a_400_naming_the_parameter(
    get_products: Handler, query: dict[str, str], field: str
) -> None:
    response = list_products(get_products, **query)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert [error["field"] for error in response_json(response)["errors"]] == [field]


@pytest.mark.parametrize("cursor", BAD_PRODUCT_CURSORS.values(), ids=BAD_PRODUCT_CURSORS.keys())
def test_a_cursor_the_service_did_not_issue_is_a_400_naming_it(
    get_products: Handler, products_table: Any, cursor: str
) -> None:
    seed(products_table, "a", "b", "c")

    response = list_products(get_products, cursor=cursor)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert [error["field"] for error in response_json(response)["errors"]] == ["cursor"]


LISTINGS = {"by name": {}, "newest": {"sort": "newest"}, "search a": {"q": "a"}}


@pytest.mark.parametrize("issued_by", LISTINGS)
@pytest.mark.parametrize("used_by", LISTINGS)
def test_a_cursor_is_good_only_for_the_listing_that_issued_it(
    get_products: Handler, products_table: Any, issued_by: str, used_by: str
) -> None:
    # Given a cursor from one listing
    seed(products_table, "apple", "apricot", "avocado")
    cursor = next_cursor(list_products(get_products, limit="1", **LISTINGS[issued_by]))
    assert cursor is not None

    # When a listing asks for its next page with it
    response = list_products(get_products, limit="1", cursor=cursor, **LISTINGS[used_by])

    # Then the listing that issued it continues, and any other refuses it
    expected = HTTPStatus.OK if issued_by == used_by else HTTPStatus.BAD_REQUEST
    assert response["statusCode"] == expected


def test_the_web_client_may_read_the_listing_and_its_cursor(
    get_products: Handler, products_table: Any
) -> None:
    seed(products_table, "a", "b")

    headers = list_products(get_products, limit="1")["multiValueHeaders"]

    assert headers["Access-Control-Allow-Origin"] == [WEB_ORIGIN]
    assert NEXT_CURSOR_HEADER in headers["Access-Control-Expose-Headers"][0].split(",")
