"""Partners through the running stack: keys the admin creates work at once, are capped by
their tier's plan from the API template (rate, burst, daily quota) and are refused once
disabled or revoked; quotes and the catalogue as partners see them."""

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from shop_common.pricing import MAX_QUANTITY
from stacks.templates import API_TEMPLATE, load_template
from tests.e2e.stack import ApiClient, RunningStack

API_PARAMETERS = load_template(API_TEMPLATE)["Parameters"]
BASIC_RATE = float(API_PARAMETERS["BasicRateLimit"]["Default"])
BASIC_BURST = int(API_PARAMETERS["BasicBurstLimit"]["Default"])
BASIC_QUOTA = int(API_PARAMETERS["BasicDailyQuota"]["Default"])

NewPartner = Callable[..., dict[str, Any]]


@pytest.fixture
def new_partner(admin: ApiClient) -> NewPartner:
    def create(tier: str = "basic") -> dict[str, Any]:
        name = f"Partner {uuid.uuid4().hex[:6]}"
        response = admin.post("/partner", {"name": name, "tier": tier})
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    return create


def partner_client(stack: RunningStack, key: str | None) -> ApiClient:
    """A partner's machine: no user token, its API key (if any) in `x-api-key`."""
    client = stack.client(None)
    if key is not None:
        client.session.headers["x-api-key"] = key
    return client


def catalogue(client: ApiClient) -> requests.Response:
    return client.get("/partner/products", params={"limit": "1"})


def test_no_key_is_api_gateways_403_with_cors(stack: RunningStack) -> None:
    response = catalogue(partner_client(stack, None))

    assert response.status_code == 403
    assert response.json() == {"message": "Forbidden"}
    assert response.headers["Access-Control-Allow-Origin"] == stack.origin


def test_an_unknown_key_or_a_user_token_is_403(stack: RunningStack, shopper: ApiClient) -> None:
    assert catalogue(partner_client(stack, "k" * 40)).status_code == 403
    assert catalogue(shopper).status_code == 403


def test_a_key_the_admin_creates_works_at_once(
    stack: RunningStack, new_partner: NewPartner
) -> None:
    partner = new_partner()

    response = catalogue(partner_client(stack, partner["api_key"]))

    assert response.status_code == 200, response.text
    [product] = response.json()
    assert {"product_id", "price", "currency", "in_stock"} <= set(product)


def test_a_revoked_key_is_403(
    stack: RunningStack, admin: ApiClient, new_partner: NewPartner
) -> None:
    partner = new_partner()
    client = partner_client(stack, partner["api_key"])
    assert catalogue(client).status_code == 200

    assert admin.delete(f"/partner/{partner['partner_id']}").status_code == 204

    assert catalogue(client).status_code == 403


def test_a_disabled_key_is_403_until_enabled_again(
    stack: RunningStack, admin: ApiClient, new_partner: NewPartner
) -> None:
    partner = new_partner()
    client = partner_client(stack, partner["api_key"])
    path = f"/partner/{partner['partner_id']}"

    assert admin.post(path, {"enabled": False}).status_code == 200
    assert catalogue(client).status_code == 403
    assert admin.post(path, {"enabled": True}).status_code == 200
    assert catalogue(client).status_code == 200


def test_the_101st_request_of_the_day_on_basic_is_429_and_none_before(
    stack: RunningStack, admin: ApiClient, new_partner: NewPartner
) -> None:
    # Given a new basic partner, calling within its rate (so that only the quota can refuse)
    partner = new_partner("basic")
    client = partner_client(stack, partner["api_key"])
    statuses = []
    for _ in range(BASIC_QUOTA):
        statuses.append(catalogue(client).status_code)
        time.sleep(1.2 / BASIC_RATE)
    # When it makes one request more than the day's quota
    over = catalogue(client)
    # Then the quota's requests were answered, and the one over it is API Gateway's 429
    assert statuses == [200] * BASIC_QUOTA
    assert over.status_code == 429
    assert over.json() == {"message": "Limit Exceeded"}
    # And the admin sees them as today's usage
    [listed] = [
        p for p in admin.get("/partners").json() if p["partner_id"] == partner["partner_id"]
    ]
    assert listed["requests_today"] == BASIC_QUOTA


def test_a_burst_over_the_rate_is_429_and_the_key_recovers(
    stack: RunningStack, new_partner: NewPartner
) -> None:
    # Given a basic partner that sends twice its burst at once (all sent before any answer,
    # so that how fast the function answers does not matter)
    key = new_partner("basic")["api_key"]
    clients = [partner_client(stack, key) for _ in range(2 * BASIC_BURST)]
    start = threading.Barrier(len(clients))

    def send(client: ApiClient) -> int:
        start.wait()
        return catalogue(client).status_code

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        statuses = list(pool.map(send, clients))
    # Then what exceeds the burst is throttled
    assert statuses.count(429) >= BASIC_BURST // 2, statuses
    assert set(statuses) == {200, 429}
    # And a moment later (the bucket refills at the rate) it is answered again
    time.sleep(2 / BASIC_RATE)
    assert catalogue(clients[0]).status_code == 200


def test_a_quote_with_an_unknown_product_is_404_naming_it(
    stack: RunningStack, new_partner: NewPartner, product: dict[str, Any]
) -> None:
    client = partner_client(stack, new_partner()["api_key"])
    unknown = str(uuid.uuid4())
    lines = [
        {"product_id": product["product_id"], "quantity": 1},
        {"product_id": unknown, "quantity": 2},
    ]

    response = client.post("/partner/quote", {"lines": lines})

    assert response.status_code == 404
    assert unknown in response.json()["message"]
    assert [error["field"] for error in response.json()["errors"]] == ["lines.1.product_id"]


def test_a_quote_with_bad_quantities_is_400_naming_the_lines(
    stack: RunningStack, new_partner: NewPartner, product: dict[str, Any]
) -> None:
    client = partner_client(stack, new_partner()["api_key"])
    lines = [
        {"product_id": product["product_id"], "quantity": 1},
        {"product_id": product["product_id"], "quantity": 0},
        {"product_id": product["product_id"], "quantity": MAX_QUANTITY + 1},
    ]

    response = client.post("/partner/quote", {"lines": lines})

    assert response.status_code == 400
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == ["lines.1.quantity", "lines.2.quantity"]


def test_a_quote_prices_the_basket_exactly(
    stack: RunningStack, new_partner: NewPartner, product: dict[str, Any]
) -> None:
    client = partner_client(stack, new_partner()["api_key"])

    response = client.post(
        "/partner/quote", {"lines": [{"product_id": product["product_id"], "quantity": 3}]}
    )

    assert response.status_code == 200, response.text
    assert response.json()["total"] == product["price"] * 3


def test_a_shopper_may_not_manage_partners(shopper: ApiClient) -> None:
    assert shopper.get("/partners").status_code == 403
    assert shopper.post("/partner", {"name": "Mine", "tier": "pro"}).status_code == 403


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": "", "tier": "platinum"}, ["name", "tier"]),
        ({"name": "Lamps Ltd", "tier": "basic", "quota": 10}, ["quota"]),
    ],
)
def test_a_bad_partner_is_400_naming_each_field_and_creates_no_key(
    admin: ApiClient, body: dict[str, Any], fields: list[str]
) -> None:
    partners_before = admin.get("/partners").json()

    response = admin.post("/partner", body)

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == fields
    assert admin.get("/partners").json() == partners_before
