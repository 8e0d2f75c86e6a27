"""An in-memory products repository with the Products table's observable behaviour."""

from products.models import ProductItem
from shop_common.errors import NotFoundError
from shop_common.pagination import Page


class InMemoryProductRepository:
    def __init__(self, *products: ProductItem) -> None:
        self.products = {product.product_id: product for product in products}

    def page(self, limit: int, start_key: dict[str, str] | None) -> Page[ProductItem]:
        # Key order stands for DynamoDB's (hash) order: a Scan promises no particular one.
        after = start_key["product_id"] if start_key else ""
        rest = [self.products[key] for key in sorted(self.products) if key > after]
        items = rest[:limit]
        more = len(rest) > limit
        return Page[ProductItem](
            items=items, next_key={"product_id": items[-1].product_id} if more else None
        )

    def save(self, product: ProductItem) -> ProductItem | None:
        replaced = self.products.get(product.product_id)
        created_at = replaced.created_at if replaced else product.created_at
        self.products[product.product_id] = product.model_copy(update={"created_at": created_at})
        return replaced

    def delete(self, product_id: str) -> None:
        if self.products.pop(product_id, None) is None:
            raise NotFoundError(f"Product {product_id} not found")
