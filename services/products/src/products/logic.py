"""The products rules, pure and typed: storage, images, time and ids come in as arguments."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from products.models import (
    ImageUpload,
    ImageUploadIn,
    NameCursor,
    NewestCursor,
    Product,
    ProductIn,
    ProductListQuery,
    ProductSort,
    SearchCursor,
    StockRead,
    name_key,
)
from shop_common.caller import Caller
from shop_common.clock import Clock, IdFactory, iso_timestamp, new_id, utc_now
from shop_common.errors import (
    FieldError,
    ForbiddenError,
    InvalidCursorError,
    InvalidRequestError,
    NotFoundError,
)
from shop_common.pagination import CursorKey, Page, decode_cursor, encode_cursor


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

    def by_name(
        self, *, limit: int, start_key: Mapping[str, str] | None, prefix: str | None
    ) -> Page[Product]:
        """Up to `limit` products by name (those whose name key starts with `prefix`)."""
        ...

    def newest(self, *, limit: int, start_key: Mapping[str, str] | None) -> Page[Product]: ...


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
    if query.sort is ProductSort.NEWEST:
        start = _start(query.cursor, NewestCursor)
        page = repository.newest(limit=query.limit, start_key=start)
        return _listing(page, NewestCursor)
    if query.q is None:
        start = _start(query.cursor, NameCursor)
        page = repository.by_name(limit=query.limit, start_key=start, prefix=None)
        return _listing(page, NameCursor)
    prefix = name_key(query.q)
    start = _start(query.cursor, SearchCursor)
    if start is not None and start.pop("q") != prefix:
        raise InvalidCursorError  # a page of another search
    page = repository.by_name(limit=query.limit, start_key=start, prefix=prefix)
    return _listing(page, SearchCursor, q=prefix)


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


def _start(cursor: str | None, key_model: type[CursorKey]) -> dict[str, str] | None:
    return decode_cursor(cursor, key_model).model_dump() if cursor else None


def _listing(page: Page[Product], key_model: type[CursorKey], **extra: str) -> ProductListing:
    next_cursor = (
        encode_cursor(key_model.model_validate({**page.next_key, **extra}))
        if page.next_key
        else None
    )
    return ProductListing(page.items, next_cursor)
