"""Concurrent clients: one winner per status change, and every created order stored once."""

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from tests.builders.data import order_request
from tests.e2e.stack import ApiClient, RunningStack

STATUS_CHANGES = 20
ORDERS = 200
CLIENTS = 8
# The stage throttles (429); a client retries after a pause, as the web client would.
RETRY_PAUSE_SECONDS = 0.2
MAX_ATTEMPTS = 50


def send_until_not_throttled(send: Any) -> requests.Response:
    for _ in range(MAX_ATTEMPTS):
        response: requests.Response = send()
        if response.status_code != 429:
            return response
        time.sleep(RETRY_PAUSE_SECONDS)
    raise AssertionError("still throttled after every retry")


def test_concurrent_status_changes_on_one_order_have_exactly_one_winner(
    stack: RunningStack, admin_tokens: Any, shopper_order: dict[str, Any]
) -> None:
    # Given 20 clients (one connection each) ready to ship the same pending order
    clients = [stack.client_for(admin_tokens) for _ in range(STATUS_CHANGES)]
    body = {"order_id": shopper_order["order_id"], "status": "shipped"}
    # When they all send the change at once
    with ThreadPoolExecutor(STATUS_CHANGES) as pool:
        responses = list(
            pool.map(
                lambda client: send_until_not_throttled(lambda: client.post("/order", body)),
                clients,
            )
        )
    # Then exactly one succeeds and every other one is a 409
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {200: 1, 409: STATUS_CHANGES - 1}, statuses


def test_orders_from_concurrent_clients_are_each_stored_exactly_once(
    stack: RunningStack, product: dict[str, Any]
) -> None:
    # Given 8 shoppers of their own, each with a client
    shoppers = [stack.new_shopper("load") for _ in range(CLIENTS)]
    clients: list[ApiClient] = [stack.client_for(tokens) for tokens in shoppers]
    body = order_request(product["product_id"], quantity=1)

    def place_orders(client: ApiClient) -> list[requests.Response]:
        return [
            send_until_not_throttled(lambda: client.post("/order", body))
            for _ in range(ORDERS // CLIENTS)
        ]

    # When they place 200 orders between them, all 8 at once
    with ThreadPoolExecutor(CLIENTS) as pool:
        responses = [response for batch in pool.map(place_orders, clients) for response in batch]
    # Then every answer is a 201, and the table holds exactly those orders
    assert Counter(response.status_code for response in responses) == {201: ORDERS}
    created = {response.json()["order_id"] for response in responses}
    stored = {
        item["order_id"]["S"] for tokens in shoppers for item in stack.orders_of(tokens.username)
    }
    assert len(created) == ORDERS
    assert stored == created
