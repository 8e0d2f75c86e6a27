"""End-to-end: one local stack per session (`python -m local` on a free port), real HTTP,
real tokens from its emulated Cognito."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.builders.data import order_request
from tests.e2e.stack import ApiClient, RunningStack, Tokens, local_stack


@pytest.fixture(scope="session")
def stack() -> Iterator[RunningStack]:
    with local_stack() as running:
        yield running


@pytest.fixture(scope="session")
def shopper_tokens(stack: RunningStack) -> Tokens:
    return stack.new_shopper("alice")


@pytest.fixture(scope="session")
def other_shopper_tokens(stack: RunningStack) -> Tokens:
    return stack.new_shopper("bob")


@pytest.fixture(scope="session")
def admin_tokens(stack: RunningStack) -> Tokens:
    return stack.sign_in(stack.admin_username, stack.admin_password)


@pytest.fixture
def shopper(stack: RunningStack, shopper_tokens: Tokens) -> ApiClient:
    return stack.client_for(shopper_tokens)


@pytest.fixture
def other_shopper(stack: RunningStack, other_shopper_tokens: Tokens) -> ApiClient:
    return stack.client_for(other_shopper_tokens)


@pytest.fixture
def admin(stack: RunningStack, admin_tokens: Tokens) -> ApiClient:
    return stack.client_for(admin_tokens)


@pytest.fixture
def anonymous(stack: RunningStack) -> ApiClient:
    return stack.client(None)


@pytest.fixture
def product(admin: ApiClient) -> dict[str, Any]:
    """A product the admin just created."""
    response = admin.post("/product", {"name": "E2E kettle", "price": 31.5})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
def shopper_order(shopper: ApiClient, product: dict[str, Any]) -> dict[str, Any]:
    """A pending order of two of `product`, placed by the shopper."""
    response = shopper.post("/order", order_request(product["product_id"], quantity=2))
    assert response.status_code == 201, response.text
    placed: dict[str, Any] = response.json()
    return placed
