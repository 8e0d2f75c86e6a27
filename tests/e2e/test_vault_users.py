"""The vault's users over HTTP, on the local stack as `make run` starts it: an invited user
signs in with the temporary password the stack prints (as Cognito would e-mail it) and
chooses their own; a demoted user's old token is refused; the last admin stays; and every
user route for every vault role."""

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.builders.data import order_request
from tests.e2e.stack import ApiClient, RunningStack, Tokens

USERS = "/vault/users"
NEW_PASSWORD = "Chosen-Password-42"


def fresh_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def invite(admin: ApiClient, username: str, role: str) -> requests.Response:
    return admin.post(
        USERS, {"username": username, "email": f"{username}@example.com", "role": role}
    )


def printed_password(stack: RunningStack, username: str, start: int) -> str:
    pattern = re.compile(rf"Temporary password for {re.escape(username)}: (?P<password>\S+)$")
    return stack.output.wait_for(pattern, timeout=10, start=start).group("password")


@pytest.fixture(scope="module")
def editor_tokens(stack: RunningStack) -> Tokens:
    return stack.new_member("editor")


@pytest.fixture(scope="module")
def viewer_tokens(stack: RunningStack) -> Tokens:
    return stack.new_member("viewer")


def test_an_invited_user_signs_in_with_the_printed_password_and_chooses_their_own(
    stack: RunningStack, admin: ApiClient
) -> None:
    # Given the admin invites a viewer
    username = fresh_name("invited")
    start = len(stack.output.lines)
    assert invite(admin, username, "viewer").status_code == 201
    # When they sign in with the temporary password the stack printed, and choose their own
    challenge = stack.cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": printed_password(stack, username, start)},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    stack.cognito.respond_to_auth_challenge(
        ClientId=stack.client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD},
    )
    # Then their password signs them in as a viewer, and the listing shows them confirmed
    viewer = stack.client_for(stack.sign_in(username, NEW_PASSWORD))
    assert viewer.get("/vault/distributions").status_code == 200
    listed = {user["username"]: user for user in admin.get(USERS).json()}
    assert (listed[username]["role"], listed[username]["status"]) == ("viewer", "CONFIRMED")


def test_a_demoted_users_old_token_is_refused(stack: RunningStack, admin: ApiClient) -> None:
    # Given an editor signed in (their token not yet used: no policy cached for it)
    editor = stack.new_member("editor")
    # When the admin makes them a viewer
    response = admin.post(f"{USERS}/{editor.username}", {"role": "viewer"})
    assert response.status_code == 200, response.text
    # Then the token they hold is refused, and signing in again makes them a viewer
    assert stack.client_for(editor).get("/vault/distributions").status_code == 401
    again = stack.client_for(stack.sign_in(editor.username))
    assert again.get("/vault/distributions").status_code == 200
    assert again.post("/vault/distributions/E0NOTREAL/versions", {}).status_code == 403


def test_the_last_admin_can_be_neither_demoted_nor_removed(
    stack: RunningStack, admin: ApiClient
) -> None:
    # Given the stack's admin, the only one
    stack.leave_one_admin()
    path = f"{USERS}/{stack.admin_username}"
    # When they are demoted or removed
    demoted = admin.post(path, {"role": "editor"})
    removed = admin.delete(path)
    # Then both are refused, saying why, and they are still the admin
    assert (demoted.status_code, removed.status_code) == (409, 409)
    assert "last admin" in demoted.json()["message"]
    assert admin.get(USERS).status_code == 200


def test_an_admin_who_is_not_the_last_can_be_demoted(admin: ApiClient) -> None:
    username = fresh_name("second-admin")
    assert invite(admin, username, "admin").status_code == 201
    response = admin.post(f"{USERS}/{username}", {"role": "viewer"})
    assert (response.status_code, response.json()["role"]) == (200, "viewer")


def test_a_shopper_removed_from_the_vault_still_signs_in_and_sees_their_orders(
    stack: RunningStack, admin: ApiClient, product: dict[str, Any]
) -> None:
    # Given a shopper with an order, whom the admin made a viewer
    shopper = stack.new_shopper()
    placed = stack.client_for(shopper).post("/order", order_request(product["product_id"]))
    assert placed.status_code == 201, placed.text
    path = f"{USERS}/{shopper.username}"
    assert admin.post(path, {"role": "viewer"}).status_code == 200
    # When the admin removes them from the vault
    assert admin.delete(path).status_code == 204
    # Then they sign in as a shopper, with their order, and no longer reach the vault
    again = stack.client_for(stack.sign_in(shopper.username))
    orders = again.get("/orders").json()
    assert [order["order_id"] for order in orders] == [placed.json()["order_id"]]
    assert again.get("/vault/distributions").status_code == 403


def test_an_unknown_user_is_a_404_naming_the_username(admin: ApiClient) -> None:
    response = admin.delete(f"{USERS}/{fresh_name('nobody')}")
    assert response.status_code == 404
    assert [error["field"] for error in response.json()["errors"]] == ["username"]


Route = Callable[[ApiClient, ApiClient], requests.Response]


def _fresh_viewer(admin: ApiClient) -> str:
    username = fresh_name("target")
    assert invite(admin, username, "viewer").status_code == 201
    return username


ROUTES: dict[str, Route] = {
    "GET /vault/users": lambda client, admin: client.get(USERS),
    "POST /vault/users": lambda client, admin: invite(client, fresh_name("matrix"), "viewer"),
    "POST /vault/users/{username}": lambda client, admin: client.post(
        f"{USERS}/{_fresh_viewer(admin)}", {"role": "editor"}
    ),
    "DELETE /vault/users/{username}": lambda client, admin: client.delete(
        f"{USERS}/{_fresh_viewer(admin)}"
    ),
}
ADMIN_STATUS = {
    "GET /vault/users": 200,
    "POST /vault/users": 201,
    "POST /vault/users/{username}": 200,
    "DELETE /vault/users/{username}": 204,
}
CALLERS = ("admin", "editor", "viewer", "shopper (no vault role)", "anonymous")


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES)
def test_only_an_admin_manages_users(
    route: str,
    caller: str,
    stack: RunningStack,
    admin: ApiClient,
    shopper: ApiClient,
    editor_tokens: Tokens,
    viewer_tokens: Tokens,
) -> None:
    clients = {
        "admin": admin,
        "editor": stack.client_for(editor_tokens),
        "viewer": stack.client_for(viewer_tokens),
        "shopper (no vault role)": shopper,
        "anonymous": stack.client(None),
    }
    expected = {"admin": ADMIN_STATUS[route], "anonymous": 401}.get(caller, 403)
    response = ROUTES[route](clients[caller], admin)
    assert response.status_code == expected, response.text
