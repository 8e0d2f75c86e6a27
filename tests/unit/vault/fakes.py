"""In-memory stand-ins with the observable behaviour of the vault's table, bucket and of
CloudFront (an ETag that changes on every update, IfMatch enforced)."""

import copy
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from shop_common.errors import ConflictError, FieldError, StaleReadError
from shop_common.pagination import CursorPage
from vault.dependencies import (
    AliasHeldError,
    DistributionGoneError,
    IncompleteListingError,
    ListedDistribution,
    LiveDistribution,
)
from vault.models import AuditEntry, Distribution, DistributionState, NotificationLists, Version
from vault.references import Reference
from vault.schedule_models import Schedule, ScheduleRun, no_such_schedule
from vault.user_models import PoolUser


class InMemoryVaultTable:
    def __init__(self) -> None:
        self.distributions: dict[str, Distribution] = {}
        self.versions: dict[tuple[str, int], Version] = {}
        self.etags: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def get_distribution(self, distribution_id: str) -> Distribution | None:
        return self.distributions.get(distribution_id)

    def page_distributions(
        self, state: DistributionState, *, limit: int, cursor: str | None
    ) -> CursorPage[Distribution]:
        items = sorted(
            (d for d in self.distributions.values() if d.state is state),
            key=lambda d: d.distribution_id,
        )
        return CursorPage(items[:limit], None)

    def get_version(self, distribution_id: str, number: int) -> Version | None:
        return self.versions.get((distribution_id, number))

    def version_with_etag(self, distribution_id: str, etag: str) -> Version | None:
        number = self.etags.get((distribution_id, etag))
        return None if number is None else self.versions[(distribution_id, number)]

    def page_versions(
        self, distribution_id: str, *, limit: int, cursor: str | None
    ) -> CursorPage[Version]:
        items = sorted(
            (v for (d, _), v in self.versions.items() if d == distribution_id),
            key=lambda v: -v.version,
        )
        return CursorPage(items[:limit], None)

    def record(self, distribution: Distribution, version: Version, *, previous: int) -> None:
        with self._lock:  # DynamoDB's transaction: both conditions and both writes at once
            known = self.distributions.get(distribution.distribution_id)
            if (known.current_version if known else 0) != previous:
                raise StaleReadError("taken")
            key = (distribution.distribution_id, version.version)
            if key in self.versions:
                raise StaleReadError("taken")
            self.versions[key] = version
            self.etags[(distribution.distribution_id, version.etag)] = version.version
            self.distributions[distribution.distribution_id] = distribution

    def refresh_summary(self, distribution: Distribution) -> None:
        with self._lock:
            known = self.distributions.get(distribution.distribution_id)
            if known is None or known.current_version != distribution.current_version:
                raise StaleReadError("taken")
            key = (distribution.distribution_id, distribution.etag)
            self.etags[key] = distribution.current_version
            self.distributions[distribution.distribution_id] = distribution

    def mark_deleted(self, distribution_id: str, at: str) -> None:
        known = self.distributions[distribution_id]
        self.distributions[distribution_id] = known.model_copy(
            update={"state": DistributionState.DELETED, "deleted_at": at, "enabled": False}
        )


class InMemoryBodies:
    def __init__(self) -> None:
        self.bodies: dict[str, dict[str, Any]] = {}

    def put(self, digest: str, config: Mapping[str, Any]) -> str:
        key = f"configs/{digest}.json"
        self.bodies[key] = copy.deepcopy(dict(config))
        return key

    def get(self, key: str) -> dict[str, Any]:
        return copy.deepcopy(self.bodies[key])


class FakeCloudFront:
    """Distributions kept exactly as put; a new ETag on every update."""

    def __init__(self) -> None:
        self.distributions: dict[str, LiveDistribution] = {}
        self.missing: set[str] = set()
        self.throttled = False
        # Aliases held by distributions of other accounts: refused, never listed.
        self.held_elsewhere: set[str] = set()
        self._counter = 0
        self._before_create: list[Callable[[], object]] = []

    def before_next_create(self, other_request: Callable[[], object]) -> None:
        """Another request's step, taken just before the next creation."""
        self._before_create.append(other_request)

    def add(self, distribution_id: str, config: dict[str, Any], **tags: str) -> LiveDistribution:
        live = LiveDistribution(
            distribution_id=distribution_id,
            arn=f"arn:aws:cloudfront::123456789012:distribution/{distribution_id}",
            domain_name=f"{distribution_id.lower()}.cloudfront.net",
            status="Deployed",
            etag=self._next_etag(),
            config=copy.deepcopy(config),
            tags=dict(tags),
        )
        self.distributions[distribution_id] = live
        return live

    def change(self, distribution_id: str, **fields: Any) -> LiveDistribution:
        """A change as the console makes it: some fields of the configuration."""
        live = self.distributions[distribution_id]
        return self.add(distribution_id, {**live.config, **fields}, **live.tags)

    def get(self, distribution_id: str) -> LiveDistribution:
        if distribution_id not in self.distributions:
            raise DistributionGoneError(distribution_id)
        return self.distributions[distribution_id]

    def list_all(self) -> list[ListedDistribution]:
        if self.throttled:
            raise IncompleteListingError("Throttling")
        return [
            ListedDistribution(d.distribution_id, tuple(d.config["Aliases"].get("Items", [])))
            for d in self.distributions.values()
        ]

    def update(
        self, distribution_id: str, config: Mapping[str, Any], *, if_match: str
    ) -> LiveDistribution:
        live = self.get(distribution_id)
        if live.etag != if_match:
            raise ConflictError("PreconditionFailed")
        return self.add(distribution_id, dict(config), **live.tags)

    def create(self, config: Mapping[str, Any], tags: Mapping[str, str]) -> LiveDistribution:
        if self._before_create:
            self._before_create.pop(0)()
        listed = {alias for listed in self.list_all() for alias in listed.aliases}
        taken = sorted(set(config["Aliases"].get("Items", [])) & (listed | self.held_elsewhere))
        if taken:
            message = f"One or more aliases are in use: {', '.join(taken)}"
            raise AliasHeldError(
                "CloudFront refused the configuration (CNAMEAlreadyExists)",
                [FieldError("config", message)],
            )
        return self.add(f"NEW{len(self.distributions)}", dict(config), **tags)

    def exists(self, reference: Reference) -> bool:
        return reference.target not in self.missing

    def _next_etag(self) -> str:
        self._counter += 1
        return f"ETAG{self._counter}"


class InMemorySchedules:
    """The vault table's schedule items."""

    def __init__(self) -> None:
        self.schedules: dict[str, Schedule] = {}
        self.failing = False
        # Another request's steps, each taken once just before the named method's next call.
        self._meanwhile: dict[str, Callable[[], object]] = {}

    def before_next(self, method: str, other_request: Callable[[], object]) -> None:
        self._meanwhile[method] = other_request

    def list_schedules(self) -> list[Schedule]:
        return list(self.schedules.values())

    def get_schedule(self, schedule_id: str) -> Schedule | None:
        self._interleave("get_schedule")
        return self.schedules.get(schedule_id)

    def add_schedule(self, schedule: Schedule) -> None:
        self._fail_if_failing()
        if schedule.schedule_id in self.schedules:
            raise ConflictError("exists")
        self.schedules[schedule.schedule_id] = schedule

    def change_schedule(self, schedule: Schedule) -> None:
        self._interleave("change_schedule")
        self._fail_if_failing()
        stored = self.schedules.get(schedule.schedule_id)
        if stored is None:
            raise no_such_schedule(schedule.schedule_id)
        fields = ("cron", "expression", "active", "updated_at")
        self.schedules[schedule.schedule_id] = stored.model_copy(
            update={name: getattr(schedule, name) for name in fields}
        )

    def delete_schedule(self, schedule_id: str) -> None:
        self._interleave("delete_schedule")
        self._fail_if_failing()
        if self.schedules.pop(schedule_id, None) is None:
            raise no_such_schedule(schedule_id)

    def record_run(self, schedule_id: str, run: ScheduleRun) -> None:
        if schedule_id in self.schedules:
            self.schedules[schedule_id] = self.schedules[schedule_id].model_copy(
                update={"last_run": run}
            )

    def _fail_if_failing(self) -> None:
        if self.failing:
            raise RuntimeError("the table is unavailable")

    def _interleave(self, method: str) -> None:
        other_request = self._meanwhile.pop(method, None)
        if other_request is not None:
            other_request()


class FakeScheduler:
    """EventBridge Scheduler's schedules of the stage's group: name -> (expression, state,
    the input its target gets)."""

    def __init__(self) -> None:
        self.schedules: dict[str, tuple[str, str, str | None]] = {}

    def put(self, schedule: Schedule, *, create: bool) -> None:
        if create and schedule.schedule_id in self.schedules:
            raise ConflictError("exists")
        if not create and schedule.schedule_id not in self.schedules:
            raise no_such_schedule(schedule.schedule_id)
        state = "ENABLED" if schedule.active else "DISABLED"
        self.schedules[schedule.schedule_id] = (
            schedule.expression,
            state,
            schedule.distribution_id,
        )

    def delete(self, schedule_id: str) -> None:
        self.schedules.pop(schedule_id, None)


class InMemoryAuditLog:
    """Entries by id, each as last written; listed newest first, as the table's key sorts."""

    def __init__(self) -> None:
        self.entries: dict[str, AuditEntry] = {}
        # Every write in order: the `pending` one before its outcome.
        self.writes: list[AuditEntry] = []

    def write(self, entry: AuditEntry) -> None:
        self.writes.append(entry)
        self.entries[f"{entry.at}#{entry.entry_id}"] = entry

    def page(
        self, distribution_id: str | None, *, limit: int, cursor: str | None
    ) -> CursorPage[AuditEntry]:
        items = [
            self.entries[key]
            for key in sorted(self.entries, reverse=True)
            if distribution_id
            in (None, self.entries[key].distribution_id, self.entries[key].source_id)
        ]
        return CursorPage(items[:limit], None)


class InMemoryNotificationSettings:
    def __init__(self) -> None:
        self.lists = NotificationLists()

    def get(self) -> NotificationLists:
        return self.lists

    def put(self, lists: NotificationLists) -> None:
        self.lists = lists


class InMemoryInvitations:
    """The accounts the vault made: each one's `sub` by its username in lower case (the pool
    ignores case)."""

    def __init__(self) -> None:
        self.subs: dict[str, str] = {}

    def record(self, user: PoolUser) -> None:
        self.subs[user.username.lower()] = user.sub

    def made(self, user: PoolUser) -> bool:
        return self.subs.get(user.username.lower()) == user.sub

    def forget(self, user: PoolUser) -> None:
        self.subs.pop(user.username.lower(), None)


class InMemoryUserLeases:
    """Each user's lease by their username in lower case: its holder and when it runs out."""

    def __init__(self) -> None:
        self.held: dict[str, tuple[str, datetime]] = {}

    def take(self, username: str, holder: str, *, now: datetime, until: datetime) -> None:
        held = self.held.get(username.lower())
        if held is not None and held[1] > now:
            raise ConflictError(
                "Another change of this user is under way: try again",
                [FieldError("username", "being changed by another request")],
            )
        self.held[username.lower()] = (holder, until)

    def give_back(self, username: str, holder: str) -> None:
        if self.held.get(username.lower(), (None,))[0] == holder:
            del self.held[username.lower()]
