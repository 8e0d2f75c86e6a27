"""Every flow of the contract, over HTTP against the local stack, with real Cognito tokens."""

import uuid
from decimal import Decimal
from typing import Any

from tests.builders.data import lines_request, order_request
from tests.e2e.stack import ApiClient, RunningStack, Tokens


def _order_ids(response: Any) -> list[str]:
    return [order["order_id"] for order in response.json()]


# ------------------------------------------------------------------ products
def test_a_signed_in_shopper_browses_the_sample_catalogue(shopper: ApiClient) -> None:
    # When a shopper lists the products
    response = shopper.get("/products")
    # Then the sample products are there, prices as JSON numbers
    assert response.status_code == 200
    names = {product["name"] for product in response.json()}
    assert {"Espresso cup", "Hand grinder"} <= names
    assert all(isinstance(product["price"], int | float) for product in response.json())


def test_the_catalogue_pages_with_a_cursor(shopper: ApiClient, admin: ApiClient) -> None:
    # Given at least three products
    for index in range(3):
        assert admin.post("/product", {"name": f"Page item {index}", "price": 1}).status_code == 201
    # When a shopper reads two at a time, following X-Next-Cursor
    seen: list[str] = []
    cursor: str | None = None
    while True:
        response = shopper.get(
            "/products", params={"limit": 2, **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200
        assert len(response.json()) <= 2
        seen += [product["product_id"] for product in response.json()]
        cursor = response.headers.get("X-Next-Cursor")
        if not cursor:
            break
    # Then every product comes exactly once
    everything = shopper.get("/products", params={"limit": 100}).json()
    assert sorted(seen) == sorted(product["product_id"] for product in everything)


def test_an_admin_creates_replaces_and_deletes_a_product(admin: ApiClient) -> None:
    # When the admin creates a product
    created = admin.post("/product", {"name": "Milk jug", "price": 15.5})
    assert created.status_code == 201
    product_id = created.json()["product_id"]
    # And replaces it at its id
    replaced = admin.post("/product", {"product_id": product_id, "name": "Milk jug 2", "price": 16})
    assert replaced.status_code == 200
    assert replaced.json()["name"] == "Milk jug 2"
    # And deletes it
    assert admin.delete(f"/product/{product_id}").status_code == 204
    # Then it is gone: listing does not show it, deleting again is a 404
    listed = admin.get("/products", params={"limit": 100}).json()
    assert product_id not in {product["product_id"] for product in listed}
    assert admin.delete(f"/product/{product_id}").status_code == 404


def test_an_admin_creates_a_product_at_a_chosen_id(admin: ApiClient) -> None:
    # When the admin creates a product at an id of their choosing
    product_id = str(uuid.uuid4())
    response = admin.post("/product", {"product_id": product_id, "name": "Tamper", "price": 30})
    # Then it is created there
    assert response.status_code == 201
    assert response.json()["product_id"] == product_id


# ------------------------------------------------------------------ orders
def test_a_shopper_orders_and_the_server_prices_the_order(
    shopper: ApiClient, shopper_tokens: Tokens, product: dict[str, Any]
) -> None:
    # When the shopper orders 3, claiming another name and a price of their own
    response = shopper.post(
        "/order",
        order_request(product["product_id"], quantity=3, username="mallory", total_price=1),
    )
    # Then the order is theirs, priced by the server from the product
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["username"] == shopper_tokens.username
    assert order["status"] == "pending"
    (line,) = order["lines"]
    assert (line["product_id"], line["product_name"]) == (product["product_id"], product["name"])
    assert Decimal(str(order["total_price"])) == Decimal(str(product["price"])) * 3


def test_a_shopper_sees_only_their_own_orders_newest_first(
    shopper: ApiClient, other_shopper: ApiClient, product: dict[str, Any]
) -> None:
    # Given two orders of the shopper and one of another shopper
    body = order_request(product["product_id"], quantity=1)
    mine = [shopper.post("/order", body).json()["order_id"] for _ in range(2)]
    theirs = other_shopper.post("/order", body).json()["order_id"]
    # When the shopper lists their orders
    response = shopper.get("/orders", params={"limit": 100})
    # Then theirs are there and the other shopper's is not, newest first
    listed = _order_ids(response)
    assert set(mine) <= set(listed)
    assert theirs not in listed
    created = [order["created_at"] for order in response.json()]
    assert created == sorted(created, reverse=True)


def test_an_admin_sees_every_order_and_filters_by_status(
    admin: ApiClient, shopper_order: dict[str, Any]
) -> None:
    # When the admin lists pending orders, page by page
    found = False
    cursor: str | None = None
    while not found:
        params = {"status": "pending", "limit": 100, **({"cursor": cursor} if cursor else {})}
        response = admin.get("/orders", params=params)
        assert response.status_code == 200
        assert {order["status"] for order in response.json()} <= {"pending"}
        found = shopper_order["order_id"] in _order_ids(response)
        cursor = response.headers.get("X-Next-Cursor")
        if not cursor:
            break
    # Then the shopper's order is among them
    assert found


def test_the_admins_listings_are_newest_first_and_an_order_just_placed_leads_them(
    admin: ApiClient, shopper_order: dict[str, Any]
) -> None:
    for params in ({}, {"status": "pending"}):
        response = admin.get("/orders", params={"limit": 5, **params})
        assert response.status_code == 200
        created = [order["created_at"] for order in response.json()]
        assert created == sorted(created, reverse=True)
        assert shopper_order["created_at"] == created[0]


def test_a_cursor_of_one_listing_is_a_400_in_another(
    admin: ApiClient, shopper: ApiClient, product: dict[str, Any]
) -> None:
    body = order_request(product["product_id"], quantity=1)
    for _ in range(2):
        assert shopper.post("/order", body).status_code == 201
    cursor = admin.get("/orders", params={"limit": 1}).headers["X-Next-Cursor"]

    for client, params in ((admin, {"status": "pending"}), (shopper, {})):
        response = client.get("/orders", params={"cursor": cursor, **params})
        assert response.status_code == 400
        assert [error["field"] for error in response.json()["errors"]] == ["cursor"]


def test_a_shopper_cancels_their_pending_order_and_orders_again(
    shopper: ApiClient, shopper_order: dict[str, Any]
) -> None:
    # When the shopper cancels the pending order
    cancelled = shopper.post(
        "/order", {"order_id": shopper_order["order_id"], "status": "cancelled"}
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    # Then they can order the same product again from it
    again = shopper.post(
        "/order", lines_request() | {"lines": [{**line} for line in shopper_order["lines"]]}
    )
    assert again.status_code == 201
    assert again.json()["order_id"] != shopper_order["order_id"]


def test_an_admin_moves_an_order_to_delivered_and_it_stays_there(
    admin: ApiClient, shopper: ApiClient, shopper_order: dict[str, Any]
) -> None:
    order_id = shopper_order["order_id"]
    # When the admin ships it (the shopper may not), then delivers it
    assert shopper.post("/order", {"order_id": order_id, "status": "shipped"}).status_code == 403
    assert admin.post("/order", {"order_id": order_id, "status": "shipped"}).status_code == 200
    assert shopper.post("/order", {"order_id": order_id, "status": "cancelled"}).status_code == 403
    delivered = admin.post("/order", {"order_id": order_id, "status": "delivered"})
    assert delivered.status_code == 200
    # Then a move out of delivered is a conflict
    back = admin.post("/order", {"order_id": order_id, "status": "pending"})
    assert back.status_code == 409
    orders = {o["order_id"]: o for o in shopper.get("/orders", params={"limit": 100}).json()}
    assert orders[order_id]["status"] == "delivered"


def test_an_admin_cancels_a_shipped_order(admin: ApiClient, shopper_order: dict[str, Any]) -> None:
    order_id = shopper_order["order_id"]
    assert admin.post("/order", {"order_id": order_id, "status": "shipped"}).status_code == 200
    # When the admin cancels it
    response = admin.post("/order", {"order_id": order_id, "status": "cancelled"})
    # Then it is cancelled
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_a_shopper_cannot_touch_another_shoppers_order(
    other_shopper: ApiClient, shopper_order: dict[str, Any]
) -> None:
    # When another shopper tries to cancel the shopper's order
    response = other_shopper.post(
        "/order", {"order_id": shopper_order["order_id"], "status": "cancelled"}
    )
    # Then it does not exist for them
    assert response.status_code == 404


def test_an_admin_orders_on_a_shoppers_behalf(
    admin: ApiClient, shopper: ApiClient, shopper_tokens: Tokens, product: dict[str, Any]
) -> None:
    # When the admin places an order for the shopper
    response = admin.post(
        "/order",
        order_request(product["product_id"], quantity=1, username=shopper_tokens.username),
    )
    # Then it is the shopper's, and the shopper sees it
    assert response.status_code == 201
    assert response.json()["username"] == shopper_tokens.username
    assert response.json()["order_id"] in _order_ids(shopper.get("/orders", params={"limit": 100}))


def test_an_admin_ordering_for_a_user_who_does_not_exist_gets_a_404(
    admin: ApiClient, product: dict[str, Any]
) -> None:
    body = order_request(product["product_id"], quantity=1, username="nobody-here")

    response = admin.post("/order", body)

    assert response.status_code == 404
    assert [error["field"] for error in response.json()["errors"]] == ["username"]


def test_a_new_account_that_reuses_a_deleted_users_name_gets_none_of_their_orders(
    stack: RunningStack, admin: ApiClient, product: dict[str, Any]
) -> None:
    # Given an order of a user whose account was then deleted
    first = stack.new_shopper("reused")
    body = order_request(product["product_id"], quantity=1)
    order = stack.client_for(first).post("/order", body).json()
    stack.cognito_admin.admin_delete_user(
        UserPoolId=stack.config["userPoolId"], Username=first.username
    )
    # When somebody signs up with the same username
    seen = len(stack.output.lines)
    stack.sign_up(first.username)
    stack.confirm(first.username, stack.confirmation_code(first.username, start=seen))
    newcomer = stack.client_for(stack.sign_in(first.username))
    # Then the old order is not theirs to see or cancel; the admin still has it
    assert newcomer.get("/orders").json() == []
    cancel = newcomer.post("/order", {"order_id": order["order_id"], "status": "cancelled"})
    assert cancel.status_code == 404
    assert order["order_id"] in _order_ids(admin.get("/orders", params={"limit": 100}))


def test_an_order_has_its_own_page_with_its_history_for_its_owner_and_the_admin_only(
    admin: ApiClient,
    shopper: ApiClient,
    other_shopper: ApiClient,
    shopper_order: dict[str, Any],
    admin_tokens: Tokens,
) -> None:
    order_id = shopper_order["order_id"]
    assert admin.post("/order", {"order_id": order_id, "status": "shipped"}).status_code == 200

    mine = shopper.get(f"/order/{order_id}")

    assert mine.status_code == 200
    history = [(change["status"], change["username"]) for change in mine.json()["history"]]
    assert history[-1] == ("shipped", admin_tokens.username)
    assert history[0][0] == "pending"
    assert admin.get(f"/order/{order_id}").json() == mine.json()
    assert other_shopper.get(f"/order/{order_id}").status_code == 404


def test_an_admin_deletes_an_order(admin: ApiClient, shopper_order: dict[str, Any]) -> None:
    # When the admin deletes the order
    assert admin.delete(f"/order/{shopper_order['order_id']}").status_code == 204
    # Then it is gone
    assert admin.delete(f"/order/{shopper_order['order_id']}").status_code == 404


def test_an_order_survives_its_products_deletion(
    admin: ApiClient, shopper: ApiClient, shopper_order: dict[str, Any]
) -> None:
    # When the admin deletes the ordered product
    (line,) = shopper_order["lines"]
    assert admin.delete(f"/product/{line['product_id']}").status_code == 204
    # Then the order still has the product's name and price
    orders = {o["order_id"]: o for o in shopper.get("/orders", params={"limit": 100}).json()}
    kept = orders[shopper_order["order_id"]]
    assert kept["lines"] == shopper_order["lines"]
    assert kept["total_price"] == shopper_order["total_price"]


def test_ordering_a_deleted_product_is_a_404(admin: ApiClient, shopper: ApiClient) -> None:
    # Given a product that was deleted
    product_id = admin.post("/product", {"name": "Gone soon", "price": 2}).json()["product_id"]
    assert admin.delete(f"/product/{product_id}").status_code == 204
    # When a shopper orders it
    response = shopper.post("/order", order_request(product_id, quantity=1))
    # Then 404
    assert response.status_code == 404


def test_a_retried_order_with_the_same_idempotency_key_creates_nothing_new(
    stack: RunningStack, product: dict[str, Any]
) -> None:
    # Given a fresh shopper and an order request with an Idempotency-Key
    tokens = stack.new_shopper("retry")
    client = stack.client_for(tokens)
    body = order_request(product["product_id"], quantity=4)
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    # When the request is sent twice
    first = client.post("/order", body, headers=headers)
    second = client.post("/order", body, headers=headers)
    # Then the same response both times, and one order stored
    assert first.status_code == 201
    assert second.status_code == first.status_code
    assert second.json() == first.json()
    assert len(stack.orders_of(tokens.username)) == 1


def test_id_tokens_work_like_access_tokens(stack: RunningStack, shopper_tokens: Tokens) -> None:
    # When the shopper calls with their ID token
    response = stack.client_for(shopper_tokens, kind="id").get("/orders")
    # Then the API accepts it
    assert response.status_code == 200
