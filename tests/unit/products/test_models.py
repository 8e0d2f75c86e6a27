"""The products request models: what `POST /product`, the path and the query accept."""

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from pydantic import ValidationError

from products.models import ProductIn, ProductKey, ProductListQuery
from tests.builders.data import product_request

PRODUCT_ID = "5f0c9c6e-8a43-4b8e-9a59-3f1f4f0d8a11"
# "é" as macOS often pastes it: an e, then a combining acute accent.
DECOMPOSED_E = "e\u0301"


def body(**overrides: Any) -> dict[str, Any]:
    """A product body as `parse_body` hands it to the model: JSON numbers as `Decimal`."""
    return {**product_request(price=Decimal("24.99")), **overrides}


def rejected_fields(model: Any, data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return [".".join(str(part) for part in error["loc"]) for error in raised.value.errors()]


@pytest.mark.parametrize(
    "price", [Decimal("0.01"), Decimal("19.99"), Decimal("19.9"), 5, Decimal(1_000_000)]
)
def test_product_in_accepts_a_positive_price_with_at_most_two_decimals(price: object) -> None:
    product = ProductIn.model_validate(body(price=price))

    assert product.price == Decimal(str(price))


@pytest.mark.parametrize(
    "price",
    [
        Decimal("-5"),
        0,
        Decimal("0.00"),
        Decimal("1.005"),
        Decimal("1000000.01"),
        Decimal("1e400"),
        10**400,
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        "10",
        True,
        None,
        [10],
    ],
)
def test_product_in_rejects_a_bad_price(price: object) -> None:
    assert rejected_fields(ProductIn, body(price=price)) == ["price"]


def test_product_in_strips_the_name() -> None:
    product = ProductIn.model_validate(body(name="  Desk lamp \n"))

    assert product.name == "Desk lamp"


def test_product_in_accepts_a_name_of_200_characters() -> None:
    product = ProductIn.model_validate(body(name="x" * 200))

    assert len(product.name) == 200


def test_product_in_keeps_a_name_pasted_decomposed_composed() -> None:
    product = ProductIn.model_validate(body(name=f"Caf{DECOMPOSED_E} noir"))

    assert product.name == "Caf\u00e9 noir"


def test_product_in_counts_a_names_length_once_composed() -> None:
    # Given 200 "é" pasted decomposed: 400 characters as sent, 200 as stored
    product = ProductIn.model_validate(body(name=DECOMPOSED_E * 200))

    assert product.name == "\u00e9" * 200


def test_product_in_rejects_a_name_over_200_characters_once_composed() -> None:
    # A musical symbol Unicode never keeps composed: 100 as sent are 300 characters stored
    assert rejected_fields(ProductIn, body(name="\U0001d160" * 100)) == ["name"]


def test_product_in_keeps_a_description_composed() -> None:
    product = ProductIn.model_validate(body(description=f"Caf{DECOMPOSED_E} blend.\nDark."))

    assert product.description == "Caf\u00e9 blend.\nDark."


@pytest.mark.parametrize(
    "name",
    ["", "   ", "\t\n", "x" * 201, 42, True, None, ["lamp"], "x\x00y", "a\u202eb", "\u200b"],
)
def test_product_in_rejects_a_bad_name(name: object) -> None:
    assert rejected_fields(ProductIn, body(name=name)) == ["name"]


@pytest.mark.parametrize("missing", ["name", "price"])
def test_product_in_requires_name_and_price(missing: str) -> None:
    incomplete = body()
    del incomplete[missing]

    assert rejected_fields(ProductIn, incomplete) == [missing]


def test_product_in_takes_an_optional_product_id() -> None:
    product = ProductIn.model_validate(body(product_id=PRODUCT_ID.upper()))

    assert product.product_id == UUID(PRODUCT_ID)


@pytest.mark.parametrize("product_id", ["lamp", "", 42, "5f0c9c6e-8a43-4b8e-9a59"])
def test_product_in_rejects_a_product_id_that_is_not_a_uuid(product_id: object) -> None:
    assert rejected_fields(ProductIn, body(product_id=product_id)) == ["product_id"]


def test_product_in_ignores_the_server_managed_fields_a_client_echoes() -> None:
    echoed = body(created_at="1999-01-01T00:00:00Z", updated_at="then")

    product = ProductIn.model_validate(echoed)

    assert "created_at" not in product.model_dump()


@pytest.mark.parametrize("product_id", ["lamp", "", "5f0c9c6e8a434b8e9a593f1f4f0d8a1"])
def test_product_key_rejects_a_path_id_that_is_not_a_uuid(product_id: str) -> None:
    assert rejected_fields(ProductKey, {"product_id": product_id}) == ["product_id"]


def test_list_query_defaults_to_fifty_products_from_the_start() -> None:
    query = ProductListQuery.model_validate({})

    assert (query.limit, query.cursor) == (50, None)


@pytest.mark.parametrize("limit", ["1", "100"])
def test_list_query_accepts_a_limit_from_1_to_100(limit: str) -> None:
    assert ProductListQuery.model_validate({"limit": limit}).limit == int(limit)


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5", ""])
def test_list_query_rejects_a_limit_outside_1_to_100(limit: str) -> None:
    assert rejected_fields(ProductListQuery, {"limit": limit}) == ["limit"]


def test_list_query_ignores_unknown_parameters() -> None:
    query = ProductListQuery.model_validate({"colour": "red", "limit": "3"})

    assert query.limit == 3


def test_list_query_lists_by_name_unless_asked_for_the_newest() -> None:
    assert ProductListQuery.model_validate({}).sort == "name"
    assert ProductListQuery.model_validate({"sort": "newest"}).sort == "newest"


@pytest.mark.parametrize("sort", ["price", "NAME", ""])
def test_list_query_rejects_an_unknown_sort(sort: str) -> None:
    assert rejected_fields(ProductListQuery, {"sort": sort}) == ["sort"]


@pytest.mark.parametrize("q", ["", "   ", "x" * 201])
def test_list_query_rejects_an_empty_or_overlong_search(q: str) -> None:
    assert rejected_fields(ProductListQuery, {"q": q}) == ["q"]


def test_list_query_keeps_a_search_composed() -> None:
    assert ProductListQuery.model_validate({"q": f"caf{DECOMPOSED_E}"}).q == "caf\u00e9"


def test_list_query_searches_by_name_only() -> None:
    assert rejected_fields(ProductListQuery, {"q": "lamp", "sort": "newest"}) == ["q"]


@pytest.mark.parametrize("stock", [0, 1, 1_000_000_000, None])
def test_product_in_accepts_a_stock_or_none(stock: object) -> None:
    assert ProductIn.model_validate(body(stock=stock)).stock == stock


@pytest.mark.parametrize("stock", [-1, 1_000_000_001, Decimal("1.5"), "3", True])
def test_product_in_rejects_a_bad_stock(stock: object) -> None:
    assert rejected_fields(ProductIn, body(stock=stock)) == ["stock"]


def test_product_in_keeps_a_description_of_lines_of_plain_text() -> None:
    text = "Brass lamp.\n\tDimmable, 2 m cable." + "x" * 1960

    assert ProductIn.model_validate(body(description=text)).description == text


@pytest.mark.parametrize("description", ["x" * 2001, "bell\x07", 5, "a\u2028b", "\ufeffx"])
def test_product_in_rejects_a_bad_description(description: object) -> None:
    assert rejected_fields(ProductIn, body(description=description)) == ["description"]


@pytest.mark.parametrize("expected_stock", [-1, 10**18 + 1, 10**38, Decimal("3"), "3"])
def test_product_in_rejects_a_bad_expected_stock(expected_stock: object) -> None:
    data = body(product_id=str(uuid4()), stock=5, expected_stock=expected_stock)
    assert rejected_fields(ProductIn, data) == ["expected_stock"]
