"""GET /products: any signed-in caller pages through the catalogue."""

from http import HTTPStatus
from typing import Any

import pytest

from shop_common.api import Handler
from shop_common.pagination import NEXT_CURSOR_HEADER
from tests.builders.callers import ADMIN, SHOPPER, Caller
from tests.builders.data import BAD_PRODUCT_CURSORS, product_item
from tests.builders.events import WEB_ORIGIN, LambdaContext, api_event, response_json


def list_products(
    handler: Handler, caller: Caller | None = SHOPPER, **query: str
) -> dict[str, Any]:
    return handler(api_event("GET", "/products", caller=caller, query=query), LambdaContext())


def next_cursor(response: dict[str, Any]) -> str | None:
    values = response["multiValueHeaders"].get(NEXT_CURSOR_HEADER)
    return values[0] if values else None


def seed(table: Any, count: int) -> list[dict[str, Any]]:
    items = [product_item(name=f"Product {n}") for n in range(count)]
    with table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
    return items


@pytest.mark.parametrize("caller", [SHOPPER, ADMIN], ids=["shopper", "admin"])
def test_a_signed_in_caller_gets_the_products(
    get_products: Handler, products_table: Any, caller: Caller
) -> None:
    # Given one product
    [item] = seed(products_table, 1)

    # When a signed-in caller lists the products
    response = list_products(get_products, caller)

    # Then it is the one product, its price a JSON number, on a single page
    assert response["statusCode"] == HTTPStatus.OK
    assert response_json(response) == [{**item, "price": 24.99}]
    assert next_cursor(response) is None


def test_an_empty_catalogue_is_an_empty_array(get_products: Handler) -> None:
    response = list_products(get_products)

    assert (response["statusCode"], response_json(response)) == (HTTPStatus.OK, [])


def test_pages_follow_the_cursor_until_every_product_is_listed(
    get_products: Handler, products_table: Any
) -> None:
    # Given seven products
    items = seed(products_table, 7)

    # When a shopper follows the cursor two products at a time
    pages, cursor = [], None
    while True:
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        response = list_products(get_products, **query)
        assert response["statusCode"] == HTTPStatus.OK
        pages.append(response_json(response))
        cursor = next_cursor(response)
        if cursor is None:
            break

    # Then four pages (2, 2, 2, 1) list each product exactly once
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    listed = sorted(product["product_id"] for page in pages for product in page)
    assert listed == sorted(item["product_id"] for item in items)


def test_a_full_last_page_has_no_next_cursor(get_products: Handler, products_table: Any) -> None:
    seed(products_table, 4)

    first = list_products(get_products, limit="2")
    last = list_products(get_products, limit="2", cursor=next_cursor(first) or "")

    assert len(response_json(last)) == 2
    assert next_cursor(last) is None


def test_the_default_page_is_fifty_products(get_products: Handler, products_table: Any) -> None:
    seed(products_table, 51)

    response = list_products(get_products)

    assert len(response_json(response)) == 50
    assert next_cursor(response) is not None


def test_unknown_query_parameters_are_ignored(get_products: Handler, products_table: Any) -> None:
    seed(products_table, 2)

    response = list_products(get_products, sort="price", limit="1")

    assert response["statusCode"] == HTTPStatus.OK
    assert len(response_json(response)) == 1


@pytest.mark.parametrize("limit", ["0", "101", "-3", "ten", "2.5", ""])
def test_a_limit_outside_1_to_100_is_a_400_naming_it(get_products: Handler, limit: str) -> None:
    response = list_products(get_products, limit=limit)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert [error["field"] for error in response_json(response)["errors"]] == ["limit"]


@pytest.mark.parametrize("cursor", BAD_PRODUCT_CURSORS.values(), ids=BAD_PRODUCT_CURSORS.keys())
def test_a_cursor_the_service_did_not_issue_is_a_400_naming_it(
    get_products: Handler, products_table: Any, cursor: str
) -> None:
    seed(products_table, 3)

    response = list_products(get_products, cursor=cursor)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert [error["field"] for error in response_json(response)["errors"]] == ["cursor"]


def test_a_request_without_a_caller_is_a_401(get_products: Handler) -> None:
    response = list_products(get_products, caller=None)

    assert response["statusCode"] == HTTPStatus.UNAUTHORIZED


def test_the_web_client_may_read_the_listing_and_its_cursor(
    get_products: Handler, products_table: Any
) -> None:
    seed(products_table, 2)

    headers = list_products(get_products, limit="1")["multiValueHeaders"]

    assert headers["Access-Control-Allow-Origin"] == [WEB_ORIGIN]
    assert NEXT_CURSOR_HEADER in headers["Access-Control-Expose-Headers"][0].split(",")
