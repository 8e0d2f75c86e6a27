"""The notification lists (an admin sets them, a viewer reads them) and the e-mail each
event sends to its list through the shop's notifier."""

import pytest

from shop_common.errors import ForbiddenError, InvalidRequestError
from shop_common.notify import MailDeliveryError
from shop_common.validation import validate_body
from tests.builders.distributions import distribution_config
from tests.builders.mail import RecordingNotifier
from tests.unit.vault.fakes import FakeCloudFront, InMemoryInvitations, InMemoryUserLeases
from tests.unit.vault.user_pool_fake import InMemoryUserPool
from vault import audit, detection, logic, notifications, users
from vault.dependencies import VaultDeps
from vault.models import (
    AuditAction,
    AuditQuery,
    CreateIn,
    NotificationLists,
    Outcome,
    RollbackIn,
    VaultCaller,
    VaultRole,
)

ADMIN = VaultCaller(username="ada", sub="sub-ada", vault_role=VaultRole.ADMIN)
EDITOR = VaultCaller(username="edith", sub="sub-edith", vault_role=VaultRole.EDITOR)
VIEWER = VaultCaller(username="vic", sub="sub-vic", vault_role=VaultRole.VIEWER)
OPS = "ops@example.com"
ONCALL = "oncall@example.com"
EVERY_EVENT = NotificationLists(
    version_detected=[OPS],
    distribution_deleted=[OPS],
    distribution_changed=[OPS, ONCALL],
    detection_failed=[ONCALL],
)


@pytest.fixture
def subscribed(deps: VaultDeps, cloudfront: FakeCloudFront) -> str:
    """Lists for every event the vault has today, and E1 at version 1: its ETag."""
    notifications.set_lists(ADMIN, EVERY_EVENT, deps)
    live = cloudfront.add("E1", distribution_config(comment="one"))
    logic.capture(EDITOR, "E1", "", deps)
    return live.etag


def test_an_admin_sets_the_lists_a_viewer_reads_them_and_the_change_is_audited(
    deps: VaultDeps,
) -> None:
    saved = notifications.set_lists(ADMIN, EVERY_EVENT, deps)

    assert notifications.get_lists(VIEWER, deps) == saved == EVERY_EVENT
    (entry,) = audit.list_entries(VIEWER, AuditQuery(), deps).entries
    assert (entry.action, entry.who, entry.outcome) == (
        AuditAction.NOTIFICATIONS,
        "ada",
        Outcome.SUCCEEDED,
    )


def test_an_editor_cannot_change_the_lists(deps: VaultDeps) -> None:
    with pytest.raises(ForbiddenError):
        notifications.set_lists(EDITOR, EVERY_EVENT, deps)

    assert notifications.get_lists(VIEWER, deps) == NotificationLists()


def test_an_invalid_address_is_named_by_its_event_and_index() -> None:
    body = {"distribution_changed": [OPS, "not an address"], "deleted": []}

    with pytest.raises(InvalidRequestError) as refused:
        validate_body(body, NotificationLists)

    assert [error.field for error in refused.value.errors] == ["distribution_changed.1", "deleted"]


def test_an_address_twice_on_a_list_is_refused_naming_the_list() -> None:
    body = {"users_changed": [OPS, "a@example.com", OPS.upper()]}

    with pytest.raises(InvalidRequestError) as refused:
        validate_body(body, NotificationLists)

    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("users_changed", "entry 2 repeats entry 0")
    ]


@pytest.mark.parametrize("entry", ["ops,spy@evil.example", "x<y@evil.example>", "ops@localhost"])
def test_an_entry_that_is_not_exactly_one_address_is_refused(entry: str) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        validate_body({"users_changed": [entry]}, NotificationLists)

    assert [error.field for error in refused.value.errors] == ["users_changed.0"]


def test_a_rollback_e_mails_the_changed_list(
    deps: VaultDeps, cloudfront: FakeCloudFront, notifier: RecordingNotifier, subscribed: str
) -> None:
    cloudfront.change("E1", Comment="two")
    etag = logic.capture(EDITOR, "E1", "", deps).version.etag

    applied = logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=etag), deps)

    (email,) = notifier.sent
    assert email.to == (OPS, ONCALL)
    assert email.subject == "[Shop vault] Distribution E1 rolled back to version 1"
    assert f"now at version 3 (ETag {applied.etag})" in email.text
    assert "by edith" in email.text


def test_a_rollback_that_changes_nothing_e_mails_nothing(
    deps: VaultDeps, notifier: RecordingNotifier, subscribed: str
) -> None:
    # When E1 is rolled back to version 1, the configuration it has
    logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=subscribed), deps)

    # Then nobody is told of a change
    assert notifier.sent == []


def test_a_creation_e_mails_the_changed_list(
    deps: VaultDeps, notifier: RecordingNotifier, subscribed: str
) -> None:
    created = logic.create(EDITOR, CreateIn(source_id="E1", version=1), deps)

    (email,) = notifier.sent
    assert email.subject == f"[Shop vault] Distribution {created.distribution_id} created from E1"


def test_a_detected_change_e_mails_the_detected_list(
    deps: VaultDeps, cloudfront: FakeCloudFront, notifier: RecordingNotifier, subscribed: str
) -> None:
    cloudfront.change("E1", Comment="two")

    detection.run(deps)

    (email,) = notifier.sent
    assert (email.to, email.subject) == ((OPS,), "[Shop vault] Distribution E1 changed: version 2")


def test_a_deletion_e_mails_the_deleted_list(
    deps: VaultDeps, cloudfront: FakeCloudFront, notifier: RecordingNotifier, subscribed: str
) -> None:
    del cloudfront.distributions["E1"]

    detection.run(deps)

    (email,) = notifier.sent
    assert (email.to, email.subject) == ((OPS,), "[Shop vault] Distribution E1 was deleted")


def test_a_throttled_run_e_mails_the_failed_run_list(
    deps: VaultDeps, cloudfront: FakeCloudFront, notifier: RecordingNotifier, subscribed: str
) -> None:
    cloudfront.throttled = True

    detection.run(deps)

    (email,) = notifier.sent
    assert (email.to, email.subject) == ((ONCALL,), "[Shop vault] A detection run did not finish")
    assert "nothing was marked deleted" in email.text


def test_an_event_with_an_empty_list_sends_nothing(
    deps: VaultDeps, cloudfront: FakeCloudFront, notifier: RecordingNotifier
) -> None:
    cloudfront.add("E1", distribution_config(comment="one"))
    detection.run(deps)
    cloudfront.change("E1", Comment="two")

    detection.run(deps)

    assert notifier.sent == []


# A transport's refusal, and a failure no mail transport reports (a library's ValueError).
EMAIL_FAILURES = {
    "refused": MailDeliveryError("SMTP server refused: 451"),
    "unexpected": ValueError("an address no header can hold"),
}


@pytest.mark.parametrize("failure", EMAIL_FAILURES.values(), ids=EMAIL_FAILURES.keys())
def test_an_e_mail_that_fails_never_fails_the_change_it_reports(
    failure: Exception,
    deps: VaultDeps,
    cloudfront: FakeCloudFront,
    notifier: RecordingNotifier,
    subscribed: str,
) -> None:
    # Given a notifier whose next e-mail fails
    notifier.failures, notifier.failure = 1, failure
    cloudfront.change("E1", Comment="two")
    etag = logic.capture(EDITOR, "E1", "", deps).version.etag
    # When a rollback is made
    applied = logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=etag), deps)
    # Then it holds and is answered for, with no e-mail sent
    assert cloudfront.get("E1").config["Comment"] == "one"
    assert applied.version.version == 3
    assert notifier.sent == []


def test_a_user_change_is_in_the_audit_trail_and_e_mailed_to_the_users_list(
    deps: VaultDeps, notifier: RecordingNotifier
) -> None:
    notifications.set_lists(ADMIN, NotificationLists(users_changed=[OPS]), deps)
    pool = InMemoryUserPool()
    pool.given("edith", VaultRole.EDITOR)

    users.change_role(
        ADMIN,
        "edith",
        VaultRole.VIEWER,
        users.UserDeps(
            pool=pool,
            invitations=InMemoryInvitations(),
            leases=InMemoryUserLeases(),
            vault=deps,
        ),
    )

    latest, *_ = audit.list_entries(VIEWER, AuditQuery(), deps).entries
    assert (latest.who, latest.action, latest.outcome, latest.result) == (
        "ada",
        AuditAction.USERS,
        Outcome.SUCCEEDED,
        "role editor -> viewer",
    )
    (email,) = notifier.sent
    assert (email.to, email.subject) == ((OPS,), "[Shop vault] Vault user edith: role-changed")
