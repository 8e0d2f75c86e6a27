"""Test data the suites share: request bodies and stored items."""

import base64
import json
from decimal import Decimal
from typing import Any
from uuid import uuid4

from shop_common.catalogue import CATALOGUE_VALUE, name_key
from tests.builders.callers import SHOPPER, Caller

TIMESTAMP = "2026-11-21T06:33:00Z"


def product_request(**overrides: Any) -> dict[str, Any]:
    """A valid `POST /product` body (no `product_id`: a new product)."""
    return {"name": "Desk lamp", "price": 24.99, **overrides}


def product_item(**overrides: Any) -> dict[str, Any]:
    """A product as the Products table stores it (price a `Decimal`, a DynamoDB number),
    with the keys of its listing indexes."""
    item = {
        "product_id": str(uuid4()),
        "name": "Desk lamp",
        "price": Decimal("24.99"),
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        **overrides,
    }
    # The keys of the listing indexes, as the products service writes them.
    return {
        **item,
        "catalogue": CATALOGUE_VALUE,
        "name_key": name_key(str(item["name"])),
        "created_key": item["created_at"],
    }


def _cursor_of(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# `GET /products?cursor=` values the service never issued: each is a 400 naming `cursor`.
BAD_PRODUCT_CURSORS = {
    "not base64": "%%%not-base64%%%",
    "base64 of garbage": _cursor_of(b"\xff\xfe garbage"),
    "not a JSON object": _cursor_of(b"[1, 2]"),
    "extra key": _cursor_of(b'{"product_id": "5f0c9c6e-8a43-4b8e-9a59-3f1f4f0d8a11", "x": "1"}'),
    "wrong key": _cursor_of(b'{"order_id": "5f0c9c6e-8a43-4b8e-9a59-3f1f4f0d8a11"}'),
    "key not a string": _cursor_of(b'{"product_id": 5}'),
    "empty key": _cursor_of(b'{"product_id": ""}'),
}


def address(**overrides: Any) -> dict[str, Any]:
    """A valid delivery address, as a client sends it and the API returns it."""
    return {
        "name": "Alice Martin",
        "lines": ["12 rue de la Paix", "Bâtiment B"],
        "postcode": "75002",
        "city": "Paris",
        "country": "FR",
        "phone": "+33 1 23 45 67 89",
        **overrides,
    }


def order_request(product_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid one-line form `POST /order` body that places a one-line order (no `order_id`),
    delivered to `address()`."""
    return {"product_id": product_id, "quantity": 2, "address": address(), **overrides}


def lines_request(*lines: tuple[str, int], **overrides: Any) -> dict[str, Any]:
    """A valid `POST /order` body that places an order of `(product_id, quantity)` lines,
    delivered to `address()`."""
    return {
        "lines": [
            {"product_id": product_id, "quantity": quantity} for product_id, quantity in lines
        ],
        "address": address(),
        **overrides,
    }


def owned_by(caller: Caller) -> dict[str, str]:
    """An order's owner fields for `caller`: their `sub`, and their username for display."""
    return {"owner_sub": caller.sub, "username": caller.username}


def order_line(**overrides: Any) -> dict[str, Any]:
    """A line as the Orders table stores it: two of `product_item()`'s lamp, not reserving
    stock (the lamp does not track it) unless `overrides` say otherwise."""
    line = {
        "product_id": str(uuid4()),
        "product_name": "Desk lamp",
        "unit_price": Decimal("24.99"),
        "quantity": 2,
        "stock_reserved": False,
        **overrides,
    }
    return {**line, "line_total": line["unit_price"] * line["quantity"]}


def order_item(*lines: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """An order as the Orders table stores it (prices `Decimal`, DynamoDB numbers), placed by
    `alice` (tests/builders/callers.SHOPPER) of `lines` (one `order_line()` if none) unless
    `overrides` say otherwise; with the attributes of the indexes it belongs to."""
    lines = lines or (order_line(),)
    item = {
        "order_id": str(uuid4()),
        **owned_by(SHOPPER),
        "lines": list(lines),
        "address": address(),
        "total_price": sum((line["line_total"] for line in lines), Decimal(0)),
        "currency": "EUR",
        "status": "pending",
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "version": 1,
        **overrides,
    }
    # What puts it in the listings' indexes, as the service writes it (orders/listings.py);
    # builders import no service module: a handler must be imported in its own environment.
    listed = {"kind": "order", "owner_status": f"{item['owner_sub']}#{item['status']}"}
    return {**listed, **item}


def one_line_form_order_item(**overrides: Any) -> dict[str, Any]:
    """An order as the Orders table held it before orders had lines: one product's fields
    at the top level, no currency, no address."""
    item = order_item(**overrides)
    (line,) = item.pop("lines")
    del item["currency"], item["address"]
    fields = ("product_id", "product_name", "unit_price", "quantity")
    return {**item, **{name: line[name] for name in fields}, **overrides}


def as_returned(order: dict[str, Any]) -> dict[str, Any]:
    """A stored order's fields as the API returns them (without the indexes' keys and the
    lines' reservations; an order stored without a history has an empty one, without an
    address a null one)."""
    fields = {name: value for name, value in order.items() if name not in {"kind", "owner_status"}}
    lines = [
        {name: value for name, value in line.items() if name != "stock_reserved"}
        for line in order["lines"]
    ]
    return {"history": [], "address": None, **fields, "lines": lines}


def as_json(value: Any) -> Any:
    """`value` as a client reads it back from JSON (a `Decimal` a number, 24.99)."""
    return json.loads(json.dumps(value, default=float))


# `GET /orders?cursor=` values the service never issued: each is a 400 naming `cursor`.
BAD_ORDER_CURSORS = {
    "not base64": "%%%not-base64%%%",
    "base64 of garbage": _cursor_of(b"\xff\xfe garbage"),
    "not a JSON object": _cursor_of(b'"order_id"'),
    "no listing": _cursor_of(b'{"key": {"order_id": "5f0c9c6e-8a43-4b8e-9a59-3f1f4f0d8a11"}}'),
    "an unknown listing": _cursor_of(
        b'{"listing": "products", "key": {"product_id": "5f0c9c6e-8a43-4b8e-9a59-3f1f4f0d8a11"}}'
    ),
    "a product cursor": _cursor_of(b'{"product_id": "5f0c9c6e-8a43-4b8e-9a59-3f1f4f0d8a11"}'),
    "key not a string": _cursor_of(b'{"listing": "orders", "key": {"order_id": 5}}'),
}

# `GET /orders` query parameters that are refused, and the parameter the 400 must name.
BAD_ORDER_QUERIES = {
    "limit 0": ({"limit": "0"}, "limit"),
    "limit 101": ({"limit": "101"}, "limit"),
    "limit not a number": ({"limit": "many"}, "limit"),
    "unknown status": ({"status": "lost"}, "status"),
}
