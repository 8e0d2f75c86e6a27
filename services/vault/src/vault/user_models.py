"""The vault's users at its boundaries: requests, the user as answered, the listing's cursor
and the event each change publishes."""

import base64
import binascii
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from shop_common.errors import InvalidCursorError
from shop_common.pagination import ListQuery
from shop_common.text import EMAIL_ADDRESS
from shop_common.validation import DIGITS, NOT_NULL, described_as
from vault.models import VaultRole

# Cognito's ListUsersInGroup returns at most 60 users a call.
MAX_USERS_PAGE = 60
# What the shop's sign-up accepts as a username, and Cognito too (at most 128 characters).
Username = Annotated[
    str,
    Field(strict=True, pattern=r"^[\w.@+-]{1,128}$"),
    described_as("1 to 128 letters, digits and the characters _ . @ + -"),
]
Email = Annotated[
    str, Field(strict=True), StringConstraints(strip_whitespace=True, max_length=254), EMAIL_ADDRESS
]


class UserKey(BaseModel):
    model_config = ConfigDict(frozen=True)

    username: Username


class UserListQuery(ListQuery):
    """`?limit=` (1-60: Cognito's page) and `?cursor=`."""

    limit: Annotated[int, DIGITS, Field(ge=1, le=MAX_USERS_PAGE)] = MAX_USERS_PAGE


class InviteIn(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    username: Username
    email: Email
    role: VaultRole


class UserChangeIn(BaseModel):
    """`POST /vault/users/{username}`: `{"role": ...}` changes the role,
    `{"action": "reset_password"}` sends a new password; one of the two."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Annotated[VaultRole | None, NOT_NULL] = None
    action: Annotated[Literal["reset_password"] | None, NOT_NULL] = None

    @model_validator(mode="after")
    def one_change(self) -> Self:
        if (self.role is None) == (self.action is None):
            raise ValueError("give either `role` or `action`, not both or neither")
        return self


class VaultUser(BaseModel):
    """A user of the shop's pool as the vault shows them: `status` is Cognito's
    (`FORCE_CHANGE_PASSWORD` until an invited user sets their own password)."""

    model_config = ConfigDict(frozen=True)

    username: str
    email: str | None = None
    role: VaultRole | None
    status: str
    enabled: bool = True
    created: str


class PoolUser(BaseModel):
    """A user of the pool and every vault group they are in."""

    model_config = ConfigDict(frozen=True)

    username: str
    # Cognito's id of the account: a name deleted and signed up again is another account.
    sub: str
    email: str | None = None
    status: str
    enabled: bool = True
    created: str
    roles: frozenset[VaultRole] = frozenset()

    @property
    def role(self) -> VaultRole | None:
        """The strongest of their vault roles."""
        return max(self.roles, key=lambda role: role.rank, default=None)

    def as_vault_user(self) -> VaultUser:
        return VaultUser(
            username=self.username,
            email=self.email,
            role=self.role,
            status=self.status,
            enabled=self.enabled,
            created=self.created,
        )


class UserAction(StrEnum):
    INVITED = "invited"
    ROLE_CHANGED = "role-changed"
    PASSWORD_RESET = "password-reset"  # noqa: S105 - an action, not a password
    REMOVED = "removed"


class UserChanged(BaseModel):
    """What one change did, once it held: logged (without who) and e-mailed to the users
    list (its audit entry says the same, with who)."""

    model_config = ConfigDict(frozen=True)

    action: UserAction
    username: str
    by: str
    at: str
    role_before: VaultRole | None = None
    role_after: VaultRole | None = None


class UserCursor(BaseModel):
    """Where the listing goes on: the group it is reading, and Cognito's token in it."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    listing: Literal["vault/users"] = "vault/users"
    role: VaultRole
    # Cognito's NextToken: 1 character at least (an empty one is botocore's own error).
    token: Annotated[str, Field(min_length=1)] | None = None

    def encode(self) -> str:
        raw = self.model_dump_json(exclude_none=True).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Self:
        """A cursor this listing issued; anything else is a 400 naming `cursor`."""
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            return cls.model_validate_json(raw, strict=False)
        except (binascii.Error, ValueError, ValidationError) as exc:
            raise InvalidCursorError from exc
