"""The vault's audit trail and notifications over HTTP, on `make run`'s stack: a rollback is
in the trail with its outcome and e-mailed, through the local mail server, to the address an
admin configured; a change made in the console is e-mailed to the detected list; each role
gets what the authorizer's table gives it."""

from typing import Any
from uuid import uuid4

import boto3
import pytest

from tests.builders.distributions import console_change, distribution_config
from tests.e2e.stack import ApiClient, RunningStack, Tokens

DISTRIBUTIONS = "/vault/distributions"
CHANGED_TO = f"changes-{uuid4().hex[:8]}@example.com"
USERS_TO = f"users-{uuid4().hex[:8]}@example.com"
DETECTED_TO = f"detected-{uuid4().hex[:8]}@example.com"


@pytest.fixture(scope="module")
def console(stack: RunningStack) -> Any:
    return boto3.client("cloudfront", endpoint_url=stack.emulator_url, region_name="us-east-1")


@pytest.fixture(scope="module")
def editor_tokens(stack: RunningStack) -> Tokens:
    return stack.new_member("editor")


@pytest.fixture(scope="module")
def editor(stack: RunningStack, editor_tokens: Tokens) -> ApiClient:
    return stack.client_for(editor_tokens)


@pytest.fixture(scope="module")
def viewer(stack: RunningStack) -> ApiClient:
    return stack.client_for(stack.new_member("viewer"))


@pytest.fixture(scope="module")
def lists(stack: RunningStack, admin_tokens: Tokens) -> dict[str, Any]:
    """The admin's lists: changes and detected versions, each to an address of its own."""
    admin = stack.client_for(admin_tokens)
    saved = admin.post(
        "/vault/notifications",
        {
            "distribution_changed": [CHANGED_TO],
            "version_detected": [DETECTED_TO],
            "users_changed": [USERS_TO],
        },
    )
    assert saved.status_code == 200, saved.text
    body: dict[str, Any] = saved.json()
    return body


@pytest.fixture
def distribution(console: Any, editor: ApiClient) -> tuple[str, str]:
    """A distribution made in the console, at version 1 in the vault: its id and ETag."""
    created = console.create_distribution(
        DistributionConfig=distribution_config(f"e2e-{uuid4()}", comment="one")
    )
    distribution_id: str = created["Distribution"]["Id"]
    response = editor.post(f"{DISTRIBUTIONS}/{distribution_id}/versions", {})
    assert response.status_code == 201, response.text
    return distribution_id, created["ETag"]


def test_a_rollback_is_in_the_trail_as_succeeded_and_e_mailed_to_the_changed_list(
    stack: RunningStack,
    console: Any,
    editor: ApiClient,
    editor_tokens: Tokens,
    viewer: ApiClient,
    lists: dict[str, Any],
    distribution: tuple[str, str],
) -> None:
    # Given version 2 made in the console and captured
    distribution_id, _ = distribution
    etag = console_change(console, distribution_id, Comment="two")
    assert editor.post(f"{DISTRIBUTIONS}/{distribution_id}/versions", {}).status_code == 201

    # When the editor rolls back to version 1
    rolled = editor.post(
        f"{DISTRIBUTIONS}/{distribution_id}/rollback", {"version": 1, "expected_etag": etag}
    )

    # Then the trail has it, succeeded, and the changed list got the e-mail
    assert rolled.status_code == 202, rolled.text
    trail = viewer.get("/vault/audit", params={"distribution_id": distribution_id}).json()
    assert [(entry["action"], entry["outcome"]) for entry in trail] == [
        ("rollback", "succeeded"),
        ("capture", "succeeded"),
        ("capture", "succeeded"),
    ]
    assert trail[0]["who"] == editor_tokens.username
    email = stack.email(
        CHANGED_TO, f"[Shop vault] Distribution {distribution_id} rolled back to version 1"
    )
    assert f"now at version 3 (ETag {rolled.json()['etag']})" in email.get_content()


def test_a_console_change_is_e_mailed_to_the_detected_list(
    stack: RunningStack, console: Any, lists: dict[str, Any], distribution: tuple[str, str]
) -> None:
    distribution_id, _ = distribution

    console_change(console, distribution_id, Comment="changed in the console")

    # CloudTrail's event reaches the vault about 10 s later, which e-mails the detected list
    email = stack.email(
        DETECTED_TO, f"[Shop vault] Distribution {distribution_id} changed: version 2"
    )
    assert f"distribution {distribution_id} was detected" in email.get_content()


def test_an_invitation_is_in_the_trail_and_e_mailed_to_the_users_list(
    stack: RunningStack, admin: ApiClient, viewer: ApiClient, lists: dict[str, Any]
) -> None:
    username = f"invited-{uuid4().hex[:8]}"

    invited = admin.post(
        "/vault/users", {"username": username, "email": f"{username}@example.com", "role": "viewer"}
    )

    assert invited.status_code == 201, invited.text
    latest = viewer.get("/vault/audit").json()[0]
    assert (latest["action"], latest["detail"], latest["outcome"]) == (
        "users",
        f"invited {username}",
        "succeeded",
    )
    stack.email(USERS_TO, f"[Shop vault] Vault user {username}: invited")


@pytest.mark.parametrize(
    ("caller", "method", "path", "status"),
    [
        ("shopper", "GET", "/vault/audit", 403),
        ("viewer", "GET", "/vault/audit", 200),
        ("editor", "GET", "/vault/audit", 200),
        ("admin", "GET", "/vault/audit", 200),
        ("shopper", "GET", "/vault/notifications", 403),
        ("viewer", "GET", "/vault/notifications", 200),
        ("editor", "GET", "/vault/notifications", 200),
        ("admin", "GET", "/vault/notifications", 200),
        ("shopper", "POST", "/vault/notifications", 403),
        ("viewer", "POST", "/vault/notifications", 403),
        ("editor", "POST", "/vault/notifications", 403),
        ("admin", "POST", "/vault/notifications", 200),
    ],
)
def test_each_role_gets_the_routes_of_its_rank(
    caller: str,
    method: str,
    path: str,
    status: int,
    request: pytest.FixtureRequest,
    lists: dict[str, Any],
) -> None:
    client: ApiClient = request.getfixturevalue(caller)
    # The admin's POST saves the lists as they are, so the other tests' stay.
    body = lists if method == "POST" else None

    response = client.request(method, path, json=body)

    assert response.status_code == status, response.text
