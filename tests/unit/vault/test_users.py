"""Vault user management, on an in-memory user pool: only an admin manages users; never
without an admin, even when two changes race; a demoted user is signed out everywhere; each
change is in the audit trail, `pending` during its Cognito calls, then with its outcome."""

import base64
import dataclasses
import io
import json
from collections.abc import Callable

import pytest
from pydantic import ValidationError

from shop_common.api import parse_query
from shop_common.errors import (
    ConflictError,
    ForbiddenError,
    InvalidCursorError,
    InvalidRequestError,
    NotFoundError,
)
from tests.builders.callers import ADMIN, EDITOR, SHOPPER, VIEWER
from tests.builders.mail import RecordingNotifier
from tests.unit.vault.fakes import InMemoryAuditLog, InMemoryInvitations, InMemoryUserLeases
from tests.unit.vault.user_pool_fake import CognitoRefusedError, InMemoryUserPool
from vault import audit, notifications, users
from vault.dependencies import VaultDeps
from vault.models import (
    AuditAction,
    AuditEntry,
    AuditQuery,
    NotificationLists,
    Outcome,
    VaultCaller,
    VaultRole,
)
from vault.user_models import InviteIn, PoolUser, UserChangeIn, UserListQuery

ADMIN_CALLER = VaultCaller(username=ADMIN.username, sub=ADMIN.sub, vault_role=VaultRole.ADMIN)
NOT_ADMINS = [
    VaultCaller(username=EDITOR.username, sub=EDITOR.sub, vault_role=VaultRole.EDITOR),
    VaultCaller(username=VIEWER.username, sub=VIEWER.sub, vault_role=VaultRole.VIEWER),
    VaultCaller(username=SHOPPER.username, sub=SHOPPER.sub),
]


@pytest.fixture
def pool() -> InMemoryUserPool:
    pool = InMemoryUserPool()
    pool.given("admin", VaultRole.ADMIN)
    return pool


@pytest.fixture
def invitations() -> InMemoryInvitations:
    return InMemoryInvitations()


@pytest.fixture
def leases() -> InMemoryUserLeases:
    return InMemoryUserLeases()


@pytest.fixture
def deps(
    pool: InMemoryUserPool,
    invitations: InMemoryInvitations,
    leases: InMemoryUserLeases,
    deps: VaultDeps,
) -> users.UserDeps:
    """The user functions' deps on the vault's (conftest.py's `deps`: its trail, its notifier)."""
    return users.UserDeps(pool=pool, invitations=invitations, leases=leases, vault=deps)


def change_role(username: str, role: VaultRole, deps: users.UserDeps) -> None:
    users.change(ADMIN_CALLER, username, UserChangeIn(role=role), deps)


@pytest.fixture
def subscribed(deps: users.UserDeps) -> None:
    """An address on the users list."""
    lists = NotificationLists(users_changed=["ops@example.com"])
    notifications.set_lists(ADMIN_CALLER, lists, deps.vault)


def latest_entry(deps: users.UserDeps) -> AuditEntry:
    latest, *_ = audit.list_entries(ADMIN_CALLER, AuditQuery(), deps.vault).entries
    return latest


def test_the_listing_pages_admins_then_editors_then_viewers(
    pool: InMemoryUserPool, deps: users.UserDeps
) -> None:
    # Given an admin, two editors and a viewer
    pool.given("edith", VaultRole.EDITOR)
    pool.given("eve", VaultRole.EDITOR)
    pool.given("vic", VaultRole.VIEWER)
    pool.given("shopper")
    # When they are listed two by two
    first = users.list_users(ADMIN_CALLER, UserListQuery(limit=2), deps)
    second = users.list_users(ADMIN_CALLER, UserListQuery(limit=2, cursor=first.next_cursor), deps)
    # Then every vault user comes once, with their role, and no shopper
    listed = [(user.username, user.role) for user in first.users + second.users]
    assert listed == [
        ("admin", VaultRole.ADMIN),
        ("edith", VaultRole.EDITOR),
        ("eve", VaultRole.EDITOR),
        ("vic", VaultRole.VIEWER),
    ]
    assert second.next_cursor is None


@pytest.mark.parametrize(
    "cursor",
    [
        "bm90LWEtY3Vyc29y",
        # the listing's own shape, with an empty Cognito token (botocore's error, a 502)
        base64.urlsafe_b64encode(b'{"listing":"vault/users","role":"viewer","token":""}').decode(),
    ],
    ids=["not a cursor", "an empty token"],
)
def test_a_cursor_the_listing_did_not_issue_is_refused(deps: users.UserDeps, cursor: str) -> None:
    with pytest.raises(InvalidCursorError):
        users.list_users(ADMIN_CALLER, UserListQuery(cursor=cursor), deps)


@pytest.mark.parametrize("limit", ["1_0", "+5", "5.0", " 1"])
def test_a_limit_not_in_digits_is_refused_naming_it(limit: str) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        parse_query({"limit": limit}, UserListQuery)
    assert [error.field for error in refused.value.errors] == ["limit"]


def test_an_invited_user_has_the_role_and_the_change_is_in_the_trail(
    pool: InMemoryUserPool, deps: users.UserDeps
) -> None:
    # When the admin invites an editor
    invited = users.invite(
        ADMIN_CALLER, InviteIn(username="edith", email="e@example.com", role="editor"), deps
    )
    # Then Cognito sent the invitation, the user is an editor who has not signed in yet
    assert pool.invitations == ["edith"]
    assert (invited.role, invited.status) == (VaultRole.EDITOR, "FORCE_CHANGE_PASSWORD")
    assert pool.roles_of("edith") == {VaultRole.EDITOR}
    latest = latest_entry(deps)
    assert (latest.who, latest.action, latest.detail, latest.outcome, latest.result) == (
        "admin",
        AuditAction.USERS,
        "invited edith",
        Outcome.SUCCEEDED,
        "role none -> editor",
    )


def test_a_demoted_user_is_signed_out_everywhere(
    pool: InMemoryUserPool, deps: users.UserDeps
) -> None:
    pool.given("edith", VaultRole.EDITOR)
    change_role("edith", VaultRole.VIEWER, deps)
    assert pool.roles_of("edith") == {VaultRole.VIEWER}
    assert pool.signed_out == ["edith"]


def test_a_promoted_user_keeps_their_sessions(pool: InMemoryUserPool, deps: users.UserDeps) -> None:
    pool.given("vic", VaultRole.VIEWER)
    change_role("vic", VaultRole.ADMIN, deps)
    assert pool.roles_of("vic") == {VaultRole.ADMIN}
    assert pool.signed_out == []


def test_the_last_admin_cannot_be_demoted(pool: InMemoryUserPool, deps: users.UserDeps) -> None:
    with pytest.raises(ConflictError) as refused:
        change_role("admin", VaultRole.EDITOR, deps)
    assert [error.field for error in refused.value.errors] == ["role"]
    assert pool.roles_of("admin") == {VaultRole.ADMIN}
    assert pool.signed_out == []


def test_the_last_admin_cannot_be_removed(pool: InMemoryUserPool, deps: users.UserDeps) -> None:
    with pytest.raises(ConflictError) as refused:
        users.remove(ADMIN_CALLER, "admin", deps)
    assert [error.field for error in refused.value.errors] == ["username"]
    assert pool.roles_of("admin") == {VaultRole.ADMIN}


@pytest.mark.usefixtures("subscribed")
def test_a_demotion_that_races_another_is_undone_rather_than_leave_no_admin(
    pool: InMemoryUserPool, deps: users.UserDeps, notifier: RecordingNotifier
) -> None:
    # Given two admins, and the other one demoted meanwhile by another admin's request
    pool.given("ada", VaultRole.ADMIN)

    def other_request_demotes_ada(username: str, role: VaultRole) -> None:
        if username == "admin":
            pool.users["ada"] = pool.users["ada"].model_copy(update={"roles": frozenset()})

    pool.after_removal = other_request_demotes_ada
    # When this request demotes the first admin
    with pytest.raises(ConflictError) as refused:
        change_role("admin", VaultRole.EDITOR, deps)
    # Then the demotion is undone and says why (another change, not the last admin): the
    # pool still has an admin, the trail says it failed
    assert refused.value.message.startswith("Another change meanwhile left no other admin")
    assert pool.roles_of("admin") == {VaultRole.ADMIN}
    assert latest_entry(deps).outcome is Outcome.FAILED
    assert notifier.sent == []


def test_a_removal_that_races_a_demotion_leaves_the_admin_in_place(
    pool: InMemoryUserPool, deps: users.UserDeps
) -> None:
    pool.given("ada", VaultRole.ADMIN)

    def other_request_demotes_admin(username: str, role: VaultRole) -> None:
        if username == "ada":
            pool.users["admin"] = pool.users["admin"].model_copy(update={"roles": frozenset()})

    pool.after_removal = other_request_demotes_admin
    with pytest.raises(ConflictError):
        users.remove(ADMIN_CALLER, "ada", deps)
    assert pool.roles_of("ada") == {VaultRole.ADMIN}


def test_a_role_change_of_a_user_removed_meanwhile_is_a_404_and_logs_no_error(
    pool: InMemoryUserPool, deps: users.UserDeps, log_lines: io.StringIO
) -> None:
    # Given an editor whom another request removes once this one put them in `viewer`
    pool.given("edith", VaultRole.EDITOR)

    def other_request_removes_edith(call: str, username: str) -> None:
        if call == "remove_from_group":
            pool.users.pop(username.casefold())

    pool.before_group_change = other_request_removes_edith
    # When this request makes them a viewer
    with pytest.raises(NotFoundError):
        change_role("edith", VaultRole.VIEWER, deps)
    # Then a user who is gone needs no restoring: nothing is logged as an error
    levels = [json.loads(line)["level"] for line in log_lines.getvalue().splitlines()]
    assert "ERROR" not in levels


def test_a_role_change_while_another_of_the_user_is_under_way_is_a_409_and_changes_nothing(
    pool: InMemoryUserPool, deps: users.UserDeps
) -> None:
    # Given a viewer, and another request making them admin once this one read their groups
    pool.given("vview", VaultRole.VIEWER)
    refused: list[ConflictError] = []

    def other_request_makes_vview_admin(call: str, username: str) -> None:
        pool.before_group_change = lambda call, username: None
        try:
            change_role("vview", VaultRole.ADMIN, deps)
        except ConflictError as conflict:
            refused.append(conflict)

    pool.before_group_change = other_request_makes_vview_admin
    # When this request makes them an editor
    change_role("vview", VaultRole.EDITOR, deps)
    # Then the other request was refused naming the user, and they have this one role alone
    assert [[error.field for error in conflict.errors] for conflict in refused] == [["username"]]
    assert pool.roles_of("vview") == {VaultRole.EDITOR}


def test_a_lease_left_by_a_change_that_died_runs_out(
    pool: InMemoryUserPool, leases: InMemoryUserLeases, deps: users.UserDeps
) -> None:
    # Given an editor whose lease a change that died took, and which ran out
    pool.given("edith", VaultRole.EDITOR)
    now = deps.vault.clock()
    leases.take("edith", "died", now=now - users.LEASE, until=now)
    # When the admin makes them a viewer
    change_role("edith", VaultRole.VIEWER, deps)
    # Then the change is made, and gives its lease back
    assert pool.roles_of("edith") == {VaultRole.VIEWER}
    assert leases.held == {}


def test_a_lease_not_given_back_leaves_the_change_made(
    pool: InMemoryUserPool, deps: users.UserDeps, log_lines: io.StringIO
) -> None:
    # Given an editor, and leases that cannot be given back (the table refusing)
    pool.given("edith", VaultRole.EDITOR)

    class Kept(InMemoryUserLeases):
        def give_back(self, username: str, holder: str) -> None:
            raise ConnectionError("the table did not answer")

    kept = dataclasses.replace(deps, leases=Kept())
    # When the admin makes them a viewer
    change_role("edith", VaultRole.VIEWER, kept)
    # Then the change holds and is in the trail so; the lease is left to run out
    assert pool.roles_of("edith") == {VaultRole.VIEWER}
    assert latest_entry(deps).outcome is Outcome.SUCCEEDED
    assert "Could not give back a lease" in log_lines.getvalue()


def test_one_of_two_admins_can_be_demoted(pool: InMemoryUserPool, deps: users.UserDeps) -> None:
    pool.given("ada", VaultRole.ADMIN)
    change_role("admin", VaultRole.VIEWER, deps)
    assert pool.roles_of("admin") == {VaultRole.VIEWER}
    assert pool.signed_out == ["admin"]


def test_a_removed_invited_user_is_signed_out_and_deleted(
    pool: InMemoryUserPool, invitations: InMemoryInvitations, deps: users.UserDeps
) -> None:
    # Given a user the vault invited
    users.invite(
        ADMIN_CALLER, InviteIn(username="edith", email="e@example.com", role="editor"), deps
    )
    # When the admin removes them
    users.remove(ADMIN_CALLER, "edith", deps)
    # Then their account is gone, and so is the vault's record of it
    assert pool.find("edith") is None
    assert pool.signed_out == ["edith"]
    assert invitations.subs == {}
    assert (latest_entry(deps).detail, latest_entry(deps).result) == (
        "removed edith",
        "role editor -> none, account deleted",
    )


def test_a_shopper_who_took_the_name_of_a_removed_invited_user_keeps_their_account(
    pool: InMemoryUserPool, invitations: InMemoryInvitations, deps: users.UserDeps
) -> None:
    # Given a name the vault invited, whose account went (deleted outside the vault, the
    # record left), then signed up again by a shopper whom the admin made a viewer
    invited = users.invite(
        ADMIN_CALLER, InviteIn(username="sam", email="s@example.com", role="viewer"), deps
    )
    pool.users.pop(invited.username)
    pool.given("sam")
    change_role("sam", VaultRole.VIEWER, deps)
    # When the admin removes them from the vault
    users.remove(ADMIN_CALLER, "sam", deps)
    # Then the shopper's account is another account than the one invited: it is kept
    assert pool.roles_of("sam") == set()


class RemovedMeanwhile(InMemoryUserPool):
    """A pool where another removal deletes the user just before this one's delete."""

    def delete(self, username: str) -> None:
        self.users.pop(username.casefold(), None)
        super().delete(username)


def test_a_removal_that_loses_a_race_to_another_leaves_no_record_of_the_name(
    invitations: InMemoryInvitations, deps: users.UserDeps
) -> None:
    # Given a user the vault invited, whom another removal deletes during this one
    pool = RemovedMeanwhile()
    pool.given("admin", VaultRole.ADMIN)
    racing = dataclasses.replace(deps, pool=pool)
    users.invite(
        ADMIN_CALLER, InviteIn(username="dbl", email="d@example.com", role="viewer"), racing
    )
    # When this removal finds the account gone
    with pytest.raises(NotFoundError):
        users.remove(ADMIN_CALLER, "dbl", racing)
    # Then the name is not recorded as the vault's: a later shopper of that name keeps theirs
    assert invitations.subs == {}


def test_a_removed_shopper_given_a_role_keeps_their_account_without_it(
    pool: InMemoryUserPool, deps: users.UserDeps
) -> None:
    # Given a shopper's account that the admin made a viewer
    pool.given("sam")
    change_role("sam", VaultRole.VIEWER, deps)
    # When the admin removes them from the vault
    users.remove(ADMIN_CALLER, "sam", deps)
    # Then the shop account is kept, with no vault role, and signed out everywhere
    assert pool.roles_of("sam") == set()
    assert pool.signed_out == ["sam"]
    assert latest_entry(deps).result == "role viewer -> none, a shopper's account, kept"


def test_a_removed_admin_not_invited_keeps_their_account_without_a_role(
    pool: InMemoryUserPool, deps: users.UserDeps
) -> None:
    pool.given("ada", VaultRole.ADMIN)

    users.remove(ADMIN_CALLER, "ada", deps)

    assert pool.roles_of("ada") == set()


def test_the_vault_does_not_remove_a_shopper(pool: InMemoryUserPool, deps: users.UserDeps) -> None:
    pool.given("alice")
    with pytest.raises(NotFoundError):
        users.remove(ADMIN_CALLER, "alice", deps)
    assert pool.find("alice") is not None


@pytest.mark.parametrize(
    "act",
    [
        lambda deps: change_role("nobody", VaultRole.VIEWER, deps),
        lambda deps: users.change(
            ADMIN_CALLER, "nobody", UserChangeIn(action="reset_password"), deps
        ),
        lambda deps: users.remove(ADMIN_CALLER, "nobody", deps),
    ],
    ids=["role", "reset", "remove"],
)
def test_an_unknown_username_is_a_404_naming_it(act, deps: users.UserDeps) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError) as refused:
        act(deps)
    assert [error.field for error in refused.value.errors] == ["username"]


def test_a_reset_sends_an_invited_user_their_invitation_again(
    pool: InMemoryUserPool, deps: users.UserDeps
) -> None:
    pool.given("newbie", VaultRole.VIEWER, status="FORCE_CHANGE_PASSWORD")
    users.change(ADMIN_CALLER, "newbie", UserChangeIn(action="reset_password"), deps)
    assert (pool.invitations, pool.password_resets) == (["newbie"], [])


def test_a_reset_of_a_confirmed_user_signs_them_out(
    pool: InMemoryUserPool, deps: users.UserDeps
) -> None:
    pool.given("edith", VaultRole.EDITOR)
    users.change(ADMIN_CALLER, "edith", UserChangeIn(action="reset_password"), deps)
    assert (pool.password_resets, pool.signed_out) == (["edith"], ["edith"])


@pytest.mark.parametrize("caller", NOT_ADMINS, ids=lambda caller: caller.vault_role or "no role")
def test_only_an_admin_manages_users(
    caller: VaultCaller, pool: InMemoryUserPool, deps: users.UserDeps
) -> None:
    pool.given("edith", VaultRole.EDITOR)
    with pytest.raises(ForbiddenError):
        users.list_users(caller, UserListQuery(), deps)
    with pytest.raises(ForbiddenError):
        users.invite(caller, InviteIn(username="x", email="x@example.com", role="viewer"), deps)
    with pytest.raises(ForbiddenError):
        users.change(caller, "edith", UserChangeIn(role=VaultRole.ADMIN), deps)
    with pytest.raises(ForbiddenError):
        users.remove(caller, "edith", deps)
    assert pool.roles_of("edith") == {VaultRole.EDITOR}


@pytest.mark.parametrize("character", ["\x1c", "\x1e", "\x00", "\x7f"])
def test_an_invitation_to_an_address_with_a_control_character_is_refused(character: str) -> None:
    with pytest.raises(ValidationError) as refused:
        InviteIn(username="edith", email=f"edith{character}@example.com", role="editor")

    assert refused.value.errors()[0]["loc"] == ("email",)


# Each change, on a pool holding an editor, with the Cognito call it makes after another held.
HALF_WAY: dict[str, tuple[Callable[[users.UserDeps], object], str, str]] = {
    "invite": (
        lambda deps: users.invite(
            ADMIN_CALLER, InviteIn(username="vic", email="v@example.com", role="viewer"), deps
        ),
        "add_to_group",
        "invited vic",
    ),
    "role": (
        lambda deps: change_role("edith", VaultRole.VIEWER, deps),
        "remove_from_group",
        "role-changed edith",
    ),
    "reset": (
        lambda deps: users.change(
            ADMIN_CALLER, "edith", UserChangeIn(action="reset_password"), deps
        ),
        "sign_out_everywhere",
        "password-reset edith",
    ),
    "remove": (
        lambda deps: users.remove(ADMIN_CALLER, "edith", deps),
        "remove_from_group",
        "removed edith",
    ),
}


@pytest.mark.parametrize(("act", "refused", "detail"), HALF_WAY.values(), ids=HALF_WAY.keys())
def test_a_change_cognito_refuses_half_way_is_failed_in_the_trail(
    act: Callable[[users.UserDeps], object],
    refused: str,
    detail: str,
    pool: InMemoryUserPool,
    deps: users.UserDeps,
) -> None:
    # Given an editor, and Cognito refusing a call the change makes after an earlier one held
    pool.given("edith", VaultRole.EDITOR)
    pool.refusing = refused

    # When the admin makes the change
    with pytest.raises(CognitoRefusedError):
        act(deps)

    # Then the attempt is in the trail, failed, by its kind (a client's error, not its text)
    latest = latest_entry(deps)
    assert (latest.who, latest.action, latest.detail, latest.outcome, latest.reason) == (
        "admin",
        AuditAction.USERS,
        detail,
        Outcome.FAILED,
        "internal error (CognitoRefusedError)",
    )


class ObservedUserPool(InMemoryUserPool):
    """A pool that notes the trail's outcomes at the moment of each user's creation."""

    def __init__(self, trail: InMemoryAuditLog) -> None:
        super().__init__()
        self.trail = trail
        self.outcomes_at_create: list[list[Outcome]] = []

    def create(self, username: str, email: str) -> PoolUser:
        self.outcomes_at_create.append([entry.outcome for entry in self.trail.entries.values()])
        return super().create(username, email)


def test_an_invitation_is_pending_in_the_trail_during_its_cognito_calls(
    deps: users.UserDeps,
) -> None:
    # Given a pool that looks at the trail when Cognito is called
    trail = InMemoryAuditLog()
    pool = ObservedUserPool(trail)
    pool.given("admin", VaultRole.ADMIN)
    observed = dataclasses.replace(
        deps, pool=pool, vault=dataclasses.replace(deps.vault, audit=trail)
    )

    # When the admin invites a user
    users.invite(
        ADMIN_CALLER, InviteIn(username="vic", email="v@example.com", role="viewer"), observed
    )

    # Then the entry was pending while Cognito created the user, and succeeded after
    assert pool.outcomes_at_create == [[Outcome.PENDING]]
    assert [entry.outcome for entry in trail.entries.values()] == [Outcome.SUCCEEDED]


@pytest.mark.usefixtures("subscribed")
def test_a_role_the_user_already_has_is_in_the_trail_as_unchanged_and_e_mailed_to_nobody(
    pool: InMemoryUserPool, deps: users.UserDeps, notifier: RecordingNotifier
) -> None:
    pool.given("edith", VaultRole.EDITOR)

    change_role("edith", VaultRole.EDITOR, deps)

    assert latest_entry(deps).result == "unchanged, role editor -> editor"
    assert notifier.sent == []


@pytest.mark.parametrize("change", ["invite", "role", "remove"])
def test_a_change_cognito_refuses_half_way_leaves_the_pool_as_it_was(
    change: str, pool: InMemoryUserPool, deps: users.UserDeps
) -> None:
    # Given an editor, and Cognito refusing a call the change makes after an earlier one held
    pool.given("edith", VaultRole.EDITOR)
    before = dict(pool.users)
    act, refused, _ = HALF_WAY[change]
    pool.refusing = refused

    # When the admin makes the change
    with pytest.raises(CognitoRefusedError):
        act(deps)

    # Then what held before the refusal is undone: the pool's users and groups are as they were
    assert pool.users == before


def test_an_admin_cognito_fails_to_delete_is_still_an_admin_the_vault_invited(
    pool: InMemoryUserPool, invitations: InMemoryInvitations, deps: users.UserDeps
) -> None:
    # Given a second admin the vault invited, and Cognito refusing to delete them once they
    # left the group
    ada = pool.given("ada", VaultRole.ADMIN)
    invitations.record(ada)
    pool.refusing = "delete"

    # When the admin removes them
    with pytest.raises(CognitoRefusedError):
        users.remove(ADMIN_CALLER, "ada", deps)

    # Then they are an admin still, and still the vault's to delete
    assert pool.roles_of("ada") == {VaultRole.ADMIN}
    assert invitations.made(ada)
