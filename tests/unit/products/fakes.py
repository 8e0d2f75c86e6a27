"""In-memory stand-ins with the observable behaviour of the Products table and images bucket."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from products.models import ImageUpload, Product, StockRead, name_key
from shop_common.clock import iso_timestamp
from shop_common.errors import ConflictError, NotFoundError
from shop_common.pagination import Page


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

    def by_name(
        self, *, limit: int, start_key: Mapping[str, str] | None, prefix: str | None
    ) -> Page[Product]:
        def key(product: Product) -> tuple[str, str]:
            return (name_key(product.name), product.product_id)

        chosen = [p for p in self.products.values() if name_key(p.name).startswith(prefix or "")]
        after = (start_key["name_key"], start_key["product_id"]) if start_key else None
        return self._page(sorted(chosen, key=key), key, after, limit, ("name_key", "product_id"))

    def newest(self, *, limit: int, start_key: Mapping[str, str] | None) -> Page[Product]:
        def key(product: Product) -> tuple[str, str]:
            return (product.created_at, product.product_id)

        ordered = sorted(self.products.values(), key=key, reverse=True)
        before = (start_key["created_key"], start_key["product_id"]) if start_key else None
        return self._page(ordered, key, before, limit, ("created_key", "product_id"), newest=True)

    @staticmethod
    def _page(
        ordered: list[Product],
        key: Callable[[Product], tuple[str, str]],
        start: tuple[str, str] | None,
        limit: int,
        names: tuple[str, str],
        newest: bool = False,
    ) -> Page[Product]:
        if start is not None:
            ordered = [p for p in ordered if (key(p) < start if newest else key(p) > start)]
        items = ordered[:limit]
        next_key = dict(zip(names, key(items[-1]), strict=True)) if len(ordered) > limit else None
        return Page[Product](items=items, next_key=next_key)


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
