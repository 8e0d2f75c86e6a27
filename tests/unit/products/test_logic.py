"""The products rules with an in-memory repository, a fixed clock and fixed ids."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from products.logic import SavedProduct, delete_product, list_products, save_product
from products.models import ProductIn, ProductItem
from shop_common.caller import Caller
from shop_common.errors import ForbiddenError, InvalidCursorError, NotFoundError
from tests.builders.callers import ADMIN, SHOPPER
from tests.builders.data import BAD_PRODUCT_CURSORS, product_item
from tests.unit.products.fakes import InMemoryProductRepository

NOW = datetime(2026, 11, 21, 6, 33, tzinfo=UTC)
NEW_ID = "0b6f0c3e-3c1b-4b51-a3a2-6b0e4f3c9d01"
ADMIN_CALLER = Caller.model_validate(ADMIN.authorizer_context())
SHOPPER_CALLER = Caller.model_validate(SHOPPER.authorizer_context())


def stored(**overrides: object) -> ProductItem:
    return ProductItem.model_validate(product_item(**overrides))


def request(**fields: object) -> ProductIn:
    return ProductIn.model_validate({"name": "Reading lamp", "price": Decimal("39.50"), **fields})


def save(caller: Caller, product: ProductIn, repository: InMemoryProductRepository) -> SavedProduct:
    return save_product(caller, product, repository, clock=lambda: NOW, id_factory=lambda: NEW_ID)


def test_listing_walks_every_product_once_page_by_page() -> None:
    # Given seven products
    repository = InMemoryProductRepository(*(stored() for _ in range(7)))

    # When the listing is followed three at a time
    pages, cursor = [], None
    while True:
        listing = list_products(repository, limit=3, cursor=cursor)
        pages.append(listing.products)
        cursor = listing.next_cursor
        if cursor is None:
            break

    # Then the pages hold 3, 3 and 1 products, each exactly once
    assert [len(page) for page in pages] == [3, 3, 1]
    assert sorted(p.product_id for page in pages for p in page) == sorted(repository.products)


@pytest.mark.parametrize("cursor", BAD_PRODUCT_CURSORS.values(), ids=BAD_PRODUCT_CURSORS.keys())
def test_a_cursor_that_is_not_ours_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursorError):
        list_products(InMemoryProductRepository(), limit=10, cursor=cursor)


def test_an_admin_creates_a_product_with_a_new_id_and_the_clock_time() -> None:
    repository = InMemoryProductRepository()

    saved = save(ADMIN_CALLER, request(), repository)

    assert saved.created
    assert saved.product == ProductItem(
        product_id=NEW_ID,
        name="Reading lamp",
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


def test_replacing_a_product_keeps_its_creation_time() -> None:
    # Given a product created earlier
    existing = stored(created_at="2026-01-01T00:00:00Z", updated_at="2026-01-01T00:00:00Z")
    repository = InMemoryProductRepository(existing)

    # When an admin saves new values at its id
    changes = request(product_id=existing.product_id, name="Floor lamp", price=Decimal(99))
    saved = save(ADMIN_CALLER, changes, repository)

    # Then it is replaced, not created, and keeps its created_at
    assert not saved.created
    assert saved.product.model_dump() == {
        "product_id": existing.product_id,
        "name": "Floor lamp",
        "price": Decimal(99),
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-11-21T06:33:00Z",
    }
    assert repository.products[existing.product_id] == saved.product


def test_a_shopper_may_not_save_a_product() -> None:
    repository = InMemoryProductRepository()

    with pytest.raises(ForbiddenError):
        save(SHOPPER_CALLER, request(), repository)

    assert repository.products == {}


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
