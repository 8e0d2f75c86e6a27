"""Stock that never oversells, over HTTP through `make run`: concurrent orders, concurrent
cancels and ships, short multi-line orders, stock returned on cancelling, deleted products.

(The gateway runs at most `--max-workers`, 8 by default, invocations of a function at once
and queues the rest: 100 orders sent together reach the orders function 8 at a time, so
these races are 8-wide in the function and the emulator.)
"""

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests

from products.models import MAX_STOCK
from tests.builders.data import address
from tests.builders.together import all_at_once
from tests.e2e.stack import ApiClient, RunningStack, Tokens
from tests.e2e.test_concurrency import send_until_not_throttled

RUSH_ORDERS = 100
RUSH_STOCK = 10
ORDERS_TO_CHANGE = 20
CHANGES_START_STOCK = 100
# Between two reads of the stock while orders arrive (the machine has 2 cores for everything).
WATCH_PAUSE_SECONDS = 0.005


def create_product(admin: ApiClient, name: str, stock: int | None) -> dict[str, Any]:
    response = admin.post("/product", {"name": name, "price": 12.5, "stock": stock})
    assert response.status_code == 201, response.text
    product: dict[str, Any] = response.json()
    return product


def lines(*quantities: tuple[dict[str, Any], int]) -> dict[str, Any]:
    """An order's body: one line per (product, quantity)."""
    return {
        "lines": [
            {"product_id": product["product_id"], "quantity": quantity}
            for product, quantity in quantities
        ],
        "address": address(),
    }


def stock_of(client: ApiClient, product: dict[str, Any]) -> int | None:
    response = client.get(f"/product/{product['product_id']}")
    assert response.status_code == 200, response.text
    stock: int | None = response.json()["stock"]
    return stock


def order_count(stack: RunningStack, tokens: Tokens) -> int:
    return len(stack.orders_of(tokens.username))


@contextmanager
def watching_stock(stack: RunningStack, product: dict[str, Any]) -> Iterator[list[int]]:
    """Every stock value read (consistently, from the table) while the block runs."""
    seen: list[int] = []
    done = threading.Event()
    table = stack.table_name("ProductsTable")
    key = {"product_id": {"S": product["product_id"]}}

    def watch() -> None:
        while not done.wait(WATCH_PAUSE_SECONDS):
            item = stack.dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True)
            seen.append(int(item["Item"]["stock"]["N"]))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield seen
    finally:
        done.set()
        watcher.join()


@pytest.fixture
def buyer(stack: RunningStack) -> Tokens:
    """A shopper of this test alone, so that their orders are this test's."""
    return stack.new_shopper("stock")


def test_100_concurrent_orders_for_10_in_stock_sell_exactly_10(
    stack: RunningStack, admin: ApiClient, buyer: Tokens
) -> None:
    # Given a product with 10 in stock, and 100 clients (a connection each) of one shopper
    product = create_product(admin, "Limited kettle", RUSH_STOCK)
    clients = [stack.client_for(buyer) for _ in range(RUSH_ORDERS)]
    body = lines((product, 1))

    # When they all order one at once
    with watching_stock(stack, product) as stock_seen:
        responses = all_at_once(
            RUSH_ORDERS,
            lambda index: send_until_not_throttled(lambda: clients[index].post("/order", body)),
        )

    # Then exactly 10 are placed and 90 refused, each naming the line that is short
    assert Counter(response.status_code for response in responses) == {
        201: RUSH_STOCK,
        409: RUSH_ORDERS - RUSH_STOCK,
    }
    short = [{"field": "lines.0.quantity", "message": "only 0 left"}]
    refusals = [response.json() for response in responses if response.status_code == 409]
    assert all(refusal["errors"] == short for refusal in refusals), refusals
    # And the stock ends at 0, never below it on the way
    assert stock_of(admin, product) == 0
    assert stock_seen
    assert min(stock_seen) >= 0
    # And the orders stored are exactly those placed
    placed = {response.json()["order_id"] for response in responses if response.status_code == 201}
    assert {item["order_id"]["S"] for item in stack.orders_of(buyer.username)} == placed


def test_concurrent_cancels_and_ships_leave_the_stock_of_the_orders_still_live(
    stack: RunningStack, admin_tokens: Tokens, buyer: Tokens
) -> None:
    # Given 20 pending orders of one product, of 1, 2 or 3 each
    owner = stack.client_for(buyer)
    admin = stack.client_for(admin_tokens)
    product = create_product(admin, "Busy grinder", CHANGES_START_STOCK)
    quantities = {}
    for index in range(ORDERS_TO_CHANGE):
        placed = owner.post("/order", lines((product, index % 3 + 1)))
        assert placed.status_code == 201, placed.text
        quantities[placed.json()["order_id"]] = index % 3 + 1
    assert stock_of(admin, product) == CHANGES_START_STOCK - sum(quantities.values())

    # When, for each, its owner cancels it, an admin ships it and an admin cancels it, all at once
    changes = [
        (who, {"order_id": order_id, "status": status})
        for order_id in quantities
        for who, status in (
            (buyer, "cancelled"),
            (admin_tokens, "shipped"),
            (admin_tokens, "cancelled"),
        )
    ]
    clients = [stack.client_for(who) for who, _ in changes]

    def change(index: int) -> requests.Response:
        return send_until_not_throttled(lambda: clients[index].post("/order", changes[index][1]))

    responses = all_at_once(len(changes), change)

    # Then each is answered (a loser with 409, the owner cancelling a shipped order with 403)
    assert set(Counter(response.status_code for response in responses)) <= {200, 403, 409}
    # And each order ends shipped or cancelled, cancelled at most once
    final = {order_id: admin.get(f"/order/{order_id}").json()["status"] for order_id in quantities}
    assert set(final.values()) <= {"shipped", "cancelled"}
    cancels_won = Counter(
        body["order_id"]
        for (_, body), response in zip(changes, responses, strict=True)
        if body["status"] == "cancelled" and response.status_code == 200
    )
    assert all(count == 1 for count in cancels_won.values())
    cancelled = {order_id for order_id, status in final.items() if status == "cancelled"}
    assert set(cancels_won) == cancelled
    # And the stock is the start minus what the orders still live hold
    live = sum(quantity for order_id, quantity in quantities.items() if order_id not in cancelled)
    assert stock_of(admin, product) == CHANGES_START_STOCK - live


def test_a_short_multi_line_order_writes_nothing_and_names_every_short_line(
    stack: RunningStack, admin: ApiClient, buyer: Tokens
) -> None:
    # Given products with 5, 1 and 0 in stock, and one not tracked
    plenty = create_product(admin, "Plenty", 5)
    one_left = create_product(admin, "One left", 1)
    sold_out = create_product(admin, "Sold out", 0)
    untracked = create_product(admin, "Untracked", None)
    shopper = stack.client_for(buyer)

    # When a shopper orders 2, 3, 1 and 1 of them
    response = shopper.post(
        "/order", lines((plenty, 2), (one_left, 3), (untracked, 1), (sold_out, 1))
    )

    # Then it is a 409 naming each short line and what is left of it
    assert response.status_code == 409, response.text
    assert response.json()["errors"] == [
        {"field": "lines.1.quantity", "message": "only 1 left"},
        {"field": "lines.3.quantity", "message": "only 0 left"},
    ]
    # And nothing was written: no order, every stock as it was
    assert order_count(stack, buyer) == 0
    stocks = [stock_of(admin, product) for product in (plenty, one_left, sold_out, untracked)]
    assert stocks == [5, 1, 0, None]


def test_cancelling_an_order_returns_its_stock(
    stack: RunningStack, admin: ApiClient, buyer: Tokens
) -> None:
    # Given an order of 2 of a product with 5 in stock, 3 of one with 3, 4 of an untracked one
    cups, jugs = create_product(admin, "Cup", 5), create_product(admin, "Jug", 3)
    untracked = create_product(admin, "Filter papers", None)
    shopper = stack.client_for(buyer)
    placed = shopper.post("/order", lines((cups, 2), (jugs, 3), (untracked, 4)))
    assert placed.status_code == 201, placed.text
    assert [stock_of(admin, product) for product in (cups, jugs, untracked)] == [3, 0, None]

    # When its owner cancels it
    order_id = placed.json()["order_id"]
    cancelled = shopper.post("/order", {"order_id": order_id, "status": "cancelled"})

    # Then the tracked stock is back, and the untracked product is still not tracked
    assert cancelled.status_code == 200, cancelled.text
    assert [stock_of(admin, product) for product in (cups, jugs, untracked)] == [5, 3, None]


def test_deleting_a_product_keeps_its_orders_lines(
    stack: RunningStack, admin: ApiClient, buyer: Tokens
) -> None:
    # Given an order of a product that is then deleted, and of another one
    gone, kept = create_product(admin, "Discontinued mug", 4), create_product(admin, "Mug", 4)
    shopper = stack.client_for(buyer)
    placed = shopper.post("/order", lines((gone, 2), (kept, 1)))
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert admin.delete(f"/product/{gone['product_id']}").status_code == 204

    # When its owner reads it, then its lines and total are as they were placed
    read = shopper.get(f"/order/{order['order_id']}")
    assert read.status_code == 200, read.text
    assert (read.json()["lines"], read.json()["total_price"]) == (
        order["lines"],
        order["total_price"],
    )
    assert read.json()["lines"][0]["product_name"] == "Discontinued mug"

    # And when it is cancelled, the product still there gets its stock back, the deleted one
    # stays deleted
    cancelled = shopper.post("/order", {"order_id": order["order_id"], "status": "cancelled"})
    assert cancelled.status_code == 200, cancelled.text
    assert stock_of(admin, kept) == 4
    assert admin.get(f"/product/{gone['product_id']}").status_code == 404


def test_stock_given_back_above_the_admins_limit_can_still_be_changed(
    stack: RunningStack, admin: ApiClient, buyer: Tokens
) -> None:
    # Given a product at the most stock an admin may set, one of which an order took, and
    # the admin then set it back to that limit
    product = create_product(admin, "Bulk screws", MAX_STOCK)
    shopper = stack.client_for(buyer)
    placed = shopper.post("/order", lines((product, 1)))
    assert placed.status_code == 201, placed.text
    base = {"product_id": product["product_id"], "name": product["name"], "price": 12.5}
    restocked = admin.post(
        "/product", {**base, "stock": MAX_STOCK, "expected_stock": MAX_STOCK - 1}
    )
    assert restocked.status_code == 200, restocked.text

    # When the order is cancelled, its stock comes back, above the limit
    cancelled = shopper.post(
        "/order", {"order_id": placed.json()["order_id"], "status": "cancelled"}
    )
    assert cancelled.status_code == 200, cancelled.text
    assert stock_of(admin, product) == MAX_STOCK + 1

    # Then the admin can still change the stock, based on what they read
    changed = admin.post("/product", {**base, "stock": 10, "expected_stock": MAX_STOCK + 1})
    assert changed.status_code == 200, changed.text
    assert stock_of(admin, product) == 10
