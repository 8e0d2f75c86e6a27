"""The products rules, pure and typed: storage, images, time and ids come in as arguments."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from products.listings import product_listing
from products.models import (
    ImageUpload,
    ImageUploadIn,
    ProductIn,
    ProductListQuery,
    StockRead,
)
from shop_common.caller import Caller
from shop_common.clock import Clock, IdFactory, iso_timestamp, new_id, utc_now
from shop_common.errors import FieldError, ForbiddenError, InvalidRequestError, NotFoundError
from shop_common.pagination import CursorPage, Listing
from shop_common.product import Product


class ProductRepository(Protocol):
    def get(self, product_id: str) -> Product | None: ...

    def save(
        self,
        product_id: str,
        values: Mapping[str, Any],
        *,
        created: datetime,
        stock_read: StockRead | None,
    ) -> tuple[Product, bool]:
        """Set `values` (None clears one), creating the product at `created` if absent,
        conditional on `stock_read` if given; the product as stored, and whether it is new.
        `ConflictError` if the stock is no longer as read."""
        ...

    def delete(self, product_id: str) -> None:
        """Remove a product; `NotFoundError` if there is none with that id."""
        ...

    def page(self, listing: Listing, *, limit: int, cursor: str | None) -> CursorPage[Product]:
        """Up to `limit` products of `listing` after `cursor` (a 400 if it is not the
        listing's), and the next page's cursor."""
        ...


class ImageStore(Protocol):
    def upload_form(self, content_type: str) -> ImageUpload: ...

    def exists(self, key: str) -> bool: ...


@dataclass(frozen=True)
class ProductListing:
    products: list[Product]
    next_cursor: str | None


@dataclass(frozen=True)
class SavedProduct:
    product: Product
    created: bool


def list_products(query: ProductListQuery, repository: ProductRepository) -> ProductListing:
    """A page of the catalogue, for anyone: by name, newest first, or a name search. A
    cursor is good only for the listing (and search) that issued it."""
    page = repository.page(product_listing(query), limit=query.limit, cursor=query.cursor)
    return ProductListing(page.items, page.next_cursor)


def get_product(product_id: UUID, repository: ProductRepository) -> Product:
    product = repository.get(str(product_id))
    if product is None:
        raise NotFoundError(
            f"Product {product_id} not found", [FieldError("product_id", "no such product")]
        )
    return product


def save_product(
    caller: Caller,
    request: ProductIn,
    repository: ProductRepository,
    images: ImageStore,
    *,
    image_base_url: str,
    clock: Clock = utc_now,
    id_factory: IdFactory = new_id,
) -> SavedProduct:
    """Create a product, or create or replace one at the id the admin chose. A replace
    keeps what the body does not name (the seed's clients send only `name` and `price`)."""
    _require_admin(caller)
    request.check_stock_is_conditional()
    image_key = request.image_key(image_base_url)
    if image_key is not None and not images.exists(image_key):
        raise InvalidRequestError(
            "Invalid request body", [FieldError("image", "no image was uploaded there")]
        )
    moment = clock()
    values = request.model_dump(include=set(request.given_fields()))
    values["updated_at"] = iso_timestamp(moment)
    if values.get("description") == "":
        values["description"] = None  # stored as absent, returned as ""
    product, created = repository.save(
        str(request.product_id) if request.product_id else id_factory(),
        values,
        created=moment,
        stock_read=request.stock_read(),
    )
    return SavedProduct(product, created)


def delete_product(caller: Caller, product_id: UUID, repository: ProductRepository) -> None:
    _require_admin(caller)
    repository.delete(str(product_id))


def image_upload(caller: Caller, request: ImageUploadIn, images: ImageStore) -> ImageUpload:
    """A short-lived presigned upload for one product image (admins only)."""
    _require_admin(caller)
    return images.upload_form(request.content_type)


def _require_admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise ForbiddenError("Only an admin may change products")
