"""What the products service tests share besides fixtures."""

import json
from typing import Any

from shop_common.product import Product


def stored_products(table: Any) -> list[dict[str, Any]]:
    """Everything the Products table holds, to show what a request wrote (or did not)."""
    return sorted(table.scan()["Items"], key=lambda item: str(item["product_id"]))


def product_shown(item: dict[str, Any]) -> dict[str, Any]:
    """A stored product as the API returns it (JSON: price a number, no index keys)."""
    shown: dict[str, Any] = json.loads(Product.model_validate(item).model_dump_json())
    return shown
