"""A page of the vault's users whose cursor went on from a user removed since, on the local
stack's emulated Cognito (local/cognito/paging.py): refused as Cognito refuses a token
(InvalidParameterException), which the vault answers with a 400 naming the cursor."""

from typing import Any

import boto3
import pytest

from shop_common.errors import InvalidCursorError
from tests.builders.users import create_user_pool
from vault.models import VaultRole
from vault.user_pool import CognitoUserPool


@pytest.fixture
def cognito(endpoint: str) -> Any:
    return boto3.client("cognito-idp", endpoint_url=endpoint, region_name="eu-west-1")


def pool_of_viewers(cognito: Any, *usernames: str) -> str:
    pool_id = create_user_pool(cognito)
    cognito.create_group(UserPoolId=pool_id, GroupName=VaultRole.VIEWER)
    for username in usernames:
        cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
        cognito.admin_add_user_to_group(
            UserPoolId=pool_id, Username=username, GroupName=VaultRole.VIEWER
        )
    return pool_id


def test_the_next_page_of_a_user_removed_since_is_a_refused_cursor(cognito: Any) -> None:
    # Given three viewers listed one a page, the next page going on from the second
    pool_id = pool_of_viewers(cognito, "vic", "val", "vera")
    pool = CognitoUserPool(pool_id, cognito)
    first, token = pool.page_members(VaultRole.VIEWER, limit=1, token=None)
    # When the second is removed before that page is asked for
    cognito.admin_delete_user(UserPoolId=pool_id, Username="val")
    # Then the cursor is refused as a cursor (a 400 naming it), not a failure of the vault
    with pytest.raises(InvalidCursorError):
        pool.page_members(VaultRole.VIEWER, limit=1, token=token)
    assert [user.username for user in first] == ["vic"]


def test_a_page_whose_user_is_still_there_is_listed(cognito: Any) -> None:
    pool_id = pool_of_viewers(cognito, "vic", "val", "vera")
    pool = CognitoUserPool(pool_id, cognito)
    _, token = pool.page_members(VaultRole.VIEWER, limit=1, token=None)
    cognito.admin_delete_user(UserPoolId=pool_id, Username="vera")

    second, _ = pool.page_members(VaultRole.VIEWER, limit=1, token=token)

    assert [user.username for user in second] == ["val"]
