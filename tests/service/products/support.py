"""What the products service tests share besides fixtures."""

from typing import Any


def stored_products(table: Any) -> list[dict[str, Any]]:
    """Everything the Products table holds, to show what a request wrote (or did not)."""
    return sorted(table.scan()["Items"], key=lambda item: str(item["product_id"]))
