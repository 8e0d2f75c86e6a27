"""What the local stack's emulated Cognito sends a user an admin invites or resets, printed as
Cognito would e-mail it (local/cognito/admin.py), on the emulator the vault's functions call."""

import re
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from local.aws import emulator
from local.cognito.resets import PasswordResetCodes, Verdict

PRINTED_PASSWORD = re.compile(r"Temporary password for (\S+): (\S+)")


class Console:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.resets = PasswordResetCodes()

    def temporary_password(self, username: str) -> str:
        found = [m.group(2) for m in map(PRINTED_PASSWORD.fullmatch, self.lines) if m]
        assert found, self.lines
        assert all(m.group(1) == username for m in map(PRINTED_PASSWORD.fullmatch, self.lines) if m)
        return found[-1]


@pytest.fixture(scope="module")
def console() -> Console:
    return Console()


@pytest.fixture(scope="module")
def cognito(console: Console) -> Iterator[Any]:
    with emulator(announce=console.lines.append, password_resets=lambda: console.resets) as url:
        yield boto3.client("cognito-idp", endpoint_url=url, region_name="eu-west-1")


@pytest.fixture
def pool(cognito: Any, console: Console) -> tuple[str, str]:
    console.lines.clear()
    pool_id = cognito.create_user_pool(PoolName="shop")["UserPool"]["Id"]
    cognito.create_group(UserPoolId=pool_id, GroupName="editor")
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def invite(cognito: Any, pool_id: str, username: str) -> None:
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        DesiredDeliveryMediums=["EMAIL"],
    )


def sign_in(cognito: Any, client_id: str, username: str, password: str) -> dict[str, Any]:
    answer: dict[str, Any] = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return answer


def test_an_invited_user_signs_in_with_the_printed_password_and_must_choose_one(
    cognito: Any, pool: tuple[str, str], console: Console
) -> None:
    pool_id, client_id = pool
    # When an admin invites a user (no temporary password given: Cognito makes one)
    invite(cognito, pool_id, "edith")
    # Then the printed password signs them in, and Cognito asks for a password of their own
    answer = sign_in(cognito, client_id, "edith", console.temporary_password("edith"))
    assert answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_a_resent_invitation_has_a_new_password_and_keeps_the_users_groups(
    cognito: Any, pool: tuple[str, str], console: Console
) -> None:
    pool_id, client_id = pool
    invite(cognito, pool_id, "edith")
    first = console.temporary_password("edith")
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="edith", GroupName="editor")
    # When the invitation is sent again
    resent = cognito.admin_create_user(UserPoolId=pool_id, Username="edith", MessageAction="RESEND")
    # Then a new password is printed, the first no longer works, and the user is still an editor
    second = console.temporary_password("edith")
    assert second != first
    assert resent["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert sign_in(cognito, client_id, "edith", second)["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        sign_in(cognito, client_id, "edith", first)
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username="edith")["Groups"]
    assert [group["GroupName"] for group in groups] == ["editor"]


def test_an_admin_reset_prints_a_code_the_proxy_takes(
    cognito: Any, pool: tuple[str, str], console: Console
) -> None:
    pool_id, _ = pool
    invite(cognito, pool_id, "edith")
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username="edith", Password="Correct-Horse-9", Permanent=True
    )
    cognito.admin_reset_user_password(UserPoolId=pool_id, Username="edith")
    printed = re.fullmatch(r"Password reset code for edith: (\d{6})", console.lines[-1])
    assert printed is not None
    assert console.resets.redeem("edith", printed.group(1)) is Verdict.ACCEPTED
