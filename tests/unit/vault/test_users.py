"""Vault user management, on an in-memory user pool: only an admin manages users; never
without an admin, even when two changes race; a demoted user is signed out everywhere."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from shop_common.errors import (
    ConflictError,
    ForbiddenError,
    InvalidCursorError,
    NotFoundError,
)
from tests.builders.callers import ADMIN, EDITOR, SHOPPER, VIEWER
from tests.unit.vault.user_pool_fake import InMemoryUserPool
from vault import users
from vault.models import VaultCaller, VaultRole
from vault.user_models import InviteIn, UserAction, UserChanged, UserChangeIn, UserListQuery

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
def events() -> list[UserChanged]:
    return []


@pytest.fixture
def deps(pool: InMemoryUserPool, events: list[UserChanged]) -> users.UserDeps:
    return users.UserDeps(
        pool=pool, clock=lambda: datetime(2026, 12, 6, 12, 0, tzinfo=UTC), on_change=events.append
    )


def change_role(username: str, role: VaultRole, deps: users.UserDeps) -> None:
    users.change(ADMIN_CALLER, username, UserChangeIn(role=role), deps)


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


def test_a_cursor_the_listing_did_not_issue_is_refused(deps: users.UserDeps) -> None:
    with pytest.raises(InvalidCursorError):
        users.list_users(ADMIN_CALLER, UserListQuery(cursor="bm90LWEtY3Vyc29y"), deps)


def test_an_invited_user_has_the_role_and_the_change_is_published(
    pool: InMemoryUserPool, deps: users.UserDeps, events: list[UserChanged]
) -> None:
    # When the admin invites an editor
    invited = users.invite(
        ADMIN_CALLER, InviteIn(username="edith", email="e@example.com", role="editor"), deps
    )
    # Then Cognito sent the invitation, the user is an editor who has not signed in yet
    assert pool.invitations == ["edith"]
    assert (invited.role, invited.status) == (VaultRole.EDITOR, "FORCE_CHANGE_PASSWORD")
    assert pool.roles_of("edith") == {VaultRole.EDITOR}
    assert events == [
        UserChanged(
            action=UserAction.INVITED,
            username="edith",
            by="admin",
            at="2026-12-06T12:00:00Z",
            role_after=VaultRole.EDITOR,
        )
    ]


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


def test_a_demotion_that_races_another_is_undone_rather_than_leave_no_admin(
    pool: InMemoryUserPool, deps: users.UserDeps, events: list[UserChanged]
) -> None:
    # Given two admins, and the other one demoted meanwhile by another admin's request
    pool.given("ada", VaultRole.ADMIN)

    def other_request_demotes_ada(username: str, role: VaultRole) -> None:
        if username == "admin":
            pool.users["ada"] = pool.users["ada"].model_copy(update={"roles": frozenset()})

    pool.after_removal = other_request_demotes_ada
    # When this request demotes the first admin
    with pytest.raises(ConflictError):
        change_role("admin", VaultRole.EDITOR, deps)
    # Then the demotion is undone: the pool still has an admin, nothing was published
    assert pool.roles_of("admin") == {VaultRole.ADMIN}
    assert events == []


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


def test_one_of_two_admins_can_be_demoted(pool: InMemoryUserPool, deps: users.UserDeps) -> None:
    pool.given("ada", VaultRole.ADMIN)
    change_role("admin", VaultRole.VIEWER, deps)
    assert pool.roles_of("admin") == {VaultRole.VIEWER}
    assert pool.signed_out == ["admin"]


def test_a_removed_user_is_signed_out_and_deleted(
    pool: InMemoryUserPool, deps: users.UserDeps, events: list[UserChanged]
) -> None:
    pool.given("edith", VaultRole.EDITOR)
    users.remove(ADMIN_CALLER, "edith", deps)
    assert pool.find("edith") is None
    assert pool.signed_out == ["edith"]
    assert [(event.action, event.role_before) for event in events] == [
        (UserAction.REMOVED, VaultRole.EDITOR)
    ]


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
