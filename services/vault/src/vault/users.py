"""Vault users, pure and typed: the shop's Cognito user pool (`UserPool`), each user's vault
role their group (`admin`, `editor`, `viewer`); only an admin manages them.

Cognito has no conditional write, and a change of a user reads their groups, then adds and
removes: two at once (editor, then admin) would leave the user in both groups. So the changes
of one user run one at a time: each holds a lease on the user (`UserLeases`, a conditional
write in the vault's table) for its duration, and a change that finds another's lease is
refused with 409 ("try again"), having changed nothing. A lease runs out (`LEASE`, longer than
the functions' timeout), so one left by a function that died never blocks the user for long.

"Never remove the last admin" concerns two users, so it is kept in two steps: an admin is
refused when they are the only one, and after taking a user out of `admin` the group is
counted again; if a concurrent change emptied it, this change is undone and refused (409).
Two admins demoting each other at once may both be refused (each told that another change
left no other admin meanwhile); the pool never stays without one.

The pool is the shop's: a vault role can be given to a shopper's account as well as to one the
vault made by invitation. Removing a user takes their roles away and signs them out
everywhere; it deletes the account only when the vault made it (`Invitations`), never a
shopper's, whose orders and sign-in are the shop's.

Each change runs as every change made through the vault does (`audit.audited`): its entry
is written `pending` before its first Cognito call and rewritten with the outcome, so a
change Cognito refuses half-way is in the trail as `failed`. One that held is then logged
and e-mailed to the users list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from shop_common.clock import iso_timestamp
from shop_common.errors import ConflictError, FieldError, NotFoundError
from shop_common.observability import logger
from vault.audit import audited
from vault.dependencies import VaultRecords
from vault.models import AuditAction, NotificationEvent, VaultCaller, VaultRole
from vault.notifications import notify
from vault.undo import undone_on_failure
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
# How long a change may hold its lease on a user: past the user functions' timeout (20 s),
# so a lease runs out only once its function has ended, whatever became of it.
LEASE = timedelta(seconds=60)


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


class Invitations(Protocol):
    """The accounts the vault made by invitation, each by its name and Cognito's id (`sub`):
    a name the vault invited, deleted and signed up again by a shopper is another account."""

    def record(self, user: PoolUser) -> None: ...

    def made(self, user: PoolUser) -> bool: ...

    def forget(self, user: PoolUser) -> None: ...


class UserLeases(Protocol):
    """Which change holds each user, so that the changes of one user run one at a time."""

    def take(self, username: str, holder: str, *, now: datetime, until: datetime) -> None:
        """The user's lease for `holder` until `until`; `ConflictError` naming `username` if
        another holder's runs past `now`."""
        ...

    def give_back(self, username: str, holder: str) -> None:
        """Ends `holder`'s lease (one that ran out and another change took is left to it)."""
        ...


@dataclass(frozen=True)
class UserDeps:
    pool: UserPool
    invitations: Invitations
    leases: UserLeases
    # The vault's: the audit trail and the notifications of each change.
    vault: VaultRecords


@dataclass(frozen=True)
class _Done:
    """What a change did: the user as it left them (a removed one: as they were), their
    role before and after; `changed` is False when they already were as asked."""

    user: PoolUser
    before: VaultRole | None
    after: VaultRole | None
    changed: bool = True
    # What else became of the account (a removal: deleted, or kept as a shopper's).
    account: str = ""


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
    return _changing(
        deps, caller, UserAction.INVITED, request.username, lambda: _invite(request, deps)
    ).user.as_vault_user()


def _invite(request: InviteIn, deps: UserDeps) -> _Done:
    user = deps.pool.create(request.username, request.email)
    with undone_on_failure(lambda: deps.pool.delete(user.username)):
        deps.pool.add_to_group(user.username, request.role)
        deps.invitations.record(user)
    return _Done(user.model_copy(update={"roles": {request.role}}), None, request.role)


def change(caller: VaultCaller, username: str, request: UserChangeIn, deps: UserDeps) -> VaultUser:
    """`POST /vault/users/{username}`: a new role, or a new password."""
    if request.role is not None:
        return change_role(caller, username, request.role, deps)
    return reset_password(caller, username, deps)


def change_role(caller: VaultCaller, username: str, role: VaultRole, deps: UserDeps) -> VaultUser:
    """The user's one vault role becomes `role`; a demoted user is signed out everywhere."""
    caller.require(VaultRole.ADMIN)
    return _changing(
        deps, caller, UserAction.ROLE_CHANGED, username, lambda: _change_role(username, role, deps)
    ).user.as_vault_user()


def _change_role(username: str, role: VaultRole, deps: UserDeps) -> _Done:
    user = _existing(deps, username)
    if user.roles == {role}:
        return _Done(user, user.role, role, changed=False)
    leaving = user.roles - {role}
    if VaultRole.ADMIN in leaving:
        _refuse_last_admin(deps, "role")
    with undone_on_failure(lambda: _restore(deps, user)):
        deps.pool.add_to_group(user.username, role)
        for old in leaving:
            deps.pool.remove_from_group(user.username, old)
    if VaultRole.ADMIN in leaving:
        _undo_if_no_admin_left(deps, "role", undo=lambda: _restore(deps, user))
    if user.role is not None and user.role.rank > role.rank:
        deps.pool.sign_out_everywhere(user.username)
    return _Done(user.model_copy(update={"roles": {role}}), user.role, role)


def reset_password(caller: VaultCaller, username: str, deps: UserDeps) -> VaultUser:
    """A new password for the user, who is signed out everywhere: an invited user who never
    signed in gets the invitation again (a new temporary password), any other user a code
    to choose a new one (Cognito's AdminResetUserPassword)."""
    caller.require(VaultRole.ADMIN)
    return _changing(
        deps, caller, UserAction.PASSWORD_RESET, username, lambda: _reset_password(username, deps)
    ).user.as_vault_user()


def _reset_password(username: str, deps: UserDeps) -> _Done:
    user = _vault_user(deps, username)
    if user.status == INVITED_STATUS:
        deps.pool.resend_invitation(user.username)
    else:
        deps.pool.reset_password(user.username)
        deps.pool.sign_out_everywhere(user.username)
    return _Done(_existing(deps, user.username), user.role, user.role)


def remove(caller: VaultCaller, username: str, deps: UserDeps) -> None:
    """The user is signed out everywhere and loses every vault role (never the last admin);
    an account the vault made by invitation is deleted, a shopper's is kept."""
    caller.require(VaultRole.ADMIN)
    _changing(deps, caller, UserAction.REMOVED, username, lambda: _remove(username, deps))


def _remove(username: str, deps: UserDeps) -> _Done:
    user = _vault_user(deps, username)
    if VaultRole.ADMIN in user.roles:
        _refuse_last_admin(deps, "username")
        deps.pool.remove_from_group(user.username, VaultRole.ADMIN)
        _undo_if_no_admin_left(deps, "username", undo=lambda: _restore(deps, user))
    invited = deps.invitations.made(user)
    # A sign-out is not undone: a user Cognito then failed to delete signs in again.
    with undone_on_failure(lambda: _restore(deps, user)):
        deps.pool.sign_out_everywhere(user.username)
        if invited:
            _delete_invited(deps, user)
        else:
            for role in user.roles - {VaultRole.ADMIN}:
                deps.pool.remove_from_group(user.username, role)
    account = "account deleted" if invited else "a shopper's account, kept"
    return _Done(user, user.role, None, account=account)


def _delete_invited(deps: UserDeps, user: PoolUser) -> None:
    """The account the vault made, and its record of it, forgotten first. The record comes
    back only with the account (a concurrent removal may have deleted it)."""
    deps.invitations.forget(user)
    with undone_on_failure(lambda: _record_if_there(deps, user)):
        deps.pool.delete(user.username)


def _record_if_there(deps: UserDeps, user: PoolUser) -> None:
    found = deps.pool.find(user.username)
    if found is not None and found.sub == user.sub:
        deps.invitations.record(user)


def _changing(
    deps: UserDeps,
    caller: VaultCaller,
    action: UserAction,
    username: str,
    change: Callable[[], _Done],
) -> _Done:
    """`change`, holding the user's lease, between its audit entry, `pending`, and its
    outcome; once it held (and changed something), logged and e-mailed to the users list."""
    done = audited(
        deps.vault,
        caller,
        AuditAction.USERS,
        lambda: _leased(deps, username, change),
        detail=f"{action} {username}",
        result=_result,
    )
    if done.changed:
        _report(deps, caller, action, done)
    return done


def _leased(deps: UserDeps, username: str, change: Callable[[], _Done]) -> _Done:
    holder = deps.vault.id_factory()
    now = deps.vault.clock()
    deps.leases.take(username, holder, now=now, until=now + LEASE)
    try:
        return change()
    finally:
        try:
            deps.leases.give_back(username, holder)
        except Exception:
            # The change's outcome stands: the lease runs out by itself.
            logger.exception("Could not give back a lease on a vault user")


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
    """A concurrent change may have taken the other admin out meanwhile: then undo this one.
    Its refusal says so: the user was not the last admin when it began (two admins demoting
    each other are both refused, and either may try again)."""
    if deps.pool.count_members(VaultRole.ADMIN, up_to=1) == 0:
        undo()
        raise ConflictError(
            "Another change meanwhile left no other admin, so this one is undone: try again",
            [FieldError(field_name, "no other admin left after a concurrent change")],
        )


def _restore(deps: UserDeps, user: PoolUser) -> None:
    """The user's groups as they were before a refused change of role; a user deleted
    meanwhile has none to restore (the change's caller gets its 404)."""
    try:
        now = _existing(deps, user.username).roles
        for role in user.roles - now:
            deps.pool.add_to_group(user.username, role)
        for role in now - user.roles:
            deps.pool.remove_from_group(user.username, role)
    except NotFoundError:
        return


def _roles(done: _Done) -> str:
    return f"role {done.before or 'none'} -> {done.after or 'none'}"


def _result(done: _Done) -> str:
    result = _roles(done) if done.changed else f"unchanged, {_roles(done)}"
    return f"{result}, {done.account}" if done.account else result


def _report(deps: UserDeps, caller: VaultCaller, action: UserAction, done: _Done) -> None:
    event = UserChanged(
        action=action,
        username=done.user.username,
        by=caller.username,
        at=iso_timestamp(deps.vault.clock()),
        role_before=done.before,
        role_after=done.after,
    )
    # Who (usernames) stays out of the log: the audit trail keeps it.
    logger.info("Vault user changed", **event.model_dump(mode="json", exclude={"username", "by"}))
    notify(
        deps.vault,
        NotificationEvent.USERS_CHANGED,
        f"Vault user {event.username}: {event.action}",
        [
            f"{event.by} made this change at {event.at}: {event.username} {event.action}"
            f" ({_result(done)})."
        ],
    )
