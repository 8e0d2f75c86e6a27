"""Test data the suites share: request bodies and stored items."""

from decimal import Decimal
from typing import Any
from uuid import uuid4

TIMESTAMP = "2026-11-21T06:33:00Z"


def product_request(**overrides: Any) -> dict[str, Any]:
    """A valid `POST /product` body (no `product_id`: a new product)."""
    return {"name": "Desk lamp", "price": 24.99, **overrides}


def product_item(**overrides: Any) -> dict[str, Any]:
    """A product as the Products table stores it (price a `Decimal`, a DynamoDB number)."""
    return {
        "product_id": str(uuid4()),
        "name": "Desk lamp",
        "price": Decimal("24.99"),
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        **overrides,
    }
