"""Every route x every kind of caller: who gets through and what they get."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest
import requests
from jose import jwt
from moto.utilities.utils import load_resource

from tests.builders.data import order_request
from tests.builders.tokens import REFUSED_AUTHORIZATIONS
from tests.e2e.stack import ApiClient, RunningStack, Tokens

CALLERS = ("anonymous", "garbage token", "expired token", "shopper", "other shopper", "admin")


def expired_copy(token: str) -> str:
    """The same Cognito token, signed by the emulated pool's own key, expired an hour ago."""
    claims = jwt.get_unverified_claims(token)
    headers = jwt.get_unverified_header(token)
    past = int(time.time()) - 7200
    claims |= {"iat": past, "auth_time": past, "exp": past + 3600}
    signing_key = load_resource("cognitoidp/resources/jwks-private.json")
    expired: str = jwt.encode(claims, signing_key, algorithm="RS256", headers=headers)
    return expired


@dataclass
class World:
    """What a route case acts on, created (by the admin and the shopper) only when needed."""

    admin: ApiClient
    shopper: ApiClient

    @cached_property
    def product(self) -> dict[str, Any]:
        response = self.admin.post("/product", {"name": "Matrix mug", "price": 9.5})
        assert response.status_code == 201
        product: dict[str, Any] = response.json()
        return product

    @cached_property
    def order(self) -> dict[str, Any]:
        response = self.shopper.post(
            "/order", order_request(self.product["product_id"], quantity=1)
        )
        assert response.status_code == 201
        order: dict[str, Any] = response.json()
        return order

    @cached_property
    def partner(self) -> dict[str, Any]:
        response = self.admin.post("/partner", {"name": "Matrix partner", "tier": "basic"})
        assert response.status_code == 201
        partner: dict[str, Any] = response.json()
        return partner


Route = Callable[[ApiClient, World], requests.Response]

ROUTES: dict[str, Route] = {
    "GET /products": lambda client, world: client.get("/products"),
    "GET /product/{id}": lambda client, world: client.get(
        f"/product/{world.product['product_id']}"
    ),
    "POST /images": lambda client, world: client.post("/images", {"content_type": "image/png"}),
    "POST /product": lambda client, world: client.post("/product", {"name": "Cup", "price": 3}),
    "DELETE /product/{id}": lambda client, world: client.delete(
        f"/product/{world.product['product_id']}"
    ),
    "GET /orders": lambda client, world: client.get("/orders"),
    "POST /order (place)": lambda client, world: client.post(
        "/order", order_request(world.product["product_id"], quantity=1)
    ),
    "POST /order (cancel the shopper's)": lambda client, world: client.post(
        "/order", {"order_id": world.order["order_id"], "status": "cancelled"}
    ),
    "DELETE /order/{id}": lambda client, world: client.delete(f"/order/{world.order['order_id']}"),
    "POST /partner": lambda client, world: client.post("/partner", {"name": "P", "tier": "pro"}),
    "GET /partners": lambda client, world: client.get("/partners"),
    "POST /partner/{id}": lambda client, world: client.post(
        f"/partner/{world.partner['partner_id']}", {"tier": "pro"}
    ),
    "DELETE /partner/{id}": lambda client, world: client.delete(
        f"/partner/{world.partner['partner_id']}"
    ),
    # A user's token is no API key: the partner routes refuse every caller here.
    "GET /partner/products": lambda client, world: client.get("/partner/products"),
    "POST /partner/quote": lambda client, world: client.post(
        "/partner/quote", {"lines": [{"product_id": world.product["product_id"], "quantity": 1}]}
    ),
}

# The open catalogue answers anyone: a token, even a bad one, is ignored.
OPEN = dict.fromkeys(CALLERS, 200)
SIGNED_IN_STATUS: dict[str, dict[str, int]] = {
    "GET /products": OPEN,
    "GET /product/{id}": OPEN,
    "POST /images": {"shopper": 403, "other shopper": 403, "admin": 201},
    "POST /product": {"shopper": 403, "other shopper": 403, "admin": 201},
    "DELETE /product/{id}": {"shopper": 403, "other shopper": 403, "admin": 204},
    "GET /orders": {"shopper": 200, "other shopper": 200, "admin": 200},
    "POST /order (place)": {"shopper": 201, "other shopper": 201, "admin": 201},
    "POST /order (cancel the shopper's)": {"shopper": 200, "other shopper": 404, "admin": 200},
    "DELETE /order/{id}": {"shopper": 403, "other shopper": 403, "admin": 204},
    "POST /partner": {"shopper": 403, "other shopper": 403, "admin": 201},
    "GET /partners": {"shopper": 403, "other shopper": 403, "admin": 200},
    "POST /partner/{id}": {"shopper": 403, "other shopper": 403, "admin": 200},
    "DELETE /partner/{id}": {"shopper": 403, "other shopper": 403, "admin": 204},
}
KEYED_ROUTES = {"GET /partner/products", "POST /partner/quote"}


def expected_status(route: str, caller: str) -> int:
    if route in KEYED_ROUTES:
        return 403
    return SIGNED_IN_STATUS[route].get(caller, 401)


@pytest.fixture
def clients(
    stack: RunningStack,
    shopper: ApiClient,
    other_shopper: ApiClient,
    admin: ApiClient,
    shopper_tokens: Tokens,
) -> dict[str, ApiClient]:
    return {
        "anonymous": stack.client(None),
        "garbage token": stack.client(REFUSED_AUTHORIZATIONS["8 KiB of garbage"](int(time.time()))),
        "expired token": stack.client(f"Bearer {expired_copy(shopper_tokens.access_token)}"),
        "shopper": shopper,
        "other shopper": other_shopper,
        "admin": admin,
    }


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES)
def test_each_caller_gets_what_the_contract_says_on_each_route(
    route: str, caller: str, clients: dict[str, ApiClient], admin: ApiClient, shopper: ApiClient
) -> None:
    # Given what the route acts on
    world = World(admin=admin, shopper=shopper)
    # When the caller calls it
    response = ROUTES[route](clients[caller], world)
    # Then the contract's status, with a JSON message on refusals
    assert response.status_code == expected_status(route, caller), response.text
    if response.status_code in {401, 403, 404}:
        assert response.json()["message"]


@pytest.mark.parametrize("case", sorted(REFUSED_AUTHORIZATIONS))
def test_every_refused_authorization_header_is_a_401(stack: RunningStack, case: str) -> None:
    # Given an Authorization header the contract refuses (tests/builders/tokens.py)
    client = stack.client(REFUSED_AUTHORIZATIONS[case](int(time.time())))
    # When it is sent to the API
    response = client.get("/orders")
    # Then 401 Unauthorized
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}


@pytest.mark.parametrize(
    ("scheme", "after"), [("bearer ", ""), ("BEARER ", ""), ("Bearer   ", ""), ("Bearer ", " \t ")]
)
def test_the_bearer_scheme_is_read_in_any_case_with_any_spaces_around_the_token(
    stack: RunningStack, shopper_tokens: Tokens, scheme: str, after: str
) -> None:
    # Given a shopper's token after the scheme in another case or more spaces, or followed by
    # whitespace (which is not part of a header's value, RFC 9110 5.5)
    client = stack.client(f"{scheme}{shopper_tokens.access_token}{after}")
    # When it is sent to the API
    response = client.get("/orders")
    # Then the gateway and the authorizer take it
    assert response.status_code == 200
