"""The shop's Cognito user pool for the vault's user management: the only module of the vault
that touches Cognito (boto3's `cognito-idp`); its ClientError codes become domain errors."""

from collections.abc import Callable, Mapping
from typing import Any

import boto3
from botocore.exceptions import ClientError

from shop_common.clock import iso_timestamp
from shop_common.dynamodb import CLIENT_CONFIG, error_code
from shop_common.errors import (
    ConflictError,
    FieldError,
    InvalidCursorError,
    InvalidRequestError,
    NotFoundError,
)
from vault.models import VaultRole
from vault.user_models import PoolUser


class CognitoUserPool:
    """One user pool (the stage's, `USER_POOL_ID`)."""

    def __init__(self, user_pool_id: str, cognito: Any = None) -> None:
        self._pool_id = user_pool_id
        self._cognito = cognito or boto3.client("cognito-idp", config=CLIENT_CONFIG)

    def page_members(
        self, role: VaultRole, *, limit: int, token: str | None
    ) -> tuple[list[PoolUser], str | None]:
        request: dict[str, Any] = {"UserPoolId": self._pool_id, "GroupName": role, "Limit": limit}
        if token is not None:
            request["NextToken"] = token
        try:
            page = self._cognito.list_users_in_group(**request)
        except ClientError as exc:
            if error_code(exc) == "InvalidParameterException" and token is not None:
                raise InvalidCursorError from exc  # a token Cognito did not issue
            raise
        return [_pool_user(user, user["Attributes"]) for user in page["Users"]], page.get(
            "NextToken"
        )

    def count_members(self, role: VaultRole, *, up_to: int) -> int:
        members, _ = self.page_members(role, limit=up_to, token=None)
        return len(members)

    def find(self, username: str) -> PoolUser | None:
        try:
            user = self._cognito.admin_get_user(UserPoolId=self._pool_id, Username=username)
            groups = self._cognito.admin_list_groups_for_user(
                UserPoolId=self._pool_id, Username=username
            )["Groups"]
        except ClientError as exc:
            if error_code(exc) == "UserNotFoundException":
                return None
            raise
        found = _pool_user(user, user.get("UserAttributes", []))
        roles = {VaultRole(group["GroupName"]) for group in groups if group["GroupName"] in _ROLES}
        return found.model_copy(update={"roles": frozenset(roles)})

    def create(self, username: str, email: str) -> PoolUser:
        """Cognito makes the temporary password and e-mails it with the invitation."""
        try:
            created = self._cognito.admin_create_user(
                UserPoolId=self._pool_id,
                Username=username,
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                ],
                DesiredDeliveryMediums=["EMAIL"],
            )
        except ClientError as exc:
            if error_code(exc) == "UsernameExistsException":
                raise ConflictError(
                    "That username is taken", [FieldError("username", "already exists")]
                ) from exc
            if error_code(exc) == "InvalidParameterException":
                message = _message(exc)
                field = "email" if "email" in message.lower() else "username"
                raise InvalidRequestError(
                    "Cognito refused the user", [FieldError(field, message)]
                ) from exc
            raise
        user = created["User"]
        return _pool_user(user, user.get("Attributes", []))

    def resend_invitation(self, username: str) -> None:
        self._acting_on(
            username,
            lambda: self._cognito.admin_create_user(
                UserPoolId=self._pool_id,
                Username=username,
                MessageAction="RESEND",
                DesiredDeliveryMediums=["EMAIL"],
            ),
        )

    def add_to_group(self, username: str, role: VaultRole) -> None:
        self._acting_on(
            username,
            lambda: self._cognito.admin_add_user_to_group(
                UserPoolId=self._pool_id, Username=username, GroupName=role
            ),
        )

    def remove_from_group(self, username: str, role: VaultRole) -> None:
        self._acting_on(
            username,
            lambda: self._cognito.admin_remove_user_from_group(
                UserPoolId=self._pool_id, Username=username, GroupName=role
            ),
        )

    def reset_password(self, username: str) -> None:
        self._acting_on(
            username,
            lambda: self._cognito.admin_reset_user_password(
                UserPoolId=self._pool_id, Username=username
            ),
        )

    def sign_out_everywhere(self, username: str) -> None:
        self._acting_on(
            username,
            lambda: self._cognito.admin_user_global_sign_out(
                UserPoolId=self._pool_id, Username=username
            ),
        )

    def delete(self, username: str) -> None:
        self._acting_on(
            username,
            lambda: self._cognito.admin_delete_user(UserPoolId=self._pool_id, Username=username),
        )

    @staticmethod
    def _acting_on(username: str, call: Callable[[], Any]) -> None:
        """`call`, an admin action on `username`: an unknown user is a 404, a user Cognito
        will not act on as things are (disabled, no verified address...) a 409."""
        try:
            call()
        except ClientError as exc:
            code = error_code(exc)
            if code == "UserNotFoundException":
                raise NotFoundError(
                    "No such user", [FieldError("username", "no such user")]
                ) from exc
            if code in {"NotAuthorizedException", "InvalidParameterException"}:
                raise ConflictError(
                    f"Cognito refused: {_message(exc)}", [FieldError("username", _message(exc))]
                ) from exc
            raise


_ROLES = frozenset(VaultRole)


def _pool_user(user: Mapping[str, Any], attributes: list[Mapping[str, str]]) -> PoolUser:
    values = {item["Name"]: item["Value"] for item in attributes}
    return PoolUser(
        username=user["Username"],
        sub=values["sub"],
        email=values.get("email"),
        status=user["UserStatus"],
        enabled=user.get("Enabled", True),
        created=iso_timestamp(user["UserCreateDate"]),
    )


def _message(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Message", error_code(exc)))
