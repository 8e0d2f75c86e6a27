"""The vault's detection schedules, pure and typed: the stored schedules, EventBridge
Scheduler, the vault's distributions and time come in as arguments (`ScheduleDeps`).

The default schedule (`hourly`, every distribution) is the template's own EventBridge
schedule: CloudFormation owns it, so pausing it is a setting the vault keeps (the run it
starts finds it paused and does nothing) rather than drift in the stack; it cannot be
deleted nor its cron changed. Every other schedule is one distribution's, named by its id
(one a distribution: a second is a 409, its cron changed instead), an EventBridge schedule in
the stage's own group, ENABLED or DISABLED as it is active or paused.

A change is made in EventBridge Scheduler first, then stored; when storing fails the
scheduler is put back as it was, so a failed request changes nothing."""

from contextlib import suppress
from dataclasses import dataclass, field
from typing import Protocol

from shop_common.clock import Clock, iso_timestamp, utc_now
from shop_common.errors import ConflictError, FieldError, NotFoundError
from vault import detection
from vault.audit import audited
from vault.cron import parse_cron
from vault.dependencies import VaultDeps, VaultRecords
from vault.detection import DetectionRun
from vault.models import (
    AuditAction,
    DistributionState,
    NotificationEvent,
    VaultCaller,
    VaultRole,
)
from vault.notifications import notify
from vault.schedule_models import (
    DEFAULT_CRON,
    DEFAULT_SCHEDULE_ID,
    RunOutcome,
    Schedule,
    ScheduleChange,
    ScheduledRun,
    ScheduleIn,
    ScheduleRun,
    already_scheduled,
    no_such_schedule,
)
from vault.undo import undone_on_failure

DEFAULT_SCHEDULE = Schedule(
    schedule_id=DEFAULT_SCHEDULE_ID,
    cron=DEFAULT_CRON,
    expression=parse_cron(DEFAULT_CRON).scheduler_expression(),
    default=True,
)


class ScheduleStore(Protocol):
    def list_schedules(self) -> list[Schedule]: ...

    def get_schedule(self, schedule_id: str) -> Schedule | None: ...

    def add_schedule(self, schedule: Schedule) -> None:
        """Store a schedule not stored yet (`ConflictError` if it is)."""
        ...

    def change_schedule(self, schedule: Schedule) -> None:
        """Store a stored schedule's cron, expression, active and updated_at (its last
        run, written meanwhile by a run, is left as it is); `NotFoundError` naming
        `schedule_id` if it is not stored (deleted meanwhile)."""
        ...

    def delete_schedule(self, schedule_id: str) -> None:
        """`NotFoundError` naming `schedule_id` if it is not stored (deleted meanwhile)."""
        ...

    def record_run(self, schedule_id: str, run: ScheduleRun) -> None:
        """The schedule's last run; nothing if the schedule was deleted meanwhile."""
        ...


class Scheduler(Protocol):
    """EventBridge Scheduler: one schedule per vault schedule, named by its id."""

    def put(self, schedule: Schedule, *, create: bool) -> None:
        """`ConflictError` naming `distribution_id` if `create` finds the name taken;
        `NotFoundError` naming `schedule_id` if an update finds none."""
        ...

    def delete(self, schedule_id: str) -> None:
        """Nothing if there is no such schedule."""
        ...


@dataclass(frozen=True)
class ScheduleDeps:
    store: ScheduleStore
    scheduler: Scheduler
    # The vault's: its distributions, and the audit trail and notifications of each change.
    vault: VaultRecords
    clock: Clock = field(default=utc_now)


def list_schedules(caller: VaultCaller, deps: ScheduleDeps) -> list[Schedule]:
    """The default schedule first, then the others by distribution and id."""
    caller.require(VaultRole.VIEWER)
    stored = deps.store.list_schedules()
    default = next((s for s in stored if s.default), DEFAULT_SCHEDULE)
    others = sorted(
        (s for s in stored if not s.default),
        key=lambda s: (s.distribution_id or "", s.created_at or "", s.schedule_id),
    )
    return [default, *others]


def create_schedule(caller: VaultCaller, request: ScheduleIn, deps: ScheduleDeps) -> Schedule:
    caller.require(VaultRole.ADMIN)
    schedule = audited(
        deps.vault,
        caller,
        AuditAction.SCHEDULES,
        lambda: _create(caller, request, deps),
        detail=f"add the schedule {request.cron} of {request.distribution_id}",
        result=lambda created: f"schedule {created.schedule_id}",
        distribution_id=request.distribution_id,
    )
    _notify(deps, caller, f"Schedule {request.cron} added for {request.distribution_id}", schedule)
    return schedule


def _create(caller: VaultCaller, request: ScheduleIn, deps: ScheduleDeps) -> Schedule:
    _require_active(deps, request.distribution_id)
    # One made before schedules were named by their distribution has an id of its own.
    stored = deps.store.list_schedules()
    taken = next((s for s in stored if s.distribution_id == request.distribution_id), None)
    if taken is not None:
        raise already_scheduled(request.distribution_id)
    now = iso_timestamp(deps.clock())
    schedule = Schedule(
        schedule_id=request.distribution_id,
        distribution_id=request.distribution_id,
        cron=request.cron,
        expression=parse_cron(request.cron).scheduler_expression(),
        active=request.active,
        created_at=now,
        created_by=caller.username,
        updated_at=now,
    )
    deps.scheduler.put(schedule, create=True)
    with undone_on_failure(lambda: deps.scheduler.delete(schedule.schedule_id)):
        deps.store.add_schedule(schedule)
    return schedule


def change_schedule(
    caller: VaultCaller, schedule_id: str, request: ScheduleChange, deps: ScheduleDeps
) -> Schedule:
    """A new cron, or active/paused; the default schedule only pauses and resumes."""
    caller.require(VaultRole.ADMIN)
    changed = audited(
        deps.vault,
        caller,
        AuditAction.SCHEDULES,
        lambda: _change(schedule_id, request, deps),
        detail=f"change the schedule {schedule_id}: {request.described()}",
        result=lambda done: f"{done.cron}, {'active' if done.active else 'paused'}",
        distribution_id=_distribution_of(deps, schedule_id),
    )
    _notify(deps, caller, f"Schedule {schedule_id} changed", changed)
    return changed


def _change(schedule_id: str, request: ScheduleChange, deps: ScheduleDeps) -> Schedule:
    current = _schedule(deps, schedule_id)
    if current.default and request.cron not in {None, current.cron}:
        raise ConflictError(
            "The hourly schedule's cron is the template's: pause it and add your own instead",
            [FieldError("cron", "the default schedule's cron cannot change")],
        )
    cron = request.cron or current.cron
    changed = current.model_copy(
        update={
            "cron": cron,
            "expression": parse_cron(cron).scheduler_expression(),
            "active": current.active if request.active is None else request.active,
            "updated_at": iso_timestamp(deps.clock()),
        }
    )
    if current.default:
        _store_default(deps.store)
        deps.store.change_schedule(changed)
        return changed
    # Paused, a deleted distribution's schedule may still change; it fires only if active.
    if changed.active and changed.distribution_id is not None:
        _require_active(deps, changed.distribution_id)
    deps.scheduler.put(changed, create=False)
    # Not found: deleted meanwhile by another request, from the scheduler too.
    with undone_on_failure(
        lambda: deps.scheduler.put(current, create=False), kept_on=(NotFoundError,)
    ):
        deps.store.change_schedule(changed)
    return changed


def delete_schedule(caller: VaultCaller, schedule_id: str, deps: ScheduleDeps) -> None:
    caller.require(VaultRole.ADMIN)
    deleted = audited(
        deps.vault,
        caller,
        AuditAction.SCHEDULES,
        lambda: _delete(schedule_id, deps),
        detail=f"delete the schedule {schedule_id}",
        result=lambda gone: f"deleted ({gone.cron})",
        distribution_id=_distribution_of(deps, schedule_id),
    )
    _notify(deps, caller, f"Schedule {schedule_id} deleted", deleted)


def _distribution_of(deps: ScheduleDeps, schedule_id: str) -> str | None:
    """The distribution a schedule runs over, under which its changes are audited (None: the
    default schedule's, or an unknown schedule's, which the change finds a 404)."""
    stored = deps.store.get_schedule(schedule_id)
    return stored.distribution_id if stored else None


def _delete(schedule_id: str, deps: ScheduleDeps) -> Schedule:
    current = _schedule(deps, schedule_id)
    if current.default:
        raise ConflictError(
            "The hourly schedule over every distribution cannot be deleted: pause it instead",
            [FieldError("schedule_id", "the default schedule cannot be deleted")],
        )
    deps.scheduler.delete(schedule_id)
    # Not found: another request deleted it meanwhile, and only that request succeeds.
    with undone_on_failure(
        lambda: deps.scheduler.put(current, create=True), kept_on=(NotFoundError,)
    ):
        deps.store.delete_schedule(schedule_id)
    return current


def run_scheduled(vault: VaultDeps, store: ScheduleStore, request: ScheduledRun) -> DetectionRun:
    """A run EventBridge Scheduler started: the schedule's distribution (or every one), its
    outcome kept as the schedule's last run. A failure is kept, then raised again (the
    scheduler retries)."""
    at = iso_timestamp(vault.clock())
    if request.schedule_id == DEFAULT_SCHEDULE_ID:
        _store_default(store)
    # Paused, the template's schedule still fires (see the module's docstring): not a run,
    # so its last real run stays the one shown.
    if request.schedule_id == DEFAULT_SCHEDULE_ID and not _default_active(store):
        return DetectionRun(complete=True, listed=0)
    if request.distribution_id is not None and _deleted(vault, request.distribution_id):
        store.record_run(
            request.schedule_id,
            ScheduleRun(
                at=at,
                outcome=RunOutcome.SKIPPED,
                detail=f"{request.distribution_id} is deleted: delete or pause this schedule",
            ),
        )
        return DetectionRun(complete=True, listed=0)
    try:
        if request.distribution_id is None:
            outcome = detection.run(vault)
        else:
            outcome = detection.one(vault, request.distribution_id)
    except Exception as exc:
        store.record_run(
            request.schedule_id,
            ScheduleRun(at=at, outcome=RunOutcome.FAILED, detail=type(exc).__name__),
        )
        raise
    store.record_run(
        request.schedule_id,
        ScheduleRun(
            at=at,
            outcome=RunOutcome.OK if outcome.complete else RunOutcome.INCOMPLETE,
            detail=_described(outcome),
        ),
    )
    return outcome


def _notify(deps: ScheduleDeps, caller: VaultCaller, what: str, schedule: Schedule) -> None:
    target = schedule.distribution_id or "every distribution"
    notify(
        deps.vault,
        NotificationEvent.SCHEDULES_CHANGED,
        what,
        [
            f"{what} by {caller.username}.",
            f"Schedule {schedule.schedule_id} of {target}: {schedule.cron},"
            f" {'active' if schedule.active else 'paused'}.",
        ],
    )


def _described(outcome: DetectionRun) -> str:
    return (
        f"{outcome.listed} read, {len(outcome.new_versions)} new version"
        f"{'' if len(outcome.new_versions) == 1 else 's'}, {len(outcome.deleted)} deleted"
    )


def _deleted(vault: VaultDeps, distribution_id: str) -> bool:
    """Known deleted: its run has nothing to read (the run that found it gone marked it)."""
    known = vault.table.get_distribution(distribution_id)
    return known is not None and known.state is DistributionState.DELETED


def _default_active(store: ScheduleStore) -> bool:
    stored = store.get_schedule(DEFAULT_SCHEDULE_ID)
    return stored is None or stored.active


def _store_default(store: ScheduleStore) -> None:
    """The default schedule is stored the first time it is changed or runs."""
    if store.get_schedule(DEFAULT_SCHEDULE_ID) is None:
        # Stored meanwhile by another change or a run: as good.
        with suppress(ConflictError):
            store.add_schedule(DEFAULT_SCHEDULE)


def _require_active(deps: ScheduleDeps, distribution_id: str) -> None:
    """Only an active distribution is scheduled: a deleted one has nothing to capture."""
    known = deps.vault.table.get_distribution(distribution_id)
    if known is None or known.state is not DistributionState.ACTIVE:
        raise NotFoundError(
            f"The vault holds no active distribution {distribution_id}",
            [FieldError("distribution_id", "no such active distribution in the vault")],
        )


def _schedule(deps: ScheduleDeps, schedule_id: str) -> Schedule:
    if schedule_id == DEFAULT_SCHEDULE_ID:
        return deps.store.get_schedule(schedule_id) or DEFAULT_SCHEDULE
    schedule = deps.store.get_schedule(schedule_id)
    if schedule is None:
        raise no_such_schedule(schedule_id)
    return schedule
