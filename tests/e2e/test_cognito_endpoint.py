"""The site's /cognito/ serves Cognito's public API to the site's own pages, nothing more:
an administrator's call (which Cognito takes only signed with AWS credentials) is refused,
as is a page of another origin."""

import json
from typing import Any

import pytest
import requests

from tests.e2e.stack import RunningStack, Tokens

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
OTHER_ORIGIN = "https://attacker.example"


def call(
    stack: RunningStack, action: str, body: dict[str, Any], origin: str | None = None
) -> requests.Response:
    """`action` as a page's fetch sends it: unsigned JSON with the X-Amz-Target header."""
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": TARGET_PREFIX + action,
        "Origin": origin or stack.origin,
    }
    return requests.post(
        stack.config["cognitoEndpoint"], data=json.dumps(body), headers=headers, timeout=10
    )


def groups_of(stack: RunningStack, username: str) -> list[str]:
    answer = stack.cognito_admin.admin_list_groups_for_user(
        UserPoolId=stack.config["userPoolId"], Username=username
    )
    return [group["GroupName"] for group in answer["Groups"]]


@pytest.fixture
def user(stack: RunningStack) -> Tokens:
    return stack.new_shopper("door")


def test_an_unsigned_admin_call_is_refused_as_cognito_refuses_it(
    stack: RunningStack, user: Tokens
) -> None:
    # Given a shopper
    # When they ask /cognito/ to put them in the admin group
    answer = call(
        stack,
        "AdminAddUserToGroup",
        {"UserPoolId": stack.config["userPoolId"], "Username": user.username, "GroupName": "admin"},
    )

    # Then Cognito's answer to a call without AWS credentials, and they are no admin
    assert answer.status_code == 400
    assert answer.json()["__type"] == "MissingAuthenticationTokenException"
    assert groups_of(stack, user.username) == []


def test_a_revoked_refresh_token_cannot_be_used_through_an_admin_sign_in(
    stack: RunningStack, user: Tokens
) -> None:
    # Given a shopper who signed out (their refresh token revoked)
    stack.cognito.revoke_token(Token=user.refresh_token, ClientId=stack.client_id)

    # When the refresh token is sent to AdminInitiateAuth
    answer = call(
        stack,
        "AdminInitiateAuth",
        {
            "UserPoolId": stack.config["userPoolId"],
            "ClientId": stack.client_id,
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "AuthParameters": {"REFRESH_TOKEN": user.refresh_token},
        },
    )

    # Then no tokens
    assert answer.status_code == 400
    assert "AuthenticationResult" not in answer.json()


def test_a_page_of_another_origin_is_not_allowed(stack: RunningStack) -> None:
    # Given a page of another site open in the developer's browser
    # When its browser asks whether it may call /cognito/, then calls anyway
    preflight = requests.options(
        stack.config["cognitoEndpoint"],
        headers={"Origin": OTHER_ORIGIN, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    answer = call(stack, "SignUp", {"ClientId": stack.client_id}, origin=OTHER_ORIGIN)

    # Then no origin is allowed to it, and the call is a JSON 403
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert answer.status_code == 403
    assert answer.headers["Content-Type"].startswith("application/json")
    assert "Access-Control-Allow-Origin" not in answer.headers
