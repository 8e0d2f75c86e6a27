"""The products rules, pure and typed: storage, time and ids come in as arguments."""

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from products.models import ProductCursor, ProductIn, ProductItem
from shop_common.caller import Caller
from shop_common.clock import Clock, IdFactory, iso_timestamp, new_id, utc_now
from shop_common.errors import ForbiddenError
from shop_common.pagination import Page, decode_cursor, encode_cursor


class ProductRepository(Protocol):
    def page(self, limit: int, start_key: dict[str, str] | None) -> Page[ProductItem]:
        """Up to `limit` products after `start_key`, and the key to continue from."""
        ...

    def save(self, product: ProductItem) -> ProductItem | None:
        """Create or replace `product`, keeping the `created_at` of a product it replaces;
        returns the product it replaced (None when it created one)."""
        ...

    def delete(self, product_id: str) -> None:
        """Remove a product; `NotFoundError` if there is none with that id."""
        ...


@dataclass(frozen=True)
class ProductListing:
    products: list[ProductItem]
    next_cursor: str | None


@dataclass(frozen=True)
class SavedProduct:
    product: ProductItem
    created: bool


def list_products(
    repository: ProductRepository, *, limit: int, cursor: str | None
) -> ProductListing:
    """A page of the catalogue, for any signed-in caller."""
    start = decode_cursor(cursor, ProductCursor) if cursor else None
    page = repository.page(limit, start.model_dump() if start else None)
    next_cursor = (
        encode_cursor(ProductCursor.model_validate(page.next_key)) if page.next_key else None
    )
    return ProductListing(page.items, next_cursor)


def save_product(
    caller: Caller,
    request: ProductIn,
    repository: ProductRepository,
    *,
    clock: Clock = utc_now,
    id_factory: IdFactory = new_id,
) -> SavedProduct:
    """Create a product, or create or replace one at the id the admin chose."""
    _require_admin(caller)
    now = iso_timestamp(clock())
    product = ProductItem(
        product_id=str(request.product_id) if request.product_id else id_factory(),
        name=request.name,
        price=request.price,
        created_at=now,
        updated_at=now,
    )
    replaced = repository.save(product)
    if replaced is None:
        return SavedProduct(product, created=True)
    return SavedProduct(product.model_copy(update={"created_at": replaced.created_at}), False)


def delete_product(caller: Caller, product_id: UUID, repository: ProductRepository) -> None:
    _require_admin(caller)
    repository.delete(str(product_id))


def _require_admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise ForbiddenError("Only an admin may change products")
