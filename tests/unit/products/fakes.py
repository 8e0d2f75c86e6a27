"""In-memory stand-ins with the observable behaviour of the Products table and images bucket."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from products.models import ImageUpload, StockRead
from shop_common.catalogue import (
    BY_WORD_INDEX,
    CATALOGUE,
    CATALOGUE_VALUE,
    CREATED_KEY,
    NAME_KEY,
    WORD_OF,
    name_key,
    word_items,
)
from shop_common.clock import iso_timestamp
from shop_common.errors import ConflictError, NotFoundError
from shop_common.pagination import CursorPage, Listing
from shop_common.product import Product
from tests.builders.listings import query_items


class InMemoryProductRepository:
    def __init__(self, *products: Product) -> None:
        self.products = {product.product_id: product for product in products}

    def get(self, product_id: str) -> Product | None:
        return self.products.get(product_id)

    def save(
        self,
        product_id: str,
        values: Mapping[str, Any],
        *,
        created: datetime,
        stock_read: StockRead | None,
    ) -> tuple[Product, bool]:
        old = self.products.get(product_id)
        if stock_read is not None and (old.stock if old else None) != stock_read.stock:
            raise ConflictError("The stock changed meanwhile")
        created_at = iso_timestamp(created)
        base = old.model_dump() if old else {"product_id": product_id, "created_at": created_at}
        merged = {**base, **values}
        product = Product.model_validate({k: v for k, v in merged.items() if v is not None})
        self.products[product_id] = product
        return product, old is None

    def delete(self, product_id: str) -> None:
        if self.products.pop(product_id, None) is None:
            raise NotFoundError(f"Product {product_id} not found")

    def page(self, listing: Listing, *, limit: int, cursor: str | None) -> CursorPage[Product]:
        if listing.index == BY_WORD_INDEX:
            words = [w for p in self.products.values() for w in word_items(p.product_id, p.name)]
            found, next_cursor = query_items(listing, words)(limit, cursor)
            products = [self.products[item[WORD_OF]] for item in found]
            return CursorPage(products, next_cursor)
        items, next_cursor = query_items(listing, map(stored_item, self.products.values()))(
            limit, cursor
        )
        return CursorPage([Product.model_validate(item) for item in items], next_cursor)


def stored_item(product: Product) -> dict[str, Any]:
    """The product as the Products table holds it, the listings' index attributes included
    (`created_at` standing for the finer `created_key`)."""
    return {
        **product.model_dump(mode="json"),
        CATALOGUE: CATALOGUE_VALUE,
        NAME_KEY: name_key(product.name),
        CREATED_KEY: product.created_at,
    }


class InMemoryImageStore:
    """Uploads are recorded by key; `upload_form` hands out numbered keys."""

    def __init__(self, base_url: str, *uploaded: str) -> None:
        self.base_url = base_url
        self.uploaded = set(uploaded)
        self.forms: list[str] = []

    def upload_form(self, content_type: str) -> ImageUpload:
        key = f"images/{len(self.forms):032x}.png"
        self.forms.append(content_type)
        return ImageUpload(
            url="https://bucket.example/",
            fields={"key": key, "Content-Type": content_type},
            image=f"{self.base_url}{key}",
            content_type=content_type,
            max_bytes=2 * 1024 * 1024,
            expires_at="2026-11-21T06:38:00Z",
        )

    def exists(self, key: str) -> bool:
        return key in self.uploaded
