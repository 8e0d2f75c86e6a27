"""Vault users, pure and typed: the shop's Cognito user pool (`UserPool`), each user's vault
role their group (`admin`, `editor`, `viewer`); only an admin manages them.

Cognito has no conditional write, so "never remove the last admin" is kept in two steps: an
admin is refused when they are the only one, and after taking a user out of `admin` the group
is counted again; if a concurrent change emptied it, this change is undone and refused (409).
Two admins demoting each other at once may both be refused; the pool never stays without one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from shop_common.clock import Clock, iso_timestamp, utc_now
from shop_common.errors import ConflictError, FieldError, NotFoundError
from shop_common.observability import logger
from vault.audit import record_done
from vault.dependencies import VaultDeps
from vault.models import AuditAction, NotificationEvent, VaultCaller, VaultRole
from vault.notifications import notify
from vault.user_models import (
    InviteIn,
    PoolUser,
    UserAction,
    UserChanged,
    UserChangeIn,
    UserCursor,
    UserListQuery,
    VaultUser,
)

# The listing reads the groups in this order, strongest first.
ROLES_LISTED = (VaultRole.ADMIN, VaultRole.EDITOR, VaultRole.VIEWER)
# Cognito's status of an invited user who has not chosen a password yet.
INVITED_STATUS = "FORCE_CHANGE_PASSWORD"


class UserPool(Protocol):
    """The shop's user pool. Each method raises `NotFoundError` (naming `username`) for a
    user who does not exist."""

    def page_members(
        self, role: VaultRole, *, limit: int, token: str | None
    ) -> tuple[list[PoolUser], str | None]:
        """Up to `limit` members of the role's group, and the token of the rest (None: all)."""
        ...

    def count_members(self, role: VaultRole, *, up_to: int) -> int:
        """How many users the role's group has, counted up to `up_to`."""
        ...

    def find(self, username: str) -> PoolUser | None: ...

    def create(self, username: str, email: str) -> PoolUser:
        """A new user with a temporary password that Cognito sends them; `ConflictError`
        naming `username` if the name is taken."""
        ...

    def resend_invitation(self, username: str) -> None: ...

    def add_to_group(self, username: str, role: VaultRole) -> None: ...

    def remove_from_group(self, username: str, role: VaultRole) -> None: ...

    def reset_password(self, username: str) -> None: ...

    def sign_out_everywhere(self, username: str) -> None: ...

    def delete(self, username: str) -> None: ...


def log_change(event: UserChanged) -> None:
    # Who (usernames) stays out of the log: the audit log keeps it.
    logger.info("Vault user changed", **event.model_dump(mode="json", exclude={"username", "by"}))


def reporting_to(vault: VaultDeps) -> Callable[[UserChanged], None]:
    """`on_change` that logs each change, keeps it in the vault's audit trail and e-mails
    the users list."""

    def on_change(event: UserChanged) -> None:
        log_change(event)
        roles = f"{event.role_before or 'none'} -> {event.role_after or 'none'}"
        record_done(
            vault,
            event.by,
            AuditAction.USERS,
            detail=f"{event.action} {event.username}",
            result=f"role {roles}",
        )
        notify(
            vault,
            NotificationEvent.USERS_CHANGED,
            f"Vault user {event.username}: {event.action}",
            [
                f"{event.by} made this change at {event.at}: {event.username} {event.action}"
                f" (role {roles})."
            ],
        )

    return on_change


@dataclass(frozen=True)
class UserDeps:
    pool: UserPool
    clock: Clock = field(default=utc_now)
    # Told of every change that succeeded.
    on_change: Callable[[UserChanged], None] = field(default=log_change)


@dataclass(frozen=True)
class UserListing:
    users: list[VaultUser]
    next_cursor: str | None


def list_users(caller: VaultCaller, query: UserListQuery, deps: UserDeps) -> UserListing:
    """The vault's users, admins first, then editors, then viewers."""
    caller.require(VaultRole.ADMIN)
    at = UserCursor.decode(query.cursor) if query.cursor else UserCursor(role=ROLES_LISTED[0])
    users: list[VaultUser] = []
    roles = ROLES_LISTED[ROLES_LISTED.index(at.role) :]
    token = at.token
    for position, role in enumerate(roles):
        members, token = deps.pool.page_members(role, limit=query.limit - len(users), token=token)
        users += [member.model_copy(update={"roles": {role}}).as_vault_user() for member in members]
        if token is not None:
            return UserListing(users, UserCursor(role=role, token=token).encode())
        following = roles[position + 1 :]
        if len(users) == query.limit:
            next_cursor = UserCursor(role=following[0]).encode() if following else None
            return UserListing(users, next_cursor)
    return UserListing(users, None)


def invite(caller: VaultCaller, request: InviteIn, deps: UserDeps) -> VaultUser:
    """A new user in the role; Cognito e-mails them a temporary password."""
    caller.require(VaultRole.ADMIN)
    user = deps.pool.create(request.username, request.email)
    deps.pool.add_to_group(user.username, request.role)
    _publish(deps, caller, UserAction.INVITED, user.username, None, request.role)
    return user.model_copy(update={"roles": {request.role}}).as_vault_user()


def change(caller: VaultCaller, username: str, request: UserChangeIn, deps: UserDeps) -> VaultUser:
    """`POST /vault/users/{username}`: a new role, or a new password."""
    if request.role is not None:
        return change_role(caller, username, request.role, deps)
    return reset_password(caller, username, deps)


def change_role(caller: VaultCaller, username: str, role: VaultRole, deps: UserDeps) -> VaultUser:
    """The user's one vault role becomes `role`; a demoted user is signed out everywhere."""
    caller.require(VaultRole.ADMIN)
    user = _existing(deps, username)
    if user.roles == {role}:
        return user.as_vault_user()
    leaving = user.roles - {role}
    if VaultRole.ADMIN in leaving:
        _refuse_last_admin(deps, "role")
    deps.pool.add_to_group(user.username, role)
    for old in leaving:
        deps.pool.remove_from_group(user.username, old)
    if VaultRole.ADMIN in leaving:
        _undo_if_no_admin_left(deps, "role", undo=lambda: _restore(deps, user))
    if user.role is not None and user.role.rank > role.rank:
        deps.pool.sign_out_everywhere(user.username)
    _publish(deps, caller, UserAction.ROLE_CHANGED, user.username, user.role, role)
    return user.model_copy(update={"roles": {role}}).as_vault_user()


def reset_password(caller: VaultCaller, username: str, deps: UserDeps) -> VaultUser:
    """A new password for the user, who is signed out everywhere: an invited user who never
    signed in gets the invitation again (a new temporary password), any other user a code
    to choose a new one (Cognito's AdminResetUserPassword)."""
    caller.require(VaultRole.ADMIN)
    user = _vault_user(deps, username)
    if user.status == INVITED_STATUS:
        deps.pool.resend_invitation(user.username)
    else:
        deps.pool.reset_password(user.username)
        deps.pool.sign_out_everywhere(user.username)
    _publish(deps, caller, UserAction.PASSWORD_RESET, user.username, user.role, user.role)
    return _existing(deps, user.username).as_vault_user()


def remove(caller: VaultCaller, username: str, deps: UserDeps) -> None:
    """The user is signed out everywhere and deleted from the pool (never the last admin)."""
    caller.require(VaultRole.ADMIN)
    user = _vault_user(deps, username)
    if VaultRole.ADMIN in user.roles:
        _refuse_last_admin(deps, "username")
        deps.pool.remove_from_group(user.username, VaultRole.ADMIN)
        _undo_if_no_admin_left(
            deps, "username", undo=lambda: deps.pool.add_to_group(user.username, VaultRole.ADMIN)
        )
    deps.pool.sign_out_everywhere(user.username)
    deps.pool.delete(user.username)
    _publish(deps, caller, UserAction.REMOVED, user.username, user.role, None)


def _existing(deps: UserDeps, username: str) -> PoolUser:
    user = deps.pool.find(username)
    if user is None:
        raise NotFoundError("No such user", [FieldError("username", "no such user")])
    return user


def _vault_user(deps: UserDeps, username: str) -> PoolUser:
    """A user with a vault role: the vault neither resets nor removes the shop's shoppers."""
    user = _existing(deps, username)
    if user.role is None:
        raise NotFoundError(
            "No such vault user", [FieldError("username", "has no vault role (a shopper)")]
        )
    return user


def _last_admin_error(field_name: str) -> ConflictError:
    return ConflictError(
        "The last admin can be neither removed nor demoted: make another user admin first",
        [FieldError(field_name, "the vault's only admin")],
    )


def _refuse_last_admin(deps: UserDeps, field_name: str) -> None:
    if deps.pool.count_members(VaultRole.ADMIN, up_to=2) < 2:
        raise _last_admin_error(field_name)


def _undo_if_no_admin_left(deps: UserDeps, field_name: str, undo: Callable[[], None]) -> None:
    """A concurrent change may have taken the other admin out meanwhile: then undo this one."""
    if deps.pool.count_members(VaultRole.ADMIN, up_to=1) == 0:
        undo()
        raise _last_admin_error(field_name)


def _restore(deps: UserDeps, user: PoolUser) -> None:
    """The user's groups as they were before a refused change of role."""
    now = _existing(deps, user.username).roles
    for role in user.roles - now:
        deps.pool.add_to_group(user.username, role)
    for role in now - user.roles:
        deps.pool.remove_from_group(user.username, role)


def _publish(
    deps: UserDeps,
    caller: VaultCaller,
    action: UserAction,
    username: str,
    before: VaultRole | None,
    after: VaultRole | None,
) -> None:
    deps.on_change(
        UserChanged(
            action=action,
            username=username,
            by=caller.username,
            at=iso_timestamp(deps.clock()),
            role_before=before,
            role_after=after,
        )
    )
