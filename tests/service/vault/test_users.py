"""The vault's user management functions, as their template names them, on moto's Cognito:
the bootstrap template's groups, Cognito's own answers turned into the contract's, each
attempt in the vault's audit trail (moto's Vault table)."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from shop_common.api import entrypoint
from shop_common.dynamodb import Table
from shop_common.errors import ConflictError
from stacks.templates import (
    BOOTSTRAP_TEMPLATE,
    SERVICE_TEMPLATES,
    load_template,
    resources_of_type,
    serverless_functions,
)
from tests.builders.callers import ADMIN, EDITOR, Caller
from tests.builders.environments import as_invoked, function_module
from tests.builders.events import LambdaContext, api_event, response_json
from tests.builders.mail import RecordingNotifier
from tests.builders.tables import TEST_TABLE_NAMES, TEST_VAULT_BUCKET
from tests.builders.users import create_user_pool
from vault.dependencies import VaultDeps
from vault.models import Outcome
from vault.repository import (
    BotoCloudFront,
    DynamoDBAuditLog,
    DynamoDBInvitations,
    DynamoDBNotificationSettings,
    DynamoDBUserLeases,
    DynamoDBVaultTable,
    S3ConfigBodies,
)
from vault.user_pool import CognitoUserPool
from vault.users import LEASE, UserDeps

VAULT_TEMPLATE = SERVICE_TEMPLATES["vault"]
PASSWORD = "Correct-Horse-9"
USERS = "/vault/users"
USER = "/vault/users/{username}"
FUNCTIONS = {
    ("GET", USERS): "GetVaultUsersFunction",
    ("POST", USERS): "InviteVaultUserFunction",
    ("POST", USER): "UpdateVaultUserFunction",
    ("DELETE", USER): "RemoveVaultUserFunction",
}

Call = Callable[..., dict[str, Any]]


def bootstrap_groups() -> list[str]:
    groups = resources_of_type(load_template(BOOTSTRAP_TEMPLATE), "AWS::Cognito::UserPoolGroup")
    return [str(group["Properties"]["GroupName"]) for group in groups.values()]


class Pool:
    """The stage's user pool in moto, as bootstrap makes it, with an app client to sign in."""

    def __init__(self) -> None:
        self.cognito = boto3.client("cognito-idp")
        self.pool_id = create_user_pool(self.cognito)
        for group in bootstrap_groups():
            self.cognito.create_group(UserPoolId=self.pool_id, GroupName=group)
        self.client_id = self.cognito.create_user_pool_client(
            UserPoolId=self.pool_id, ClientName="web", ExplicitAuthFlows=["USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]

    def member(self, username: str, group: str | None) -> None:
        """A confirmed user with a verified address, in `group` (None: a shopper)."""
        self.cognito.admin_create_user(
            UserPoolId=self.pool_id,
            Username=username,
            UserAttributes=[
                {"Name": "email", "Value": f"{username}@example.com"},
                {"Name": "email_verified", "Value": "true"},
            ],
            MessageAction="SUPPRESS",
        )
        self.cognito.admin_set_user_password(
            UserPoolId=self.pool_id, Username=username, Password=PASSWORD, Permanent=True
        )
        if group is not None:
            self.cognito.admin_add_user_to_group(
                UserPoolId=self.pool_id, Username=username, GroupName=group
            )

    def access_token(self, username: str) -> str:
        result = self.cognito.initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
        )
        return str(result["AuthenticationResult"]["AccessToken"])

    def groups_of(self, username: str) -> list[str]:
        groups = self.cognito.admin_list_groups_for_user(UserPoolId=self.pool_id, Username=username)
        return [group["GroupName"] for group in groups["Groups"]]

    def user(self, username: str) -> dict[str, Any]:
        user: dict[str, Any] = self.cognito.admin_get_user(
            UserPoolId=self.pool_id, Username=username
        )
        return user


@pytest.fixture
def pool(aws: None) -> Pool:
    pool = Pool()
    pool.member("admin", "admin")
    return pool


@pytest.fixture
def vault(dynamodb: Any) -> VaultDeps:
    """The vault's deps as the user functions have them: the trail on moto's Vault table."""
    table = Table(TEST_TABLE_NAMES["VaultTable"])
    return VaultDeps(
        table=DynamoDBVaultTable(table),
        bodies=S3ConfigBodies(TEST_VAULT_BUCKET),
        cloudfront=BotoCloudFront(),
        audit=DynamoDBAuditLog(table),
        notification_settings=DynamoDBNotificationSettings(table),
        notifier=RecordingNotifier(),
    )


@pytest.fixture
def call(pool: Pool, vault: VaultDeps) -> Call:
    """`call(method, resource, caller=..., ...)`: the route's function, built on the pool."""
    deps = UserDeps(
        pool=CognitoUserPool(pool.pool_id, pool.cognito),
        invitations=DynamoDBInvitations(Table(TEST_TABLE_NAMES["VaultTable"])),
        leases=DynamoDBUserLeases(Table(TEST_TABLE_NAMES["VaultTable"])),
        vault=vault,
    )

    def invoke(method: str, resource: str, caller: Caller = ADMIN, **request: Any) -> Any:
        logical_id = FUNCTIONS[(method, resource)]
        module = function_module(VAULT_TEMPLATE, logical_id, user_pool_id=pool.pool_id)
        handler = as_invoked(VAULT_TEMPLATE, logical_id, entrypoint(module.build_app(deps)))
        event = api_event(method, resource, caller=caller, **request)
        return handler(event, LambdaContext())

    return invoke


def fields_named(response: dict[str, Any]) -> list[str]:
    return [error["field"] for error in response_json(response)["errors"]]


def user_path(username: str) -> dict[str, str]:
    return {"username": username}


def test_an_invited_user_is_in_their_group_and_must_choose_a_password(
    pool: Pool, call: Call
) -> None:
    # When the admin invites an editor
    body = {"username": "edith", "email": "edith@example.com", "role": "editor"}
    response = call("POST", USERS, body=body)
    # Then the user exists in Cognito, in `editor`, with a temporary password to replace
    assert response["statusCode"] == 201, response["body"]
    assert response_json(response)["status"] == "FORCE_CHANGE_PASSWORD"
    assert pool.groups_of("edith") == ["editor"]
    assert pool.user("edith")["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_a_taken_username_is_a_409_naming_it(pool: Pool, call: Call) -> None:
    body = {"username": "admin", "email": "other@example.com", "role": "viewer"}
    response = call("POST", USERS, body=body)
    assert response["statusCode"] == 409
    assert fields_named(response) == ["username"]


def test_an_invitation_cognito_refuses_is_failed_in_the_trail(call: Call, vault: VaultDeps) -> None:
    # When the admin invites a user under a name Cognito already holds
    body = {"username": "admin", "email": "other@example.com", "role": "viewer"}
    call("POST", USERS, body=body)

    # Then the attempt is in the trail with its outcome, as its caller was answered
    entries = vault.audit.page(None, limit=10, cursor=None).items
    assert [(e.who, e.detail, e.outcome, e.reason) for e in entries] == [
        (
            ADMIN.username,
            "invited admin",
            Outcome.FAILED,
            "That username is taken (username: already exists)",
        )
    ]


def test_a_bad_address_is_a_400_naming_it(call: Call) -> None:
    response = call("POST", USERS, body={"username": "vic", "email": "vic", "role": "viewer"})
    assert response["statusCode"] == 400
    assert fields_named(response) == ["email"]


def test_the_listing_pages_through_every_group(pool: Pool, call: Call) -> None:
    # Given an admin, an editor and a viewer
    pool.member("edith", "editor")
    pool.member("vic", "viewer")
    # When they are listed one a page
    seen, cursor = [], None
    for _ in range(4):
        query = {"limit": "1", **({"cursor": cursor} if cursor else {})}
        response = call("GET", USERS, query=query)
        assert response["statusCode"] == 200, response["body"]
        seen += [(user["username"], user["role"]) for user in response_json(response)]
        cursor = response["multiValueHeaders"].get("X-Next-Cursor", [None])[0]
        if cursor is None:
            break
    # Then each comes once, with their role, and the last page has no cursor
    assert seen == [("admin", "admin"), ("edith", "editor"), ("vic", "viewer")]


def test_a_foreign_cursor_is_a_400_naming_it(call: Call) -> None:
    response = call("GET", USERS, query={"cursor": "eyJmb28iOiAxfQ"})
    assert response["statusCode"] == 400
    assert fields_named(response) == ["cursor"]


def test_a_demoted_user_is_signed_out_everywhere(pool: Pool, call: Call) -> None:
    # Given an editor who is signed in
    pool.member("edith", "editor")
    token = pool.access_token("edith")
    # When the admin makes them a viewer
    response = call("POST", USER, path_parameters=user_path("edith"), body={"role": "viewer"})
    # Then they are a viewer, and Cognito no longer takes their access token
    assert response["statusCode"] == 200, response["body"]
    assert response_json(response)["role"] == "viewer"
    assert pool.groups_of("edith") == ["viewer"]
    with pytest.raises(ClientError) as refused:
        pool.cognito.get_user(AccessToken=token)
    assert refused.value.response["Error"]["Code"] == "NotAuthorizedException"


def test_the_last_admin_can_be_neither_demoted_nor_removed(pool: Pool, call: Call) -> None:
    demoted = call("POST", USER, path_parameters=user_path("admin"), body={"role": "editor"})
    removed = call("DELETE", USER, path_parameters=user_path("admin"))
    assert (demoted["statusCode"], removed["statusCode"]) == (409, 409)
    assert "last admin" in response_json(demoted)["message"]
    assert pool.groups_of("admin") == ["admin"]


@pytest.mark.parametrize(
    ("method", "body"),
    [("POST", {"role": "viewer"}), ("POST", {"action": "reset_password"}), ("DELETE", None)],
)
def test_an_unknown_username_is_a_404_naming_it(call: Call, method: str, body: Any) -> None:
    response = call(method, USER, path_parameters=user_path("nobody"), body=body)
    assert response["statusCode"] == 404
    assert fields_named(response) == ["username"]


def test_a_removed_invited_user_is_gone_from_the_pool_and_may_be_invited_again(
    pool: Pool, call: Call
) -> None:
    # Given an editor the vault invited
    body = {"username": "edith", "email": "edith@example.com", "role": "editor"}
    assert call("POST", USERS, body=body)["statusCode"] == 201
    # When the admin removes them
    response = call("DELETE", USER, path_parameters=user_path("edith"))
    # Then the account is deleted, and the name is free to invite again
    assert response["statusCode"] == 204
    with pytest.raises(ClientError) as gone:
        pool.user("edith")
    assert gone.value.response["Error"]["Code"] == "UserNotFoundException"
    assert call("POST", USERS, body=body)["statusCode"] == 201


def test_a_removed_shopper_keeps_their_account_and_loses_the_role(pool: Pool, call: Call) -> None:
    # Given a shopper's account the admin made a viewer
    pool.member("sam", None)
    path = user_path("sam")
    assert call("POST", USER, path_parameters=path, body={"role": "viewer"})["statusCode"] == 200
    # When the admin removes them from the vault
    response = call("DELETE", USER, path_parameters=path)
    # Then they are a shopper with no vault role, and a second removal finds no vault user
    assert response["statusCode"] == 204
    assert pool.user("sam")["Enabled"] is True
    assert pool.groups_of("sam") == []
    assert call("DELETE", USER, path_parameters=path)["statusCode"] == 404


def test_a_reset_asks_the_user_for_a_new_password(pool: Pool, call: Call) -> None:
    pool.member("edith", "editor")
    body = {"action": "reset_password"}
    response = call("POST", USER, path_parameters=user_path("edith"), body=body)
    assert response["statusCode"] == 200, response["body"]
    assert response_json(response)["status"] == "RESET_REQUIRED"


def test_an_editor_manages_no_user(pool: Pool, call: Call) -> None:
    pool.member("edith", "editor")
    response = call("DELETE", USER, caller=EDITOR, path_parameters=user_path("admin"))
    assert response["statusCode"] == 403
    assert pool.groups_of("admin") == ["admin"]


NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def leases(dynamodb: Any) -> DynamoDBUserLeases:
    return DynamoDBUserLeases(Table(TEST_TABLE_NAMES["VaultTable"]))


def test_a_change_of_a_user_whose_lease_another_holds_is_a_409_naming_them(
    pool: Pool, call: Call, leases: DynamoDBUserLeases
) -> None:
    # Given an editor whom another change is changing (its lease runs on)
    pool.member("edith", "editor")
    leases.take("edith", "another", now=datetime.now(UTC), until=datetime.now(UTC) + LEASE)
    # When the admin makes them a viewer, naming them in another case
    response = call("POST", USER, path_parameters=user_path("Edith"), body={"role": "viewer"})
    # Then the answer is a 409 naming the user, who is as they were
    assert response["statusCode"] == 409
    assert fields_named(response) == ["username"]
    assert pool.groups_of("edith") == ["editor"]


def test_a_lease_that_ran_out_is_taken_again(leases: DynamoDBUserLeases) -> None:
    # Given a lease a change that died left, run out now
    leases.take("edith", "died", now=NOW - LEASE, until=NOW)
    # When another change takes it
    leases.take("edith", "next", now=NOW, until=NOW + LEASE)
    # Then it is theirs until it runs out
    with pytest.raises(ConflictError):
        leases.take("edith", "third", now=NOW + LEASE - timedelta(seconds=1), until=NOW)


def test_a_lease_given_back_by_a_holder_whose_lease_was_taken_stays_the_new_holders(
    leases: DynamoDBUserLeases,
) -> None:
    # Given a lease that ran out and another change took
    leases.take("edith", "late", now=NOW - LEASE, until=NOW)
    leases.take("edith", "next", now=NOW, until=NOW + LEASE)
    # When the late holder gives theirs back
    leases.give_back("edith", "late")
    # Then the new holder still holds the user
    with pytest.raises(ConflictError):
        leases.take("edith", "third", now=NOW, until=NOW + LEASE)


def test_a_lease_outlasts_every_user_function() -> None:
    # A lease runs out only once the function that took it has ended, however it ended
    functions = serverless_functions(VAULT_TEMPLATE)
    timeouts = {functions[logical_id].timeout_seconds for logical_id in FUNCTIONS.values()}
    assert timedelta(seconds=max(timeouts)) < LEASE
