"""The vault's schedules on in-memory stand-ins: the default hourly one, a distribution's own,
who may change them, a failed request that changes nothing, and each run kept as the last."""

import dataclasses
from collections.abc import Callable

import pytest

from shop_common.errors import ConflictError, ForbiddenError, NotFoundError
from tests.builders.distributions import distribution_config
from tests.builders.mail import RecordingNotifier
from tests.unit.vault.fakes import (
    FakeCloudFront,
    FakeScheduler,
    InMemoryAuditLog,
    InMemorySchedules,
)
from vault import audit, logic, notifications, schedules
from vault.dependencies import ListedDistribution, VaultDeps
from vault.models import AuditAction, AuditQuery, NotificationLists, Outcome, VaultCaller, VaultRole
from vault.schedule_models import (
    DEFAULT_SCHEDULE_ID,
    RunOutcome,
    ScheduleChange,
    ScheduledRun,
    ScheduleIn,
)

ADMIN = VaultCaller(username="ada", sub="sub-ada", vault_role=VaultRole.ADMIN)
EDITOR = VaultCaller(username="edith", sub="sub-edith", vault_role=VaultRole.EDITOR)
VIEWER = VaultCaller(username="vic", sub="sub-vic", vault_role=VaultRole.VIEWER)
UNKNOWN_SCHEDULE_ID = "E9UNKNOWN"


@pytest.fixture
def store() -> InMemorySchedules:
    return InMemorySchedules()


@pytest.fixture
def scheduler() -> FakeScheduler:
    return FakeScheduler()


@pytest.fixture
def known(deps: VaultDeps, cloudfront: FakeCloudFront) -> str:
    """A distribution at version 1 in the vault."""
    cloudfront.add("E1", distribution_config(comment="one"))
    logic.capture(ADMIN, "E1", "", deps)
    return "E1"


@pytest.fixture
def schedule_deps(
    deps: VaultDeps, store: InMemorySchedules, scheduler: FakeScheduler
) -> schedules.ScheduleDeps:
    return schedules.ScheduleDeps(
        store=store,
        scheduler=scheduler,
        vault=deps,
        clock=deps.clock,
    )


@pytest.fixture
def scheduled(schedule_deps: schedules.ScheduleDeps, known: str) -> str:
    """The id of the known distribution's schedule, every 5 minutes."""
    return every_5_minutes(schedule_deps, known)


def deleted(deps: VaultDeps, cloudfront: FakeCloudFront, distribution_id: str) -> None:
    """The distribution deleted in the console, and the vault told so."""
    del cloudfront.distributions[distribution_id]
    assert logic.mark_if_deleted(deps, distribution_id)


def every_5_minutes(
    schedule_deps: schedules.ScheduleDeps, distribution_id: str, *, active: bool = True
) -> str:
    request = ScheduleIn(distribution_id=distribution_id, cron="*/5 * * * *", active=active)
    return schedules.create_schedule(ADMIN, request, schedule_deps).schedule_id


def test_the_hourly_schedule_over_every_distribution_is_listed_first_by_default(
    schedule_deps: schedules.ScheduleDeps,
) -> None:
    listed = schedules.list_schedules(VIEWER, schedule_deps)
    assert [(s.schedule_id, s.cron, s.active, s.default) for s in listed] == [
        (DEFAULT_SCHEDULE_ID, "0 * * * *", True, True)
    ]
    assert listed[0].distribution_id is None


def test_a_distribution_schedule_is_put_in_eventbridge_scheduler_and_listed(
    schedule_deps: schedules.ScheduleDeps, scheduler: FakeScheduler, known: str
) -> None:
    schedule_id = every_5_minutes(schedule_deps, known)

    assert scheduler.schedules[schedule_id] == (
        "cron(0,5,10,15,20,25,30,35,40,45,50,55 * * * ? *)",
        "ENABLED",
        known,
    )
    listed = schedules.list_schedules(VIEWER, schedule_deps)
    assert [(s.schedule_id, s.distribution_id, s.created_by) for s in listed[1:]] == [
        (schedule_id, known, "ada")
    ]


def test_a_distributions_schedule_is_named_by_its_id(
    schedule_deps: schedules.ScheduleDeps, known: str
) -> None:
    assert every_5_minutes(schedule_deps, known) == known


def test_a_second_schedule_for_a_distribution_is_a_409_naming_it(
    schedule_deps: schedules.ScheduleDeps, scheduler: FakeScheduler, known: str
) -> None:
    # Given a distribution with its schedule
    every_5_minutes(schedule_deps, known)
    before = dict(scheduler.schedules)
    # When the admin adds another
    request = ScheduleIn(distribution_id=known, cron="0 9 * * *")
    with pytest.raises(ConflictError) as refused:
        schedules.create_schedule(ADMIN, request, schedule_deps)
    # Then it is refused, naming the distribution, and the first is as it was
    assert [error.field for error in refused.value.errors] == ["distribution_id"]
    assert scheduler.schedules == before


def test_a_schedule_made_before_under_an_id_of_its_own_still_counts_as_the_distributions(
    schedule_deps: schedules.ScheduleDeps, store: InMemorySchedules, known: str
) -> None:
    # Given a schedule stored with a UUID (before schedules were named by their distribution)
    schedule_id = every_5_minutes(schedule_deps, known)
    legacy = store.schedules.pop(schedule_id).model_copy(
        update={"schedule_id": "0f8b3a52-9c1e-4d7a-8b6f-2e5d4c3b2a19"}
    )
    store.schedules[legacy.schedule_id] = legacy
    # When the admin adds another for that distribution  Then it is refused
    with pytest.raises(ConflictError):
        every_5_minutes(schedule_deps, known)


def test_a_paused_schedule_is_disabled_in_eventbridge_scheduler(
    schedule_deps: schedules.ScheduleDeps, scheduler: FakeScheduler, known: str
) -> None:
    schedule_id = every_5_minutes(schedule_deps, known, active=False)
    assert scheduler.schedules[schedule_id][1] == "DISABLED"


def test_a_schedule_for_a_distribution_the_vault_does_not_hold_is_a_404_naming_it(
    schedule_deps: schedules.ScheduleDeps, scheduler: FakeScheduler
) -> None:
    with pytest.raises(NotFoundError) as refused:
        every_5_minutes(schedule_deps, "ENOPE")
    assert [error.field for error in refused.value.errors] == ["distribution_id"]
    assert scheduler.schedules == {}


def test_a_create_the_table_fails_to_store_leaves_no_schedule_in_the_scheduler(
    schedule_deps: schedules.ScheduleDeps,
    store: InMemorySchedules,
    scheduler: FakeScheduler,
    known: str,
) -> None:
    store.failing = True
    with pytest.raises(RuntimeError):
        every_5_minutes(schedule_deps, known)
    assert scheduler.schedules == {}


def test_a_change_sets_the_cron_and_pauses_in_both_places(
    schedule_deps: schedules.ScheduleDeps,
    store: InMemorySchedules,
    scheduler: FakeScheduler,
    known: str,
) -> None:
    schedule_id = every_5_minutes(schedule_deps, known)

    changed = schedules.change_schedule(
        ADMIN, schedule_id, ScheduleChange(cron="30 2 * * *", active=False), schedule_deps
    )

    assert (changed.cron, changed.active) == ("30 2 * * *", False)
    assert scheduler.schedules[schedule_id] == ("cron(30 2 * * ? *)", "DISABLED", known)
    assert store.schedules[schedule_id].cron == "30 2 * * *"


def test_the_hourly_schedule_pauses_in_the_vault_not_in_the_scheduler(
    schedule_deps: schedules.ScheduleDeps, scheduler: FakeScheduler
) -> None:
    paused = schedules.change_schedule(
        ADMIN, DEFAULT_SCHEDULE_ID, ScheduleChange(active=False), schedule_deps
    )

    assert (paused.schedule_id, paused.active) == (DEFAULT_SCHEDULE_ID, False)
    assert schedules.list_schedules(VIEWER, schedule_deps)[0].active is False
    assert scheduler.schedules == {}  # the template's schedule stays as deployed


def test_the_hourly_schedule_keeps_its_cron(schedule_deps: schedules.ScheduleDeps) -> None:
    with pytest.raises(ConflictError) as refused:
        schedules.change_schedule(
            ADMIN, DEFAULT_SCHEDULE_ID, ScheduleChange(cron="*/5 * * * *"), schedule_deps
        )
    assert [error.field for error in refused.value.errors] == ["cron"]


def test_the_hourly_schedule_cannot_be_deleted(schedule_deps: schedules.ScheduleDeps) -> None:
    with pytest.raises(ConflictError) as refused:
        schedules.delete_schedule(ADMIN, DEFAULT_SCHEDULE_ID, schedule_deps)
    assert [error.field for error in refused.value.errors] == ["schedule_id"]


def test_a_deleted_schedule_is_gone_from_both_places(
    schedule_deps: schedules.ScheduleDeps,
    store: InMemorySchedules,
    scheduler: FakeScheduler,
    known: str,
) -> None:
    schedule_id = every_5_minutes(schedule_deps, known)

    schedules.delete_schedule(ADMIN, schedule_id, schedule_deps)

    assert schedule_id not in scheduler.schedules
    assert schedule_id not in store.schedules


CHANGES = {
    "pause": lambda deps, schedule_id: schedules.change_schedule(
        ADMIN, schedule_id, ScheduleChange(active=False), deps
    ),
    "delete": lambda deps, schedule_id: schedules.delete_schedule(ADMIN, schedule_id, deps),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_the_table_fails_to_store_puts_the_scheduler_back(
    schedule_deps: schedules.ScheduleDeps,
    store: InMemorySchedules,
    scheduler: FakeScheduler,
    known: str,
    change: Callable[[schedules.ScheduleDeps, str], object],
) -> None:
    # Given a schedule, and a table that fails the next write
    schedule_id = every_5_minutes(schedule_deps, known)
    before = dict(scheduler.schedules)
    store.failing = True

    # When an admin pauses or deletes it  Then the request fails, changing nothing
    with pytest.raises(RuntimeError):
        change(schedule_deps, schedule_id)
    assert scheduler.schedules == before


def test_a_change_finding_the_schedule_deleted_and_made_again_meanwhile_leaves_the_new_one(
    schedule_deps: schedules.ScheduleDeps,
    store: InMemorySchedules,
    scheduler: FakeScheduler,
    scheduled: str,
) -> None:
    # Given a schedule another request deletes, and a third makes again in the scheduler,
    # between this change's scheduler update and its table write
    schedule_id = scheduled

    def deleted_and_made_again() -> None:
        gone = store.schedules[schedule_id]
        schedules.delete_schedule(ADMIN, schedule_id, schedule_deps)
        scheduler.put(gone.model_copy(update={"expression": "cron(0 3 * * ? *)"}), create=True)

    store.before_next("change_schedule", deleted_and_made_again)

    # When the admin pauses it
    with pytest.raises(NotFoundError) as refused:
        schedules.change_schedule(ADMIN, schedule_id, ScheduleChange(active=False), schedule_deps)

    # Then it is the 404 of a missing schedule, and the scheduler keeps the new schedule
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("schedule_id", "no such schedule")
    ]
    assert scheduler.schedules[schedule_id] == ("cron(0 3 * * ? *)", "ENABLED", "E1")


def test_of_two_deletions_at_once_the_second_is_the_404_of_a_missing_schedule(
    schedule_deps: schedules.ScheduleDeps,
    store: InMemorySchedules,
    scheduler: FakeScheduler,
    scheduled: str,
    notifier: RecordingNotifier,
) -> None:
    # Given a schedule another admin deletes just before this deletion's table write
    notifications.set_lists(
        ADMIN, NotificationLists(schedules_changed=["ops@example.com"]), schedule_deps.vault
    )
    store.before_next(
        "delete_schedule", lambda: schedules.delete_schedule(ADMIN, scheduled, schedule_deps)
    )

    # When this admin deletes it
    with pytest.raises(NotFoundError) as refused:
        schedules.delete_schedule(ADMIN, scheduled, schedule_deps)

    # Then only the other deletion succeeded: one entry and one e-mail say so, and the
    # schedule is not put back in the scheduler
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("schedule_id", "no such schedule")
    ]
    trail = schedule_deps.vault.audit
    assert isinstance(trail, InMemoryAuditLog)
    outcomes = [e.outcome for e in trail.writes if e.detail == f"delete the schedule {scheduled}"]
    # The other's pending and succeeded, inside this one's pending and failed
    assert outcomes == [Outcome.PENDING, Outcome.PENDING, Outcome.SUCCEEDED, Outcome.FAILED]
    assert [email.subject for email in notifier.sent] == [
        f"[Shop vault] Schedule {scheduled} deleted"
    ]
    assert scheduler.schedules == {}


def test_a_deleted_distribution_s_schedule_resumes_only_as_the_404_of_a_new_one(
    deps: VaultDeps,
    schedule_deps: schedules.ScheduleDeps,
    cloudfront: FakeCloudFront,
    scheduler: FakeScheduler,
    known: str,
) -> None:
    # Given a paused schedule of a distribution since deleted
    schedule_id = every_5_minutes(schedule_deps, known, active=False)
    deleted(deps, cloudfront, known)

    # When the admin resumes it
    with pytest.raises(NotFoundError) as refused:
        schedules.change_schedule(ADMIN, schedule_id, ScheduleChange(active=True), schedule_deps)

    # Then it is refused as a new schedule for it is, and stays paused
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("distribution_id", "no such active distribution in the vault")
    ]
    assert scheduler.schedules[schedule_id][1] == "DISABLED"


def test_a_deleted_distribution_s_schedule_can_be_paused(
    deps: VaultDeps,
    schedule_deps: schedules.ScheduleDeps,
    cloudfront: FakeCloudFront,
    scheduler: FakeScheduler,
    scheduled: str,
) -> None:
    deleted(deps, cloudfront, "E1")

    schedules.change_schedule(ADMIN, scheduled, ScheduleChange(active=False), schedule_deps)

    assert scheduler.schedules[scheduled][1] == "DISABLED"


def test_an_unknown_schedule_is_a_404_naming_it(schedule_deps: schedules.ScheduleDeps) -> None:
    with pytest.raises(NotFoundError) as refused:
        schedules.delete_schedule(ADMIN, UNKNOWN_SCHEDULE_ID, schedule_deps)
    assert [error.field for error in refused.value.errors] == ["schedule_id"]


@pytest.mark.parametrize("caller", [EDITOR, VIEWER])
def test_only_an_admin_changes_schedules(
    schedule_deps: schedules.ScheduleDeps, caller: VaultCaller, known: str
) -> None:
    request = ScheduleIn(distribution_id=known, cron="*/5 * * * *")
    with pytest.raises(ForbiddenError):
        schedules.create_schedule(caller, request, schedule_deps)
    with pytest.raises(ForbiddenError):
        schedules.change_schedule(
            caller, DEFAULT_SCHEDULE_ID, ScheduleChange(active=False), schedule_deps
        )
    with pytest.raises(ForbiddenError):
        schedules.delete_schedule(caller, UNKNOWN_SCHEDULE_ID, schedule_deps)


def test_no_vault_role_cannot_read_the_schedules(schedule_deps: schedules.ScheduleDeps) -> None:
    with pytest.raises(ForbiddenError):
        schedules.list_schedules(VaultCaller(username="alice", sub="s"), schedule_deps)


def test_a_distribution_run_records_its_new_version_as_the_last_run(
    deps: VaultDeps,
    schedule_deps: schedules.ScheduleDeps,
    store: InMemorySchedules,
    cloudfront: FakeCloudFront,
    known: str,
) -> None:
    # Given a schedule for E1, and a change made in the console
    schedule_id = every_5_minutes(schedule_deps, known)
    cloudfront.change(known, Comment="two")

    # When EventBridge Scheduler runs it
    outcome = schedules.run_scheduled(
        deps, store, ScheduledRun(schedule_id=schedule_id, distribution_id=known)
    )

    # Then the change is version 2, and the run is the schedule's last
    assert outcome.new_versions == [known]
    assert deps.table.get_version(known, 2) is not None
    last = store.schedules[schedule_id].last_run
    assert last is not None
    assert (last.at, last.outcome, last.detail) == (
        "2026-12-06T12:00:00Z",
        RunOutcome.OK,
        "1 read, 1 new version, 0 deleted",
    )


def test_a_run_of_a_deleted_distribution_s_schedule_is_kept_as_skipped_saying_why(
    deps: VaultDeps,
    store: InMemorySchedules,
    cloudfront: FakeCloudFront,
    scheduled: str,
) -> None:
    # Given a schedule whose distribution an earlier run found deleted
    deleted(deps, cloudfront, "E1")

    # When EventBridge Scheduler runs it
    outcome = schedules.run_scheduled(
        deps, store, ScheduledRun(schedule_id=scheduled, distribution_id="E1")
    )

    # Then it reads nothing, and its last run says why
    assert (outcome.listed, outcome.deleted) == (0, [])
    last = store.schedules[scheduled].last_run
    assert last is not None
    assert (last.outcome, last.detail) == (
        RunOutcome.SKIPPED,
        "E1 is deleted: delete or pause this schedule",
    )


def test_a_paused_hourly_schedule_runs_nothing_and_keeps_its_last_run(
    deps: VaultDeps,
    schedule_deps: schedules.ScheduleDeps,
    store: InMemorySchedules,
    cloudfront: FakeCloudFront,
    known: str,
) -> None:
    # Given an hourly run, then the hourly schedule paused and a change made in the console
    schedules.run_scheduled(deps, store, ScheduledRun())
    ran = store.schedules[DEFAULT_SCHEDULE_ID].last_run
    schedules.change_schedule(
        ADMIN, DEFAULT_SCHEDULE_ID, ScheduleChange(active=False), schedule_deps
    )
    cloudfront.change(known, Comment="two")

    # When its template schedule fires all the same
    outcome = schedules.run_scheduled(deps, store, ScheduledRun())

    # Then nothing is read, and the run before the pause is still its last
    assert outcome.new_versions == []
    assert deps.table.get_version(known, 2) is None
    assert ran is not None
    assert store.schedules[DEFAULT_SCHEDULE_ID].last_run == ran


def test_the_hourly_run_is_kept_as_the_default_schedule_s_last_run(
    deps: VaultDeps, store: InMemorySchedules, known: str
) -> None:
    schedules.run_scheduled(deps, store, ScheduledRun())

    last = store.schedules[DEFAULT_SCHEDULE_ID].last_run
    assert last is not None
    assert (last.outcome, last.detail) == (RunOutcome.OK, "1 read, 0 new versions, 0 deleted")


def test_a_throttled_run_is_kept_as_incomplete(
    deps: VaultDeps, store: InMemorySchedules, cloudfront: FakeCloudFront, known: str
) -> None:
    cloudfront.throttled = True
    schedules.run_scheduled(deps, store, ScheduledRun())
    last = store.schedules[DEFAULT_SCHEDULE_ID].last_run
    assert last is not None
    assert last.outcome is RunOutcome.INCOMPLETE


class FailingCloudFront(FakeCloudFront):
    def list_all(self) -> list[ListedDistribution]:
        raise RuntimeError("AccessDenied")


def test_a_failed_run_is_kept_as_failed_and_raised_for_the_scheduler_to_retry(
    deps: VaultDeps, store: InMemorySchedules
) -> None:
    failing = dataclasses.replace(deps, cloudfront=FailingCloudFront())
    with pytest.raises(RuntimeError):
        schedules.run_scheduled(failing, store, ScheduledRun())
    last = store.schedules[DEFAULT_SCHEDULE_ID].last_run
    assert last is not None
    assert (last.outcome, last.detail) == (RunOutcome.FAILED, "RuntimeError")


def test_a_schedule_added_is_in_the_audit_trail_and_e_mailed_to_the_schedules_list(
    schedule_deps: schedules.ScheduleDeps, known: str, notifier: RecordingNotifier
) -> None:
    notifications.set_lists(
        ADMIN, NotificationLists(schedules_changed=["ops@example.com"]), schedule_deps.vault
    )

    every_5_minutes(schedule_deps, known)

    latest, *_ = audit.list_entries(VIEWER, AuditQuery(), schedule_deps.vault).entries
    assert (latest.action, latest.outcome, latest.distribution_id) == (
        AuditAction.SCHEDULES,
        Outcome.SUCCEEDED,
        known,
    )
    (email,) = notifier.sent
    assert email.subject == f"[Shop vault] Schedule */5 * * * * added for {known}"


def test_a_change_is_in_the_audit_trail_in_words(
    schedule_deps: schedules.ScheduleDeps, known: str
) -> None:
    schedule_id = every_5_minutes(schedule_deps, known)

    schedules.change_schedule(
        ADMIN, schedule_id, ScheduleChange(cron="30 2 * * *", active=False), schedule_deps
    )

    latest, *_ = audit.list_entries(VIEWER, AuditQuery(), schedule_deps.vault).entries
    assert latest.detail == f"change the schedule {schedule_id}: cron 30 2 * * *, pause"


def test_a_pause_is_in_the_distributions_audit_trail(
    schedule_deps: schedules.ScheduleDeps, known: str
) -> None:
    schedule_id = every_5_minutes(schedule_deps, known)

    schedules.change_schedule(ADMIN, schedule_id, ScheduleChange(active=False), schedule_deps)

    query = AuditQuery(distribution_id=known)
    latest, *_ = audit.list_entries(VIEWER, query, schedule_deps.vault).entries
    assert latest.detail == f"change the schedule {schedule_id}: pause"


def test_a_deletion_is_in_the_distributions_audit_trail(
    schedule_deps: schedules.ScheduleDeps, known: str
) -> None:
    schedule_id = every_5_minutes(schedule_deps, known)

    schedules.delete_schedule(ADMIN, schedule_id, schedule_deps)

    query = AuditQuery(distribution_id=known)
    latest, *_ = audit.list_entries(VIEWER, query, schedule_deps.vault).entries
    assert (latest.detail, latest.outcome) == (
        f"delete the schedule {schedule_id}",
        Outcome.SUCCEEDED,
    )


def test_a_refused_deletion_is_failed_in_the_audit_trail(
    schedule_deps: schedules.ScheduleDeps,
) -> None:
    with pytest.raises(ConflictError):
        schedules.delete_schedule(ADMIN, DEFAULT_SCHEDULE_ID, schedule_deps)

    latest, *_ = audit.list_entries(VIEWER, AuditQuery(), schedule_deps.vault).entries
    assert (latest.action, latest.outcome) == (AuditAction.SCHEDULES, Outcome.FAILED)
