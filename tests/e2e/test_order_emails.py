"""Order e-mails through `make run`: an order placed, shipped, delivered or cancelled over
HTTP reaches the local mail server as the shopper's e-mail, sent from the Orders stream."""

import re
from typing import Any

from local.ses.mail_server import kept_messages
from tests.builders.data import address
from tests.e2e.stack import ApiClient, RunningStack, Tokens

# Enough refusals that a stream read beside one of them (the emulator's race, now closed)
# would have mailed a refused order, most runs.
REFUSED_ORDERS = 15


def place(shopper: ApiClient, *lines: tuple[dict[str, Any], int]) -> dict[str, Any]:
    body = {
        "lines": [{"product_id": p["product_id"], "quantity": q} for p, q in lines],
        "address": address(name="Mailed Shopper"),
    }
    response = shopper.post("/order", body)
    assert response.status_code == 201, response.text
    placed: dict[str, Any] = response.json()
    return placed


def change(client: ApiClient, order: dict[str, Any], status: str) -> None:
    response = client.post("/order", {"order_id": order["order_id"], "status": status})
    assert response.status_code == 200, response.text


def test_the_shopper_is_emailed_when_an_order_is_placed_shipped_and_delivered(
    stack: RunningStack, admin: ApiClient, product: dict[str, Any]
) -> None:
    # Given a new shopper and a second product
    tokens = stack.new_shopper("mailed")
    shopper = stack.client_for(tokens)
    cup = admin.post("/product", {"name": "E2E cup", "price": 12.5}).json()
    # When they order two lines, and the admin ships and delivers the order
    order = place(shopper, (product, 2), (cup, 3))
    change(admin, order, "shipped")
    change(admin, order, "delivered")
    # Then an e-mail reaches them for each change
    short = order["order_id"][:8]
    to = f"{tokens.username}@example.com"
    placed, *_ = [
        stack.email(to, f"Your order {short} is {status}")
        for status in ("placed", "shipped", "delivered")
    ]
    # each with its lines, total and currency, and where it goes
    text = placed.get_content()
    assert "  2 x E2E kettle at 31.50 EUR: 63.00 EUR" in text
    assert "  3 x E2E cup at 12.50 EUR: 37.50 EUR" in text
    assert "Total: 100.50 EUR" in text
    label = "  Mailed Shopper\n  12 rue de la Paix\n  Bâtiment B\n  75002 Paris\n  FR\n"
    assert f"Delivery address:\n{label}" in text
    # and the local stack printed each one's recipient and subject
    stack.output.wait_for(
        re.compile(rf"Mail to {tokens.username}@example.com: .* {short} is delivered"), 5
    )


def test_the_shopper_is_emailed_when_they_cancel(
    stack: RunningStack, shopper_tokens: Tokens, product: dict[str, Any]
) -> None:
    shopper = stack.client_for(shopper_tokens)
    order = place(shopper, (product, 1))
    change(shopper, order, "cancelled")
    cancelled = stack.email(
        f"{shopper_tokens.username}@example.com", f"Your order {order['order_id'][:8]} is cancelled"
    )
    assert "is cancelled." in cancelled.get_content()


def test_orders_refused_for_stock_mail_nothing_and_the_next_order_is_mailed(
    stack: RunningStack, admin: ApiClient, product: dict[str, Any]
) -> None:
    # Given a shopper, and a product of which one is left
    tokens = stack.new_shopper("refused")
    shopper = stack.client_for(tokens)
    last = admin.post("/product", {"name": "E2E last one", "price": 5, "stock": 1}).json()
    # When they order two of it beside another line, again and again (each a transaction
    # that fails at its last item, while the Orders stream is polled), then one of it
    for _ in range(REFUSED_ORDERS):
        body = {
            "lines": [
                {"product_id": product["product_id"], "quantity": 1},
                {"product_id": last["product_id"], "quantity": 2},
            ],
            "address": address(),
        }
        assert shopper.post("/order", body).status_code == 409
    order = place(shopper, (last, 1))
    # Then the order placed is mailed, and it is the only e-mail they got
    stack.email(f"{tokens.username}@example.com", f"Your order {order['order_id'][:8]} is placed")
    to_them = [
        m for m in kept_messages(stack.mail_dir) if m["To"] == f"{tokens.username}@example.com"
    ]
    assert [m["Subject"] for m in to_them] == [f"Your order {order['order_id'][:8]} is placed"]
