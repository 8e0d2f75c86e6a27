"""An in-memory user pool with Cognito's observable behaviour for the vault's user management:
case-insensitive usernames, groups, paged group listings, who was signed out, what was sent."""

from collections.abc import Callable
from uuid import uuid4

from shop_common.errors import ConflictError, FieldError, NotFoundError
from vault.models import VaultRole
from vault.user_models import PoolUser

CREATED = "2026-12-06T12:00:00Z"


class CognitoRefusedError(Exception):
    """What a call Cognito refuses raises (throttled, denied: a code the vault does not map)."""


class InMemoryUserPool:
    def __init__(self) -> None:
        self.users: dict[str, PoolUser] = {}
        self.signed_out: list[str] = []
        self.invitations: list[str] = []
        self.password_resets: list[str] = []
        # Called before a user joins or leaves a group (the method's name, the user), and
        # after they left one: a concurrent change "meanwhile".
        self.before_group_change: Callable[[str, str], None] = lambda call, username: None
        self.after_removal: Callable[[str, VaultRole], None] = lambda username, role: None
        # The change Cognito refuses (its method's name), once, after those before it held.
        self.refusing: str | None = None

    def given(self, username: str, *roles: VaultRole, status: str = "CONFIRMED") -> PoolUser:
        user = PoolUser(
            username=username,
            sub=str(uuid4()),
            email=f"{username}@example.com",
            status=status,
            created=CREATED,
            roles=frozenset(roles),
        )
        self.users[username.casefold()] = user
        return user

    def _user(self, username: str) -> PoolUser:
        user = self.users.get(username.casefold())
        if user is None:
            raise NotFoundError("No such user", [FieldError("username", "no such user")])
        return user

    def page_members(
        self, role: VaultRole, *, limit: int, token: str | None
    ) -> tuple[list[PoolUser], str | None]:
        members = sorted(
            (user for user in self.users.values() if role in user.roles),
            key=lambda user: user.username,
        )
        start = int(token or 0)
        rest = start + limit
        return members[start:rest], str(rest) if rest < len(members) else None

    def count_members(self, role: VaultRole, *, up_to: int) -> int:
        return min(up_to, sum(role in user.roles for user in self.users.values()))

    def find(self, username: str) -> PoolUser | None:
        return self.users.get(username.casefold())

    def create(self, username: str, email: str) -> PoolUser:
        if username.casefold() in self.users:
            raise ConflictError("That username is taken", [FieldError("username", "taken")])
        self.invitations.append(username)
        user = self.given(username, status="FORCE_CHANGE_PASSWORD")
        return user.model_copy(update={"email": email})

    def resend_invitation(self, username: str) -> None:
        self.invitations.append(self._user(username).username)

    def add_to_group(self, username: str, role: VaultRole) -> None:
        self._refuse_if("add_to_group")
        self.before_group_change("add_to_group", username)
        user = self._user(username)
        self.users[username.casefold()] = user.model_copy(update={"roles": user.roles | {role}})

    def remove_from_group(self, username: str, role: VaultRole) -> None:
        self._refuse_if("remove_from_group")
        self.before_group_change("remove_from_group", username)
        user = self._user(username)
        self.users[username.casefold()] = user.model_copy(update={"roles": user.roles - {role}})
        self.after_removal(username, role)

    def reset_password(self, username: str) -> None:
        self.password_resets.append(self._user(username).username)

    def sign_out_everywhere(self, username: str) -> None:
        self._refuse_if("sign_out_everywhere")
        self.signed_out.append(self._user(username).username)

    def delete(self, username: str) -> None:
        self._refuse_if("delete")
        self.users.pop(self._user(username).username.casefold())

    def roles_of(self, username: str) -> set[VaultRole]:
        return set(self._user(username).roles)

    def _refuse_if(self, call: str) -> None:
        if call == self.refusing:
            self.refusing = None
            raise CognitoRefusedError(call)
