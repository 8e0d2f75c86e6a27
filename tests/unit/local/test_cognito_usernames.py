"""A pool's usernames ignore case when its UsernameConfiguration says so, as in Cognito
(local/cognito/usernames.py); moto alone takes `ADMIN` beside `admin`."""

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.cognitoidp.models import CognitoIdpUserPool

from local.cognito.usernames import case_insensitive_usernames

PASSWORD = "Passw0rd!Passw0rd"


@pytest.fixture(autouse=True)
def _moto_put_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lookup is moto's own again after each test (the patch holds for the process)."""
    monkeypatch.setattr(CognitoIdpUserPool, "_get_user", CognitoIdpUserPool._get_user)
    case_insensitive_usernames()


def pool(case_sensitive: bool) -> tuple[Any, str]:
    """A user pool holding `admin`, and its app client's id."""
    cognito = boto3.client("cognito-idp", region_name="eu-west-1")
    pool_id = cognito.create_user_pool(
        PoolName="shop", UsernameConfiguration={"CaseSensitive": case_sensitive}
    )["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito.sign_up(ClientId=client_id, Username="admin", Password=PASSWORD)
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username="admin")
    return cognito, client_id


@pytest.fixture
def insensitive() -> Iterator[tuple[Any, str]]:
    with mock_aws():
        yield pool(case_sensitive=False)


def test_a_sign_up_of_a_name_taken_in_another_case_is_refused(
    insensitive: tuple[Any, str],
) -> None:
    cognito, client_id = insensitive
    with pytest.raises(ClientError) as refusal:
        cognito.sign_up(ClientId=client_id, Username="ADMIN", Password=PASSWORD)
    assert refusal.value.response["Error"]["Code"] == "UsernameExistsException"


def test_a_name_in_another_case_signs_in_as_the_user(insensitive: tuple[Any, str]) -> None:
    cognito, client_id = insensitive
    tokens = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "Admin", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == "admin"


def test_a_case_sensitive_pool_keeps_names_of_other_cases_apart() -> None:
    with mock_aws():
        cognito, client_id = pool(case_sensitive=True)
        cognito.sign_up(ClientId=client_id, Username="ADMIN", Password=PASSWORD)
        assert cognito.admin_get_user(UserPoolId=cognito_pool_id(cognito), Username="ADMIN")


def cognito_pool_id(cognito: Any) -> str:
    (only,) = cognito.list_user_pools(MaxResults=1)["UserPools"]
    return str(only["Id"])
