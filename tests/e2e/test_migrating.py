"""docs/MIGRATING.md, statement by statement: the original system's requests, as its web client
and its Postman collections sent them, over HTTP to the local stack, answer as the guide says.

The original web client signed in through Cognito's hosted UI and sent the ID token; its
bodies are the ones its pages built (`{username, product_id, quantity, status[, order_id]}`
for orders, `{name, price[, product_id]}` for products, the price typed in a text field)."""

import uuid
from datetime import datetime
from typing import Any

import pytest
import requests
from jose import jwt

from authorizer.verification import ADMIN_GROUP
from shop_common.pagination import DEFAULT_LIMIT, NEXT_CURSOR_HEADER
from tests.builders.data import address
from tests.e2e.stack import PASSWORD, ApiClient, RunningStack, Tokens
from tests.e2e.test_bad_input import named_fields

ORIGINAL_ADMIN_GROUP = "SystemAdmins"
COGNITO_TARGET = "AWSCognitoIdentityProviderService.InitiateAuth"


def original_order(product_id: str, username: str, **changes: Any) -> dict[str, Any]:
    """The body the original web client's order page sent, with the address the shop requires."""
    return {
        "username": username,
        "product_id": product_id,
        "quantity": 3,
        "status": "pending",
        "address": address(),
        **changes,
    }


def place(client: ApiClient, product: dict[str, Any], username: str) -> dict[str, Any]:
    response = client.post("/order", original_order(product["product_id"], username))
    assert response.status_code == 201, response.text
    placed: dict[str, Any] = response.json()
    return placed


def change_status(client: ApiClient, order: dict[str, Any], status: str) -> requests.Response:
    """The original web client's edit: the order's fields back, with its new status."""
    (line,) = order["lines"]
    return client.post(
        "/order",
        {
            "order_id": order["order_id"],
            "username": order["username"],
            "product_id": line["product_id"],
            "quantity": line["quantity"],
            "status": status,
        },
    )


@pytest.fixture
def id_shopper(stack: RunningStack, shopper_tokens: Tokens) -> ApiClient:
    """The shopper as the original web client sent them: `Bearer <ID token>`."""
    return stack.client_for(shopper_tokens, kind="id")


@pytest.fixture
def id_admin(stack: RunningStack, admin_tokens: Tokens) -> ApiClient:
    return stack.client_for(admin_tokens, kind="id")


# ------------------------------------------------------------------ signing in
def test_the_hosted_ui_implicit_flow_is_not_offered(stack: RunningStack) -> None:
    # When a client looks at the app client it used to sign in through the hosted UI
    client = stack.cognito_admin.describe_user_pool_client(
        UserPoolId=stack.config["userPoolId"], ClientId=stack.client_id
    )["UserPoolClient"]
    # Then it has no OAuth flow (no implicit grant, no redirect with a token in the URL)
    assert "implicit" not in client.get("AllowedOAuthFlows", [])
    assert not client.get("AllowedOAuthFlowsUserPoolClient", False)


def test_initiate_auth_through_the_public_api_gives_tokens_the_api_takes(
    stack: RunningStack, shopper_tokens: Tokens
) -> None:
    # When a client calls Cognito's InitiateAuth (USER_PASSWORD_AUTH) over plain HTTP
    answer = requests.post(
        stack.config["cognitoEndpoint"],
        json={
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": stack.client_id,
            "AuthParameters": {"USERNAME": shopper_tokens.username, "PASSWORD": PASSWORD},
        },
        headers={
            "X-Amz-Target": COGNITO_TARGET,
            "Content-Type": "application/x-amz-json-1.1",
            "Origin": stack.origin,
        },
        timeout=10,
    )
    # Then it gets an ID token, which the API takes as the original client sent it
    assert answer.status_code == 200, answer.text
    id_token = answer.json()["AuthenticationResult"]["IdToken"]
    assert stack.client(f"Bearer {id_token}").get("/orders").status_code == 200


def test_the_admin_group_is_admin_not_systemadmins(admin_tokens: Tokens) -> None:
    # When a client reads the admin's groups from the ID token, as the original client did
    groups = jwt.get_unverified_claims(admin_tokens.id_token)["cognito:groups"]
    # Then the group is `admin`
    assert ADMIN_GROUP in groups
    assert ORIGINAL_ADMIN_GROUP not in groups


def test_a_request_without_a_token_is_a_401(anonymous: ApiClient) -> None:
    # When a client that is not signed in sends "Get Orders"
    response = anonymous.get("/orders")
    # Then 401 (the original answered 403 to a missing token)
    assert response.status_code == 401


def test_the_catalogue_needs_no_token(anonymous: ApiClient) -> None:
    # When a client that is not signed in sends "Get Products"
    response = anonymous.get("/products")
    # Then 200 (the original refused it without a token)
    assert response.status_code == 200


# ------------------------------------------------------------------ status codes and shapes
def test_creating_a_product_answers_201_with_the_product(id_admin: ApiClient) -> None:
    # When the admin sends the Postman collection's "Upsert Product"
    response = id_admin.post("/product", {"name": "User-can't-change-me", "price": 3})
    # Then 201 and the product itself
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["name"], created["price"]) == ("User-can't-change-me", 3)
    assert uuid.UUID(created["product_id"])


def test_deleting_a_product_answers_204_with_no_body(
    id_admin: ApiClient, product: dict[str, Any]
) -> None:
    # When the admin sends "Delete Product"
    response = id_admin.delete(f"/product/{product['product_id']}")
    # Then 204, no body
    assert response.status_code == 204
    assert response.content == b""


def test_placing_an_order_answers_201_with_the_order_not_an_empty_object(
    id_shopper: ApiClient, shopper_tokens: Tokens, product: dict[str, Any]
) -> None:
    # When a shopper sends the original order page's body
    response = id_shopper.post(
        "/order", original_order(product["product_id"], shopper_tokens.username)
    )
    # Then 201 and the order itself (the original answered 200 and `{}`)
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "pending"
    (line,) = order["lines"]
    assert (line["product_id"], line["quantity"]) == (product["product_id"], 3)


def test_changing_a_status_answers_200_with_the_order(
    id_shopper: ApiClient, id_admin: ApiClient, shopper_tokens: Tokens, product: dict[str, Any]
) -> None:
    # Given a pending order
    order = place(id_shopper, product, shopper_tokens.username)
    # When the admin sends the original edit page's body with `shipped`
    response = change_status(id_admin, order, "shipped")
    # Then 200 and the order in its new status (the original answered `{}`)
    assert response.status_code == 200, response.text
    assert response.json()["order_id"] == order["order_id"]
    assert response.json()["status"] == "shipped"


def test_deleting_an_order_answers_204_not_its_attributes(
    id_shopper: ApiClient, id_admin: ApiClient, shopper_tokens: Tokens, product: dict[str, Any]
) -> None:
    # Given an order
    order = place(id_shopper, product, shopper_tokens.username)
    # When the admin sends the Postman collection's "Delete Order", body and all
    response = id_admin.delete(
        f"/order/{order['order_id']}",
        json={"product_id": product["product_id"], "username": "admin", "quantity": 3},
    )
    # Then 204 and no body (the original answered 200 and `{"Attributes": ...}`)
    assert response.status_code == 204
    assert response.content == b""


# ------------------------------------------------------------------ values
def test_prices_and_totals_are_json_numbers(
    id_shopper: ApiClient, shopper_tokens: Tokens, product: dict[str, Any]
) -> None:
    # When a shopper places an order of three
    order = place(id_shopper, product, shopper_tokens.username)
    # Then its total and prices are JSON numbers, not strings
    assert isinstance(order["total_price"], int | float)
    assert order["total_price"] == 3 * product["price"]
    assert isinstance(order["lines"][0]["unit_price"], int | float)


def test_a_price_typed_as_text_is_a_400_naming_price(id_admin: ApiClient) -> None:
    # When the admin sends the original product page's body, its price from a text field
    response = id_admin.post("/product", {"name": "Typed price", "price": "12.50"})
    # Then 400 naming `price`
    assert response.status_code == 400
    assert "price" in named_fields(response.json())


def test_timestamps_are_iso_8601_strings(
    id_shopper: ApiClient, shopper_tokens: Tokens, product: dict[str, Any]
) -> None:
    # When a shopper places an order
    order = place(id_shopper, product, shopper_tokens.username)
    # Then `updated_at` is an ISO 8601 UTC string, not epoch milliseconds
    assert isinstance(order["updated_at"], str)
    assert datetime.fromisoformat(order["updated_at"]).utcoffset() is not None
    assert order["updated_at"] == order["created_at"]


def test_ids_are_uuids(
    id_shopper: ApiClient, shopper_tokens: Tokens, product: dict[str, Any]
) -> None:
    # When a shopper places an order of a product
    order = place(id_shopper, product, shopper_tokens.username)
    # Then both ids are UUID strings
    assert str(uuid.UUID(order["order_id"])) == order["order_id"]
    assert str(uuid.UUID(product["product_id"])) == product["product_id"]


def test_a_product_id_of_the_clients_choosing_is_a_400_naming_it(id_admin: ApiClient) -> None:
    # When the admin sends "Upsert Product" with an id that is not a UUID
    response = id_admin.post("/product", {"product_id": "chair", "name": "Chair", "price": 10})
    # Then 400 naming `product_id`
    assert response.status_code == 400
    assert "product_id" in named_fields(response.json())


# ------------------------------------------------------------------ pages
def test_a_listing_answers_one_page_and_a_cursor_for_the_next(
    stack: RunningStack, product: dict[str, Any]
) -> None:
    # Given a shopper with one order more than a page
    shopper_tokens = stack.new_shopper("pages")
    shopper = stack.client_for(shopper_tokens, kind="id")
    for _ in range(DEFAULT_LIMIT + 1):
        place(shopper, product, shopper_tokens.username)
    # When the shopper sends the original "Get Orders", no parameters
    first = shopper.get("/orders")
    # Then one page, and the cursor of the next in X-Next-Cursor, which holds the rest
    assert len(first.json()) == DEFAULT_LIMIT
    cursor = first.headers[NEXT_CURSOR_HEADER]
    rest = shopper.get("/orders", params={"cursor": cursor})
    assert len(rest.json()) == 1
    assert NEXT_CURSOR_HEADER not in rest.headers


# ------------------------------------------------------------------ the status machine
def test_a_shopper_shipping_their_order_is_refused_403(
    id_shopper: ApiClient, shopper_tokens: Tokens, product: dict[str, Any]
) -> None:
    # Given a shopper's pending order
    order = place(id_shopper, product, shopper_tokens.username)
    # When the shopper sends it back as `shipped` (the original stored any status)
    response = change_status(id_shopper, order, "shipped")
    # Then 403, and the order is still pending
    assert response.status_code == 403
    assert id_shopper.get(f"/order/{order['order_id']}").json()["status"] == "pending"


def test_a_change_outside_the_status_machine_is_refused_409(
    id_shopper: ApiClient, id_admin: ApiClient, shopper_tokens: Tokens, product: dict[str, Any]
) -> None:
    # Given a delivered order
    order = place(id_shopper, product, shopper_tokens.username)
    for status in ("shipped", "delivered"):
        assert change_status(id_admin, order, status).status_code == 200
    # When the admin sends it back as `pending`
    response = change_status(id_admin, order, "pending")
    # Then 409, and it stays delivered
    assert response.status_code == 409
    assert id_admin.get(f"/order/{order['order_id']}").json()["status"] == "delivered"


# ------------------------------------------------------------------ the address
def test_an_order_without_an_address_is_a_400_naming_it(
    id_admin: ApiClient, product: dict[str, Any]
) -> None:
    # When the admin sends the Postman collection's "Upsert Order" as it is
    response = id_admin.post(
        "/order", {"product_id": product["product_id"], "username": "admin", "quantity": 3}
    )
    # Then 400 naming `address`
    assert response.status_code == 400
    assert "address" in named_fields(response.json())


# ------------------------------------------------------------------ the base URL
def test_a_base_url_ending_in_a_slash_is_api_gateways_403(stack: RunningStack) -> None:
    # When a client joins a base URL ending in `/` to `/products`, as the original
    # web client's `url` and the Postman collection's `{{baseUrl}}/products` together do
    response = requests.get(f"{stack.api_url}//products", timeout=10)
    # Then API Gateway itself refuses it
    assert response.status_code == 403
    assert response.json() == {"message": "Missing Authentication Token"}
