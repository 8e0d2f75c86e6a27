"""The audit trail: an entry written `pending` before each change made through the vault and
rewritten with its outcome after, listed newest first, per distribution."""

import dataclasses
import itertools
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shop_common.errors import ConflictError, ForbiddenError
from tests.builders.distributions import distribution_config
from tests.unit.vault.fakes import FakeCloudFront, InMemoryAuditLog
from vault import audit, logic
from vault.dependencies import LiveDistribution, VaultDeps
from vault.models import (
    AuditAction,
    AuditEntry,
    AuditQuery,
    CopyIn,
    CreateIn,
    Outcome,
    RollbackIn,
    VaultCaller,
    VaultRole,
)

EDITOR = VaultCaller(username="edith", sub="sub-edith", vault_role=VaultRole.EDITOR)
VIEWER = VaultCaller(username="vic", sub="sub-vic", vault_role=VaultRole.VIEWER)
NOBODY = VaultCaller(username="sam", sub="sub-sam")


class ObservedCloudFront(FakeCloudFront):
    """CloudFront that notes the audit trail's outcomes at the moment of each update."""

    def __init__(self) -> None:
        super().__init__()
        self.log = InMemoryAuditLog()
        self.outcomes_at_update: list[list[Outcome]] = []
        self.failing_update: Exception | None = None

    def update(
        self, distribution_id: str, config: Mapping[str, Any], *, if_match: str
    ) -> LiveDistribution:
        self.outcomes_at_update.append([entry.outcome for entry in self.log.writes])
        if self.failing_update is not None:
            raise self.failing_update
        return super().update(distribution_id, config, if_match=if_match)


@pytest.fixture
def cloudfront() -> ObservedCloudFront:
    return ObservedCloudFront()


@pytest.fixture
def audited_deps(deps: VaultDeps, cloudfront: ObservedCloudFront) -> VaultDeps:
    """The conftest's deps with ids of their own and a clock a second on at each reading."""
    ticks = itertools.count()
    ids = itertools.count(1)
    start = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    return dataclasses.replace(
        deps,
        audit=cloudfront.log,
        clock=lambda: start + timedelta(seconds=next(ticks)),
        id_factory=lambda: f"id-{next(ids)}",
    )


@pytest.fixture
def etag(audited_deps: VaultDeps, cloudfront: ObservedCloudFront) -> str:
    """E1 at version 1 ("one") and version 2 ("two") in the vault; its ETag now."""
    cloudfront.add("E1", distribution_config(comment="one"))
    logic.capture(EDITOR, "E1", "", audited_deps)
    live = cloudfront.change("E1", Comment="two")
    logic.capture(EDITOR, "E1", "", audited_deps)
    return live.etag


def test_a_rollback_is_pending_in_the_trail_during_its_cloudfront_call_then_succeeded(
    audited_deps: VaultDeps, cloudfront: ObservedCloudFront, etag: str
) -> None:
    applied = logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=etag), audited_deps)

    assert cloudfront.outcomes_at_update[-1][-1] is Outcome.PENDING
    (latest, *_) = audit.list_entries(VIEWER, AuditQuery(), audited_deps).entries
    assert (latest.action, latest.who, latest.distribution_id) == (
        AuditAction.ROLLBACK,
        "edith",
        "E1",
    )
    assert latest.outcome is Outcome.SUCCEEDED
    assert latest.result == f"version 3, ETag {applied.etag}"
    assert latest.finished_at is not None
    assert latest.finished_at > latest.at


def test_a_refused_rollback_is_failed_with_the_reason_its_caller_got(
    audited_deps: VaultDeps, cloudfront: ObservedCloudFront, etag: str
) -> None:
    cloudfront.change("E1", Comment="three")

    with pytest.raises(ConflictError):
        logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=etag), audited_deps)

    (latest, *_) = audit.list_entries(VIEWER, AuditQuery(), audited_deps).entries
    assert latest.outcome is Outcome.FAILED
    assert latest.reason is not None
    assert "expected_etag: the distribution's ETag is now" in latest.reason


def test_an_unexpected_failure_is_recorded_by_its_kind_only(
    audited_deps: VaultDeps, cloudfront: ObservedCloudFront, etag: str
) -> None:
    cloudfront.failing_update = RuntimeError("endpoint https://secret.example refused")

    with pytest.raises(RuntimeError):
        logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=etag), audited_deps)

    (latest, *_) = audit.list_entries(VIEWER, AuditQuery(), audited_deps).entries
    assert (latest.outcome, latest.reason) == (Outcome.FAILED, "internal error (RuntimeError)")


def test_a_copy_is_in_the_targets_trail(
    audited_deps: VaultDeps, cloudfront: ObservedCloudFront, etag: str
) -> None:
    target = cloudfront.add("E2", distribution_config("ref-2", comment="target"))
    logic.copy(EDITOR, "E1", 1, CopyIn(target_id="E2", expected_etag=target.etag), audited_deps)

    of_e2 = audit.list_entries(VIEWER, AuditQuery(distribution_id="E2"), audited_deps).entries
    assert [(entry.action, entry.detail) for entry in of_e2] == [
        (AuditAction.COPY, "copy version 1 of E1 onto E2")
    ]


def test_a_creation_is_in_the_new_distributions_trail_and_still_in_its_sources(
    audited_deps: VaultDeps, etag: str
) -> None:
    # When a distribution is created from version 2 of E1
    created = logic.create(EDITOR, CreateIn(source_id="E1", version=2), audited_deps)

    # Then its entry names the new distribution, and either's trail has it
    new_id = created.distribution_id
    of_new = audit.list_entries(VIEWER, AuditQuery(distribution_id=new_id), audited_deps).entries
    of_e1 = audit.list_entries(VIEWER, AuditQuery(distribution_id="E1"), audited_deps).entries
    assert of_new == of_e1[:1]
    (entry,) = of_new
    assert (entry.action, entry.distribution_id, entry.source_id) == (
        AuditAction.CREATE,
        new_id,
        "E1",
    )
    assert entry.result == f"distribution {new_id} at version 1"


def test_a_capture_that_finds_nothing_new_says_so(audited_deps: VaultDeps, etag: str) -> None:
    logic.capture(EDITOR, "E1", "", audited_deps)

    (latest, *_) = audit.list_entries(VIEWER, AuditQuery(), audited_deps).entries
    assert (latest.action, latest.result) == (AuditAction.CAPTURE, "unchanged at version 2")


def test_a_viewer_reads_the_trail_and_a_caller_without_a_vault_role_cannot(
    audited_deps: VaultDeps, etag: str
) -> None:
    assert len(audit.list_entries(VIEWER, AuditQuery(), audited_deps).entries) == 2
    with pytest.raises(ForbiddenError):
        audit.list_entries(NOBODY, AuditQuery(), audited_deps)


def test_a_change_the_caller_may_not_make_writes_no_entry(
    audited_deps: VaultDeps, cloudfront: ObservedCloudFront, etag: str
) -> None:
    with pytest.raises(ForbiddenError):
        logic.rollback(VIEWER, "E1", RollbackIn(version=1, expected_etag=etag), audited_deps)

    assert len(cloudfront.log.writes) == 4  # the two captures' pending and outcome


class StoppingAuditLog(InMemoryAuditLog):
    """A trail whose writes stop after a number of them, as a function stopped mid-change."""

    def __init__(self, writes_left: int) -> None:
        super().__init__()
        self.writes_left = writes_left

    def write(self, entry: AuditEntry) -> None:
        if self.writes_left == 0:
            raise TimeoutError("the function's time ran out")
        self.writes_left -= 1
        super().write(entry)


def test_a_change_whose_outcome_was_never_written_stays_pending_in_the_trail(
    audited_deps: VaultDeps, cloudfront: ObservedCloudFront, etag: str
) -> None:
    # Given a function that stops after the rollback's CloudFront call, before its outcome
    trail = StoppingAuditLog(writes_left=1)
    stopping = dataclasses.replace(audited_deps, audit=trail)

    with pytest.raises(TimeoutError):
        logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=etag), stopping)

    # Then CloudFront has the change, and the trail shows it pending
    assert cloudfront.get("E1").config["Comment"] == "one"
    (entry,) = audit.list_entries(VIEWER, AuditQuery(), stopping).entries
    assert (entry.action, entry.outcome) == (AuditAction.ROLLBACK, Outcome.PENDING)
