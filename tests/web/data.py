"""Test data made through the API, so that each browser test clicks only through what it tests."""

import uuid
from collections.abc import Callable
from typing import Any

from tests.builders.data import address
from tests.e2e.stack import ApiClient, RunningStack, Tokens


def new_product(admin_api: ApiClient, **fields: Any) -> dict[str, Any]:
    """A product with a name no other test uses, at 12.50 unless `fields` say otherwise."""
    body = {"name": f"Web {uuid.uuid4().hex[:8]}", "price": 12.5, **fields}
    response = admin_api.post("/product", body)
    assert response.status_code == 201, response.text
    product: dict[str, Any] = response.json()
    return product


def place_order(
    stack: RunningStack, tokens: Tokens, product: dict[str, Any], quantity: int
) -> dict[str, Any]:
    """A one-line order of `quantity` of `product`."""
    return place_lines(stack, tokens, [(product, quantity)])


def place_lines(
    stack: RunningStack, tokens: Tokens, lines: list[tuple[dict[str, Any], int]]
) -> dict[str, Any]:
    """One order of every `(product, quantity)` in `lines`, in that order."""
    body = {
        "lines": [
            {"product_id": product["product_id"], "quantity": quantity}
            for product, quantity in lines
        ],
        "address": address(),
    }
    response = stack.client_for(tokens).post("/order", body)
    assert response.status_code == 201, response.text
    placed: dict[str, Any] = response.json()
    return placed


def set_stock(admin_api: ApiClient, product: dict[str, Any], stock: int | None) -> dict[str, Any]:
    """`product` with `stock` items left (as if others had bought the rest), set by the admin
    on the stock read just before."""
    return _changed(
        admin_api, product, lambda current: {"stock": stock, "expected_stock": current.get("stock")}
    )


def set_price(admin_api: ApiClient, product: dict[str, Any], price: float) -> dict[str, Any]:
    """`product` at `price`, set by the admin."""
    return _changed(admin_api, product, lambda _: {"price": price})


def _changed(
    admin_api: ApiClient,
    product: dict[str, Any],
    change: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, Any]:
    """`product` as the admin saved it with `change(what they read just before)`."""
    current = admin_api.get(f"/product/{product['product_id']}").json()
    body = {key: current[key] for key in ("product_id", "name", "price")}
    response = admin_api.post("/product", {**body, **change(current)})
    assert response.status_code == 200, response.text
    changed: dict[str, Any] = response.json()
    return changed


def change_status(api: ApiClient, order: dict[str, Any], status: str) -> dict[str, Any]:
    response = api.post("/order", {"order_id": order["order_id"], "status": status})
    assert response.status_code == 200, response.text
    changed: dict[str, Any] = response.json()
    return changed
