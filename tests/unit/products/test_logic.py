"""The products rules with in-memory storage, a fixed clock and fixed ids."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from products.logic import (
    SavedProduct,
    delete_product,
    get_product,
    image_upload,
    list_products,
    save_product,
)
from products.models import ImageUploadIn, ProductIn, ProductListQuery
from shop_common.caller import Caller
from shop_common.errors import (
    ConflictError,
    ForbiddenError,
    InvalidCursorError,
    InvalidRequestError,
    NotFoundError,
)
from shop_common.product import Product
from tests.builders.callers import ADMIN, SHOPPER
from tests.builders.data import BAD_PRODUCT_CURSORS, product_item
from tests.unit.products.fakes import InMemoryImageStore, InMemoryProductRepository

NOW = datetime(2026, 11, 21, 6, 33, tzinfo=UTC)
NEW_ID = "0b6f0c3e-3c1b-4b51-a3a2-6b0e4f3c9d01"
BASE_URL = "https://shop.example/"
IMAGE_KEY = "images/" + "a" * 32 + ".png"
ADMIN_CALLER = Caller.model_validate(ADMIN.authorizer_context())
SHOPPER_CALLER = Caller.model_validate(SHOPPER.authorizer_context())


def stored(**overrides: object) -> Product:
    return Product.model_validate(product_item(**overrides))


def request(**fields: object) -> ProductIn:
    return ProductIn.model_validate({"name": "Reading lamp", "price": Decimal("39.50"), **fields})


def save(
    caller: Caller,
    product: ProductIn,
    repository: InMemoryProductRepository,
    images: InMemoryImageStore | None = None,
) -> SavedProduct:
    return save_product(
        caller,
        product,
        repository,
        images or InMemoryImageStore(BASE_URL),
        image_base_url=BASE_URL,
        clock=lambda: NOW,
        id_factory=lambda: NEW_ID,
    )


def query(**parameters: Any) -> ProductListQuery:
    return ProductListQuery.model_validate(parameters)


def walk(repository: InMemoryProductRepository, **parameters: Any) -> list[list[str]]:
    """The names on every page of a listing, following its cursors to the end."""
    pages, cursor = [], None
    while True:
        listing = list_products(query(**parameters, cursor=cursor), repository)
        pages.append([product.name for product in listing.products])
        cursor = listing.next_cursor
        if cursor is None:
            return pages


def catalogue(*names: str) -> InMemoryProductRepository:
    return InMemoryProductRepository(
        *(
            stored(name=name, created_at=f"2026-11-{day:02d}T00:00:00Z")
            for day, name in enumerate(names, start=1)
        )
    )


def test_the_listing_is_by_name_case_insensitive_page_by_page() -> None:
    repository = catalogue("pear", "Apple", "banana", "apricot", "Cherry")

    assert walk(repository, limit=2) == [["Apple", "apricot"], ["banana", "Cherry"], ["pear"]]


def test_the_newest_listing_starts_with_the_latest_product() -> None:
    repository = catalogue("first", "second", "third")

    assert walk(repository, limit=2, sort="newest") == [["third", "second"], ["first"]]


def test_a_search_finds_the_names_with_a_word_starting_with_it_page_by_page() -> None:
    repository = catalogue("Coffee beans, 1 kg", "coffee  Cup", "Decaf coffee", "Cocoa")

    assert walk(repository, q="  COFFEE ", limit=2) == [
        ["Coffee beans, 1 kg", "coffee  Cup"],
        ["Decaf coffee"],
    ]


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("grinder", ["Burr grinder"]),
        ("GRIND", ["Burr grinder"]),
        ("pour over", ["Pour-over kettle"]),
        ("kettle pour", ["Pour-over kettle"]),
        ("over-k", ["Pour-over kettle"]),
        ("coffee cu", ["coffee  Cup"]),
        ("ee", []),
    ],
)
def test_a_search_finds_every_word_typed_at_the_start_of_a_word(
    search: str, found: list[str]
) -> None:
    repository = catalogue("Burr grinder", "Pour-over kettle", "coffee  Cup", "Decaf coffee")

    assert [name for page in walk(repository, q=search) for name in page] == found


# "Café noir" as stored before names were composed: its "é" an e and a combining accent.
STORED_DECOMPOSED = "Cafe\u0301 noir"


def test_a_name_stored_decomposed_sorts_as_if_composed() -> None:
    repository = catalogue(STORED_DECOMPOSED, "Caf\u00e9 cr\u00e8me")

    assert walk(repository) == [["Caf\u00e9 cr\u00e8me", STORED_DECOMPOSED]]


def test_a_name_stored_decomposed_is_found_by_its_accented_word_only() -> None:
    repository = catalogue(STORED_DECOMPOSED, "Cafeteria tray")

    assert walk(repository, q="caf\u00e9") == [[STORED_DECOMPOSED]]
    assert walk(repository, q="cafe") == [["Cafeteria tray"]]


def test_a_word_longer_than_the_indexed_prefixes_is_matched_whole() -> None:
    repository = catalogue("Espresso machine", "Espresso cup", "Esprit")

    assert [name for page in walk(repository, q="espresso") for name in page] == [
        "Espresso cup",
        "Espresso machine",
    ]
    assert [name for page in walk(repository, q="espressos") for name in page] == []


@pytest.mark.parametrize("cursor", BAD_PRODUCT_CURSORS.values(), ids=BAD_PRODUCT_CURSORS.keys())
def test_a_cursor_that_is_not_ours_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursorError):
        list_products(query(cursor=cursor), InMemoryProductRepository())


@pytest.mark.parametrize(
    ("issued_by", "used_by"),
    [
        ({}, {"sort": "newest"}),
        ({"sort": "newest"}, {}),
        ({}, {"q": "a"}),
        ({"q": "a"}, {}),
        ({"q": "a"}, {"q": "ap"}),
    ],
    ids=["name to newest", "newest to name", "name to search", "search to name", "other search"],
)
def test_a_cursor_is_refused_by_another_listing(
    issued_by: dict[str, str], used_by: dict[str, str]
) -> None:
    # Given a cursor from one listing
    repository = catalogue("apple", "apricot", "avocado")
    cursor = list_products(query(limit=1, **issued_by), repository).next_cursor
    assert cursor is not None

    # When another listing is asked for with it  Then it is refused
    with pytest.raises(InvalidCursorError):
        list_products(query(limit=1, cursor=cursor, **used_by), repository)


def test_one_product_is_found_by_its_id() -> None:
    product = stored()

    assert get_product(UUID(product.product_id), InMemoryProductRepository(product)) == product


def test_an_unknown_product_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        get_product(UUID(NEW_ID), InMemoryProductRepository())


def test_an_admin_creates_a_product_with_a_new_id_and_the_clock_time() -> None:
    repository = InMemoryProductRepository()

    saved = save(ADMIN_CALLER, request(description="Warm.", stock=3), repository)

    assert saved.created
    assert saved.product == Product(
        product_id=NEW_ID,
        name="Reading lamp",
        description="Warm.",
        image=None,
        stock=3,
        price=Decimal("39.50"),
        created_at="2026-11-21T06:33:00Z",
        updated_at="2026-11-21T06:33:00Z",
    )
    assert repository.products[NEW_ID] == saved.product


def test_an_admin_creates_a_product_at_the_id_they_chose() -> None:
    chosen = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6"
    repository = InMemoryProductRepository()

    saved = save(ADMIN_CALLER, request(product_id=chosen), repository)

    assert (saved.created, saved.product.product_id) == (True, chosen)


def test_replacing_a_product_keeps_its_creation_time_and_what_the_body_leaves_out() -> None:
    # Given a product created earlier, with a description, an image and stock
    existing = stored(
        created_at="2026-01-01T00:00:00Z",
        description="Brass.",
        image=BASE_URL + IMAGE_KEY,
        stock=4,
    )
    repository = InMemoryProductRepository(existing)

    # When an admin saves a new name and price at its id, as the seed's clients do
    changes = request(product_id=existing.product_id, name="Floor lamp", price=Decimal(99))
    saved = save(ADMIN_CALLER, changes, repository)

    # Then it is replaced, keeps its created_at, description, image and stock
    assert not saved.created
    assert saved.product == existing.model_copy(
        update={"name": "Floor lamp", "price": Decimal(99), "updated_at": "2026-11-21T06:33:00Z"}
    )


def test_a_null_clears_the_description_image_and_stock() -> None:
    existing = stored(description="Brass.", image=BASE_URL + IMAGE_KEY, stock=4)
    repository = InMemoryProductRepository(existing)

    changes = request(
        product_id=existing.product_id,
        description=None,
        image=None,
        stock=None,
        expected_stock=4,
    )
    saved = save(ADMIN_CALLER, changes, repository)

    assert (saved.product.description, saved.product.image, saved.product.stock) == ("", None, None)


def test_a_stock_change_as_read_is_saved() -> None:
    existing = stored(stock=10)
    repository = InMemoryProductRepository(existing)

    saved = save(
        ADMIN_CALLER,
        request(product_id=existing.product_id, stock=25, expected_stock=10),
        repository,
    )

    assert saved.product.stock == 25


def test_a_stock_change_on_a_stock_that_moved_meanwhile_is_a_conflict() -> None:
    # Given a product whose stock went from 10 to 7 (orders) after the admin read it
    existing = stored(stock=7)
    repository = InMemoryProductRepository(existing)

    # When the admin's change says it read 10  Then it is refused and nothing changes
    with pytest.raises(ConflictError):
        save(
            ADMIN_CALLER,
            request(product_id=existing.product_id, stock=25, expected_stock=10),
            repository,
        )
    assert repository.products[existing.product_id] == existing


def test_a_stock_set_at_an_id_must_say_what_it_read() -> None:
    with pytest.raises(InvalidRequestError) as refused:
        save(ADMIN_CALLER, request(product_id=NEW_ID, stock=5), InMemoryProductRepository())

    assert [error.field for error in refused.value.errors] == ["expected_stock"]


def test_an_uploaded_image_is_set_on_the_product() -> None:
    images = InMemoryImageStore(BASE_URL, IMAGE_KEY)

    saved = save(
        ADMIN_CALLER, request(image=BASE_URL + IMAGE_KEY), InMemoryProductRepository(), images
    )

    assert saved.product.image == BASE_URL + IMAGE_KEY


@pytest.mark.parametrize(
    "image",
    [
        BASE_URL + IMAGE_KEY,  # the shop's address, but nothing was uploaded there
        "https://elsewhere.example/" + IMAGE_KEY,
        BASE_URL + "images/../index.html",
        BASE_URL + "images/lamp.gif",
        "javascript:alert(1)",
    ],
)
def test_an_image_that_is_not_an_upload_of_this_shop_is_refused(image: str) -> None:
    repository = InMemoryProductRepository()

    with pytest.raises(InvalidRequestError) as refused:
        save(ADMIN_CALLER, request(image=image), repository)

    assert [error.field for error in refused.value.errors] == ["image"]
    assert repository.products == {}


def test_a_shopper_may_not_save_a_product() -> None:
    repository = InMemoryProductRepository()

    with pytest.raises(ForbiddenError):
        save(SHOPPER_CALLER, request(), repository)

    assert repository.products == {}


def test_an_admin_gets_an_upload_for_an_image_of_the_type_given() -> None:
    images = InMemoryImageStore(BASE_URL)

    upload = image_upload(ADMIN_CALLER, ImageUploadIn(content_type="image/webp"), images)

    assert (upload.content_type, images.forms) == ("image/webp", ["image/webp"])


def test_a_shopper_may_not_upload_an_image() -> None:
    images = InMemoryImageStore(BASE_URL)

    with pytest.raises(ForbiddenError):
        image_upload(SHOPPER_CALLER, ImageUploadIn(content_type="image/png"), images)

    assert images.forms == []


def test_an_admin_deletes_a_product() -> None:
    existing = stored()
    repository = InMemoryProductRepository(existing)

    delete_product(ADMIN_CALLER, UUID(existing.product_id), repository)

    assert repository.products == {}


def test_deleting_an_unknown_product_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        delete_product(ADMIN_CALLER, UUID(NEW_ID), InMemoryProductRepository())


def test_a_shopper_may_not_delete_a_product() -> None:
    existing = stored()
    repository = InMemoryProductRepository(existing)

    with pytest.raises(ForbiddenError):
        delete_product(SHOPPER_CALLER, UUID(existing.product_id), repository)

    assert list(repository.products) == [existing.product_id]
