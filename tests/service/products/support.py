"""What the products service tests share besides fixtures."""

import json
from typing import Any

from shop_common.catalogue import WORD_OF
from shop_common.product import Product


def stored_products(table: Any) -> list[dict[str, Any]]:
    """The products the Products table holds, to show what a request wrote (or did not)."""
    return sorted(
        (item for item in table.scan()["Items"] if WORD_OF not in item),
        key=lambda item: str(item["product_id"]),
    )


def stored_word_items(table: Any) -> list[dict[str, Any]]:
    """The name search's word items the Products table holds, each product's in one list."""
    return sorted(
        (item for item in table.scan()["Items"] if WORD_OF in item),
        key=lambda item: str(item["product_id"]),
    )


def product_shown(item: dict[str, Any]) -> dict[str, Any]:
    """A stored product as the API returns it (JSON: price a number, no index keys)."""
    shown: dict[str, Any] = json.loads(Product.model_validate(item).model_dump_json())
    return shown
