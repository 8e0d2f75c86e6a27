"""Test data made through the API, so that each browser test clicks only through what it tests."""

from typing import Any

from tests.e2e.stack import ApiClient, RunningStack, Tokens


def create_product(admin_api: ApiClient, name: str, price: float) -> dict[str, Any]:
    response = admin_api.post("/product", {"name": name, "price": price})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def place_order(
    stack: RunningStack, tokens: Tokens, product: dict[str, Any], quantity: int
) -> dict[str, Any]:
    response = stack.client_for(tokens).post(
        "/order", {"product_id": product["product_id"], "quantity": quantity}
    )
    assert response.status_code == 201, response.text
    placed: dict[str, Any] = response.json()
    return placed


def change_status(api: ApiClient, order: dict[str, Any], status: str) -> dict[str, Any]:
    response = api.post("/order", {"order_id": order["order_id"], "status": status})
    assert response.status_code == 200, response.text
    changed: dict[str, Any] = response.json()
    return changed
