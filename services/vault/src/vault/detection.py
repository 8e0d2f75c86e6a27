"""Change detection: a run over every distribution of the account (the schedules), and one
distribution as a CloudTrail management event names it (near-real-time, naming who).

A run concludes a deletion only from a complete listing AND CloudFront's `NoSuchDistribution`;
a throttled run (boto3's retries with backoff exhausted) stops where it is, marks nothing
deleted, and reports itself incomplete: the next run starts over and finishes."""

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shop_common.clock import iso_timestamp
from vault.dependencies import DistributionGoneError, IncompleteListingError, VaultDeps
from vault.logic import detect, mark_deleted, mark_if_deleted, record
from vault.models import Distribution, DistributionState, NotificationEvent, Source
from vault.notifications import notify

# The page size of the vault's own listing of the distributions it knows.
KNOWN_PAGE = 100
# CloudTrail's CloudFront management events that change a distribution's configuration, tags
# or existence; each names the distribution in its request or its response.
CHANGING_EVENTS = frozenset(
    {
        "CreateDistribution",
        "CreateDistributionWithTags",
        "CopyDistribution",
        "UpdateDistribution",
        "DeleteDistribution",
        "TagResource",
        "UntagResource",
    }
)


class DetectionRun(BaseModel):
    """What one run did: `complete` False when CloudFront throttled it (nothing deleted)."""

    model_config = ConfigDict(frozen=True)

    complete: bool
    listed: int
    new_versions: list[str] = []
    deleted: list[str] = []


class TrailIdentity(BaseModel):
    """CloudTrail's `userIdentity`: who made the call (an IAM user, a role's session...)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    type: str = ""
    arn: str | None = None
    principalId: str | None = None  # noqa: N815 (CloudTrail's field name)

    @property
    def who(self) -> str:
        return self.arn or self.principalId or self.type or "unknown"


class TrailEvent(BaseModel):
    """The `detail` of an "AWS API Call via CloudTrail" event from cloudfront.amazonaws.com."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    eventName: Annotated[str, StringConstraints(min_length=1)]  # noqa: N815
    userIdentity: TrailIdentity = Field(default_factory=TrailIdentity)  # noqa: N815
    requestParameters: dict[str, Any] | None = None  # noqa: N815
    responseElements: dict[str, Any] | None = None  # noqa: N815

    @property
    def distribution_id(self) -> str | None:
        """The distribution the call was about: its id in the request (update, delete), its
        ARN (tags) or, for a creation, the new distribution in the response."""
        request = self.requestParameters or {}
        if "id" in request:
            return str(request["id"])
        if "resource" in request:
            return str(request["resource"]).rsplit("/", 1)[-1]
        created = (self.responseElements or {}).get("distribution") or {}
        return str(created["id"]) if "id" in created else None


def run(deps: VaultDeps) -> DetectionRun:
    """Every distribution: a `detected` version for each whose configuration changed, and
    each the vault knows as active that a complete listing lacks and CloudFront no longer
    has, marked deleted. A run that could not finish is e-mailed to its list."""
    try:
        outcome = _run(deps)
    except Exception as exc:
        _notify_failed(deps, f"it stopped on an error ({type(exc).__name__}).")
        raise
    if not outcome.complete:
        _notify_failed(
            deps,
            f"CloudFront throttled it after {outcome.listed} distributions listed; nothing was"
            " marked deleted and the next run starts over.",
        )
    return outcome


def _notify_failed(deps: VaultDeps, why: str) -> None:
    notify(
        deps,
        NotificationEvent.DETECTION_FAILED,
        "A detection run did not finish",
        [f"The run of {iso_timestamp(deps.clock())} did not finish: {why}"],
    )


def _run(deps: VaultDeps) -> DetectionRun:
    try:
        listed = [item.distribution_id for item in deps.cloudfront.list_all()]
    except IncompleteListingError:
        return DetectionRun(complete=False, listed=0)
    new_versions: list[str] = []
    try:
        for distribution_id in listed:
            if _detect(deps, distribution_id, who=None, note=""):
                new_versions.append(distribution_id)
        deleted = _gone(deps, set(listed))
    except IncompleteListingError:
        return DetectionRun(complete=False, listed=len(listed), new_versions=new_versions)
    return DetectionRun(
        complete=True, listed=len(listed), new_versions=new_versions, deleted=deleted
    )


def one(deps: VaultDeps, distribution_id: str) -> DetectionRun:
    """One distribution (its own schedule): a `detected` version if it changed, marked
    deleted if a complete listing lacks it and CloudFront no longer has it."""
    try:
        captured = detect(deps, distribution_id)
    except IncompleteListingError:
        return DetectionRun(complete=False, listed=0)
    if captured is not None:
        changed = [distribution_id] if captured.created else []
        return DetectionRun(complete=True, listed=1, new_versions=changed)
    known = deps.table.get_distribution(distribution_id)
    gone = known is not None and known.state is DistributionState.DELETED
    return DetectionRun(complete=True, listed=0, deleted=[distribution_id] if gone else [])


def on_trail_event(deps: VaultDeps, event: TrailEvent) -> DetectionRun:
    """One distribution, as soon as CloudTrail reports a change to it, attributed to the
    CloudTrail identity that made it."""
    distribution_id = event.distribution_id
    if event.eventName not in CHANGING_EVENTS or distribution_id is None:
        return DetectionRun(complete=True, listed=0)
    if event.eventName == "DeleteDistribution":
        deleted = mark_if_deleted(deps, distribution_id)
        return DetectionRun(complete=True, listed=0, deleted=[distribution_id] if deleted else [])
    note = f"{event.eventName} by {event.userIdentity.who}"
    changed = _detect(deps, distribution_id, who=event.userIdentity.who, note=note)
    return DetectionRun(complete=True, listed=0, new_versions=[distribution_id] if changed else [])


def _detect(deps: VaultDeps, distribution_id: str, *, who: str | None, note: str) -> bool:
    """Whether the distribution's configuration changed (a new version recorded); a
    distribution gone meanwhile is left to the deletion check."""
    try:
        live = deps.cloudfront.get(distribution_id)
    except DistributionGoneError:
        return False
    return record(deps, live, source=Source.DETECTED, who=who, note=note).created


def _gone(deps: VaultDeps, listed: set[str]) -> list[str]:
    deleted = []
    # Read whole before marking: a mark moves the distribution out of the pages being read.
    for known in list(_known_active(deps)):
        if known.distribution_id in listed:
            continue
        try:
            deps.cloudfront.get(known.distribution_id)
        except DistributionGoneError:
            mark_deleted(deps, known.distribution_id)
            deleted.append(known.distribution_id)
    return deleted


def _known_active(deps: VaultDeps) -> Iterator[Distribution]:
    cursor: str | None = None
    while True:
        page = deps.table.page_distributions(
            DistributionState.ACTIVE, limit=KNOWN_PAGE, cursor=cursor
        )
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
