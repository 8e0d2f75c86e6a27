"""The Cognito user pool of the service tests, in moto, with a known id.

moto names a pool after a hash of its definition when `MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY`
is `HASH`, so the pool each test creates has the id the functions' environment was given."""

import os
from functools import cache
from typing import Any

import boto3
from moto import mock_aws

TEST_USER_POOL_NAME = "test-users"
os.environ["MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY"] = "HASH"


def create_user_pool(cognito: Any) -> str:
    """The test pool (usernames case-insensitive, as the bootstrap template's); its id."""
    pool = cognito.create_user_pool(
        PoolName=TEST_USER_POOL_NAME, UsernameConfiguration={"CaseSensitive": False}
    )
    return str(pool["UserPool"]["Id"])


@cache
def known_user_pool_id() -> str:
    """The id every test's pool gets (learnt once, from a pool made in a throwaway moto
    before any test's own moto is active: a nested one would reset it)."""
    with mock_aws():
        return create_user_pool(boto3.client("cognito-idp"))


def create_user(cognito: Any, user_pool_id: str, username: str, email: str | None = None) -> str:
    """A confirmed user of the pool (with `email`, if given); their `sub`."""
    given = [] if email is None else [{"Name": "email", "Value": email}]
    user = cognito.admin_create_user(
        UserPoolId=user_pool_id, Username=username, UserAttributes=given
    )
    attributes = {item["Name"]: item["Value"] for item in user["User"]["Attributes"]}
    return str(attributes["sub"])
