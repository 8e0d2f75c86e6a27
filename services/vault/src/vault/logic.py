"""The vault's rules, pure and typed: the vault's table, the configuration bodies, CloudFront,
time and ids come in as arguments (`VaultDeps`)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shop_common.clock import iso_timestamp
from shop_common.errors import (
    ConflictError,
    FieldError,
    NotFoundError,
    StaleReadError,
    UnprocessableError,
)
from shop_common.pagination import ListQuery
from shop_common.retry import retrying_stale_reads
from vault.audit import audited
from vault.dependencies import (
    AliasHeldError,
    DistributionGoneError,
    IncompleteListingError,
    LiveDistribution,
    VaultDeps,
    VaultRecords,
    VaultStore,
)
from vault.diff import changed_paths, normalized_patch
from vault.models import (
    Applied,
    AuditAction,
    Captured,
    CopyIn,
    Created,
    CreateIn,
    Diff,
    DiffQuery,
    Distribution,
    DistributionDetail,
    DistributionListQuery,
    DistributionState,
    NotificationEvent,
    RollbackIn,
    Source,
    VaultCaller,
    VaultRole,
    Version,
    VersionWithConfig,
)
from vault.normalize import config_hash, normalize
from vault.notifications import notify
from vault.references import references

# The tag CloudFormation puts on what a stack owns.
STACK_TAG = "aws:cloudformation:stack-name"
# What a copy keeps of the distribution it lands on: what makes it that distribution.
KEPT_ON_COPY = (
    "CallerReference",
    "Aliases",
    "ViewerCertificate",
    "WebACLId",
    "ContinuousDeploymentPolicyId",
    "Staging",
)
# A version number lost to a concurrent writer is allocated again (after a random pause),
# this many times in all.
ALLOCATION_ATTEMPTS = 10


@dataclass(frozen=True)
class DistributionListing:
    distributions: list[Distribution]
    next_cursor: str | None


@dataclass(frozen=True)
class VersionListing:
    versions: list[Version]
    next_cursor: str | None


def list_distributions(
    caller: VaultCaller, query: DistributionListQuery, deps: VaultRecords
) -> DistributionListing:
    caller.require(VaultRole.VIEWER)
    page = deps.table.page_distributions(query.state, limit=query.limit, cursor=query.cursor)
    return DistributionListing(page.items, page.next_cursor)


def get_distribution(
    caller: VaultCaller, distribution_id: str, deps: VaultStore
) -> DistributionDetail:
    """The distribution as the vault last recorded it (a deleted one: its last version)."""
    caller.require(VaultRole.VIEWER)
    known = _known(deps, distribution_id)
    version = _version(deps, distribution_id, known.current_version)
    config = deps.bodies.get(version.config_key)
    return DistributionDetail(
        distribution=known,
        origins=[str(origin["Id"]) for origin in _items(config.get("Origins"))],
        behaviors=[
            *(str(behavior["PathPattern"]) for behavior in _items(config.get("CacheBehaviors"))),
            "Default (*)",
        ],
        config=config,
        tags=version.tags,
    )


def list_versions(
    caller: VaultCaller, distribution_id: str, query: ListQuery, deps: VaultRecords
) -> VersionListing:
    caller.require(VaultRole.VIEWER)
    _known(deps, distribution_id)
    page = deps.table.page_versions(distribution_id, limit=query.limit, cursor=query.cursor)
    return VersionListing(page.items, page.next_cursor)


def get_version(
    caller: VaultCaller, distribution_id: str, number: int, deps: VaultStore
) -> VersionWithConfig:
    caller.require(VaultRole.VIEWER)
    version = _version(deps, distribution_id, number)
    config = deps.bodies.get(version.config_key)
    return VersionWithConfig(**version.model_dump(), config=config)


def diff(caller: VaultCaller, distribution_id: str, query: DiffQuery, deps: VaultDeps) -> Diff:
    """A JSON Patch from version `from` to version `to`, or to the configuration now."""
    caller.require(VaultRole.VIEWER)
    before = deps.bodies.get(_version(deps, distribution_id, query.from_version, "from").config_key)
    if query.to_number is None:
        after = _live(deps, distribution_id).config
    else:
        after = deps.bodies.get(_version(deps, distribution_id, query.to_number, "to").config_key)
    # Each side normalized once, for the patch and for the answer.
    before, after = normalize(before), normalize(after)
    return Diff(
        from_version=query.from_version,
        to_version=query.to_number or "current",
        patch=normalized_patch(before, after),
        before=before,
        after=after,
    )


def capture(caller: VaultCaller, distribution_id: str, note: str, deps: VaultDeps) -> Captured:
    """Record the distribution's configuration now, as a new version if it changed."""
    caller.require(VaultRole.EDITOR)

    def change() -> Captured:
        live = _live(deps, distribution_id)
        return record(deps, live, source=Source.CAPTURED, who=caller.username, note=note)

    return audited(
        deps,
        caller,
        AuditAction.CAPTURE,
        change,
        detail="capture",
        result=lambda captured: _version_result(captured.version, captured.created),
        distribution_id=distribution_id,
    )


def detect(deps: VaultDeps, distribution_id: str) -> Captured | None:
    """A detection run's look at one distribution: a new version if it changed, and
    deleted if it is gone (None)."""
    try:
        live = deps.cloudfront.get(distribution_id)
    except DistributionGoneError:
        mark_if_deleted(deps, distribution_id)
        return None
    return record(deps, live, source=Source.DETECTED, who=None, note="")


def rollback(
    caller: VaultCaller, distribution_id: str, request: RollbackIn, deps: VaultDeps
) -> Applied:
    """Put version `request.version` back on its distribution, unless the distribution
    changed since the ETag the caller saw."""
    caller.require(VaultRole.EDITOR)
    applied = audited(
        deps,
        caller,
        AuditAction.ROLLBACK,
        lambda: _rollback(caller, distribution_id, request, deps),
        detail=f"roll back to version {request.version}",
        result=_applied_result,
        distribution_id=distribution_id,
    )
    _notify_changed(
        deps,
        caller,
        applied,
        f"Distribution {distribution_id} rolled back to version {request.version}",
    )
    return applied


def _rollback(
    caller: VaultCaller, distribution_id: str, request: RollbackIn, deps: VaultDeps
) -> Applied:
    version = _version(deps, distribution_id, request.version, "version")
    wanted = deps.bodies.get(version.config_key)
    live = _live(deps, distribution_id)
    current = _check_unchanged(deps, live, request.expected_etag)
    config = {**wanted, "CallerReference": live.config["CallerReference"]}
    return _apply(
        deps,
        live,
        current,
        config,
        acknowledge_drift=request.acknowledge_drift,
        source=Source.ROLLED_BACK,
        who=caller.username,
        note=f"Rolled back to version {request.version}",
        rolled_back_from=request.version,
    )


def copy(
    caller: VaultCaller, source_id: str, number: int, request: CopyIn, deps: VaultDeps
) -> Applied:
    """Put version `number` of `source_id` on another distribution, which keeps what makes
    it itself (KEPT_ON_COPY)."""
    caller.require(VaultRole.EDITOR)
    applied = audited(
        deps,
        caller,
        AuditAction.COPY,
        lambda: _copy(caller, source_id, number, request, deps),
        detail=f"copy version {number} of {source_id} onto {request.target_id}",
        result=_applied_result,
        distribution_id=request.target_id,
    )
    _notify_changed(
        deps, caller, applied, f"Version {number} of {source_id} copied onto {request.target_id}"
    )
    return applied


def _copy(
    caller: VaultCaller, source_id: str, number: int, request: CopyIn, deps: VaultDeps
) -> Applied:
    version = _version(deps, source_id, number, "version")
    wanted = deps.bodies.get(version.config_key)
    live = _live(deps, request.target_id, "target_id")
    current = _check_unchanged(deps, live, request.expected_etag)
    config = {key: value for key, value in wanted.items() if key not in KEPT_ON_COPY}
    config.update({key: live.config[key] for key in KEPT_ON_COPY if key in live.config})
    return _apply(
        deps,
        live,
        current,
        config,
        acknowledge_drift=request.acknowledge_drift,
        source=Source.COPIED,
        who=caller.username,
        note=f"Copied from {source_id} version {number}",
    )


def _apply(
    deps: VaultDeps,
    live: LiveDistribution,
    current: Version,
    config: dict[str, Any],
    *,
    acknowledge_drift: bool,
    source: Source,
    who: str,
    note: str,
    rolled_back_from: int | None = None,
) -> Applied:
    """`config` on the distribution as its next version; nothing (no new ETag, no
    deployment) when it is the configuration the distribution has (`current`)."""
    if config_hash(config) == current.config_hash:
        return Applied(
            distribution_id=live.distribution_id,
            version=current,
            etag=live.etag,
            created=False,
        )
    _check_drift(live, acknowledge_drift)
    _check_references(deps, config)
    updated = deps.cloudfront.update(live.distribution_id, config, if_match=live.etag)
    captured = record(
        deps,
        updated,
        source=source,
        who=who,
        note=note,
        rolled_back_from=rolled_back_from,
    )
    return Applied(
        distribution_id=live.distribution_id,
        version=captured.version,
        etag=updated.etag,
        created=True,
    )


def create(caller: VaultCaller, request: CreateIn, deps: VaultDeps) -> Created:
    """A new distribution from a version (how a deleted one comes back): a reference of its
    own, and none of the aliases another distribution holds."""
    caller.require(VaultRole.EDITOR)
    created = audited(
        deps,
        caller,
        AuditAction.CREATE,
        lambda: _create(caller, request, deps),
        detail=f"create a distribution from version {request.version} of {request.source_id}",
        result=lambda done: (
            f"distribution {done.distribution_id} at version {done.version.version}"
        ),
        distribution_id=request.source_id,
        source_id=request.source_id,
        made=lambda done: done.distribution_id,
    )
    left_out = ", ".join(created.aliases_left_out) or "none"
    notify(
        deps,
        NotificationEvent.DISTRIBUTION_CHANGED,
        f"Distribution {created.distribution_id} created from {request.source_id}",
        [
            f"{caller.username} created distribution {created.distribution_id}"
            f" ({created.domain_name}) from version {request.version} of {request.source_id}.",
            f"Aliases left out (held by another distribution): {left_out}.",
        ],
    )
    return created


def _create(caller: VaultCaller, request: CreateIn, deps: VaultDeps) -> Created:
    version = _version(deps, request.source_id, request.version, "version", "source_id")
    wanted = deps.bodies.get(version.config_key)
    aliases = list(_items(wanted.get("Aliases")))
    config = {
        key: value
        for key, value in wanted.items()
        if key not in {"ContinuousDeploymentPolicyId", "Staging"}
    }
    config["CallerReference"] = deps.id_factory()
    _check_references(deps, config)
    tags = {key: value for key, value in version.tags.items() if not key.startswith("aws:")}
    live, held = _created_without_held_aliases(deps, config, aliases, tags)
    captured = record(
        deps,
        live,
        source=Source.CREATED,
        who=caller.username,
        note=f"Created from {request.source_id} version {request.version}",
    )
    return Created(
        distribution_id=live.distribution_id,
        domain_name=live.domain_name,
        version=captured.version,
        aliases_left_out=[alias for alias in aliases if alias in held],
    )


def _created_without_held_aliases(
    deps: VaultDeps, config: dict[str, Any], aliases: list[str], tags: Mapping[str, str]
) -> tuple[LiveDistribution, set[str]]:
    """The distribution created with those of `aliases` no other distribution holds, and the
    aliases held. An alias taken between the listing and the creation (by another creation
    from the same version, say) is CloudFront's `CNAMEAlreadyExists`: listed again, left out.
    Refused as CloudFront refused it when none of the aliases sent was taken meanwhile (one
    held in another account, which no listing shows)."""
    held = _held_aliases(deps)
    while True:
        kept = [alias for alias in aliases if alias not in held]
        config["Aliases"] = {"Quantity": len(kept), "Items": kept} if kept else {"Quantity": 0}
        try:
            return deps.cloudfront.create(config, tags), held
        except AliasHeldError:
            now_held = _held_aliases(deps)
            if now_held.isdisjoint(kept):
                raise
            held = now_held


def _held_aliases(deps: VaultDeps) -> set[str]:
    return {alias for listed in deps.cloudfront.list_all() for alias in listed.aliases}


def record(
    deps: VaultDeps,
    live: LiveDistribution,
    *,
    source: Source,
    who: str | None,
    note: str,
    rolled_back_from: int | None = None,
) -> Captured:
    """`live` as the distribution's next version, unless its normalized configuration is the
    latest version's. The number is allocated by a conditional write: a writer that loses
    the race reads again (and finds its configuration recorded, or takes the next number)."""
    digest = config_hash(live.config)

    def allocate() -> Captured:
        known = deps.table.get_distribution(live.distribution_id)
        if (
            known is not None
            and known.current_hash == digest
            and known.state is DistributionState.ACTIVE
        ):
            latest = _version(deps, live.distribution_id, known.current_version)
            summary = _summary(live, latest)
            if summary != known:  # a new ETag, InProgress now Deployed...
                deps.table.refresh_summary(summary)
            return Captured(version=latest, created=False)
        previous = known.current_version if known else 0
        version = Version(
            distribution_id=live.distribution_id,
            version=previous + 1,
            config_hash=digest,
            config_key=deps.bodies.put(digest, live.config),
            etag=live.etag,
            tags=live.tags,
            at=iso_timestamp(deps.clock()),
            who=who,
            source=source,
            rolled_back_from=rolled_back_from,
            note=note,
        )
        deps.table.record(_summary(live, version), version, previous=previous)
        return Captured(version=version, created=True)

    try:
        captured = retrying_stale_reads(allocate, deps.pause, ALLOCATION_ATTEMPTS)
    except StaleReadError as exc:
        raise ConflictError(
            "The distribution keeps changing: try again",
            [FieldError("distribution_id", "versions were recorded meanwhile")],
        ) from exc
    if captured.created and source is Source.DETECTED:
        _notify_detected(deps, captured.version)
    return captured


def mark_deleted(deps: VaultDeps, distribution_id: str) -> None:
    """Mark a distribution CloudFront no longer has deleted, and say so."""
    at = iso_timestamp(deps.clock())
    deps.table.mark_deleted(distribution_id, at)
    notify(
        deps,
        NotificationEvent.DISTRIBUTION_DELETED,
        f"Distribution {distribution_id} was deleted",
        [
            f"Distribution {distribution_id} is no longer in CloudFront (seen at {at}).",
            "Its versions are kept: it can be created again from any of them.",
        ],
    )


def mark_if_deleted(deps: VaultDeps, distribution_id: str) -> bool:
    """Mark the distribution deleted if a complete listing lacks it and CloudFront answers
    NoSuchDistribution; an incomplete (throttled) listing marks nothing."""
    try:
        listed = {item.distribution_id for item in deps.cloudfront.list_all()}
    except IncompleteListingError:
        return False
    if distribution_id in listed:
        return False
    try:
        deps.cloudfront.get(distribution_id)
    except DistributionGoneError:
        known = deps.table.get_distribution(distribution_id)
        if known is not None and known.state is DistributionState.ACTIVE:
            mark_deleted(deps, distribution_id)
        return True
    return False


def _notify_detected(deps: VaultDeps, version: Version) -> None:
    who = f" by {version.who}" if version.who else ""
    notify(
        deps,
        NotificationEvent.VERSION_DETECTED,
        f"Distribution {version.distribution_id} changed: version {version.version}",
        [
            f"A change{who} to distribution {version.distribution_id} was detected at"
            f" {version.at} and kept as version {version.version} (ETag {version.etag}).",
            *([version.note] if version.note else []),
        ],
    )


def _notify_changed(deps: VaultDeps, caller: VaultCaller, applied: Applied, what: str) -> None:
    if not applied.created:
        return
    notify(
        deps,
        NotificationEvent.DISTRIBUTION_CHANGED,
        what,
        [
            f"{what} by {caller.username} at {applied.version.at}.",
            f"Distribution {applied.distribution_id} is now at version"
            f" {applied.version.version} (ETag {applied.etag}).",
        ],
    )


def _applied_result(applied: Applied) -> str:
    return f"{_version_result(applied.version, applied.created)}, ETag {applied.etag}"


def _version_result(version: Version, created: bool) -> str:
    return f"version {version.version}" if created else f"unchanged at version {version.version}"


def _summary(live: LiveDistribution, version: Version) -> Distribution:
    return Distribution(
        distribution_id=live.distribution_id,
        state=DistributionState.ACTIVE,
        domain_name=live.domain_name,
        aliases=sorted(_items(live.config.get("Aliases"))),
        comment=live.config.get("Comment", ""),
        enabled=live.config["Enabled"],
        status=live.status,
        stack=live.tags.get(STACK_TAG),
        current_version=version.version,
        current_hash=version.config_hash,
        etag=live.etag,
        updated_at=version.at,
    )


def _check_unchanged(deps: VaultDeps, live: LiveDistribution, expected_etag: str) -> Version:
    """409 if the distribution changed since the caller saw `expected_etag`, naming what
    changed. The configuration found is first recorded as a detected version, even when its
    ETag is the one expected: a change made directly in CloudFront may not be detected yet,
    and the update that follows would lose it. An update that left the configuration as the
    caller saw it (a new ETag only) overwrites nothing: no 409. Answers that version."""
    current = record(deps, live, source=Source.DETECTED, who=None, note="").version
    if live.etag == expected_etag:
        return current
    seen = deps.table.version_with_etag(live.distribution_id, expected_etag)
    if seen is not None and seen.config_hash == current.config_hash:
        return current
    changes = changed_paths(deps.bodies.get(seen.config_key), live.config) if seen else []
    raise ConflictError(
        f"Distribution {live.distribution_id} changed since ETag {expected_etag}: review the"
        " changes and try again",
        [
            FieldError("expected_etag", f"the distribution's ETag is now {live.etag}"),
            *(FieldError(f"config{path}", "changed since") for path in changes),
        ],
    )


def _check_drift(live: LiveDistribution, acknowledged: bool) -> None:
    stack = live.tags.get(STACK_TAG)
    if stack and not acknowledged:
        raise ConflictError(
            f"Distribution {live.distribution_id} belongs to the CloudFormation stack {stack}:"
            " this change is drift that the stack's next deploy reverts",
            [FieldError("acknowledge_drift", "must be true to change a stack's distribution")],
        )


def _check_references(deps: VaultDeps, config: Mapping[str, Any]) -> None:
    missing = [ref for ref in references(config) if not deps.cloudfront.exists(ref)]
    if missing:
        raise UnprocessableError(
            "The configuration refers to resources that no longer exist",
            [FieldError(f"config.{ref.field}", f"no {ref.kind} {ref.target}") for ref in missing],
        )


def _known(
    deps: VaultRecords, distribution_id: str, field_name: str = "distribution_id"
) -> Distribution:
    known = deps.table.get_distribution(distribution_id)
    if known is None:
        raise NotFoundError(
            f"The vault holds no distribution {distribution_id}",
            [FieldError(field_name, "no such distribution in the vault")],
        )
    return known


def _version(
    deps: VaultRecords,
    distribution_id: str,
    number: int,
    field_name: str = "version",
    distribution_field: str = "distribution_id",
) -> Version:
    """The version; a 404 naming `distribution_field` if the vault holds no such
    distribution, else `field_name`."""
    version = deps.table.get_version(distribution_id, number)
    if version is None:
        _known(deps, distribution_id, distribution_field)
        raise NotFoundError(
            f"Distribution {distribution_id} has no version {number}",
            [FieldError(field_name, f"no version {number} of {distribution_id}")],
        )
    return version


def _live(
    deps: VaultDeps, distribution_id: str, field_name: str = "distribution_id"
) -> LiveDistribution:
    """The distribution in CloudFront now; a 404 if it is gone (and marked deleted), or was
    never there as far as the vault knows."""
    try:
        return deps.cloudfront.get(distribution_id)
    except DistributionGoneError as exc:
        if deps.table.get_distribution(distribution_id) is None:  # nothing the vault could mark
            raise NotFoundError(
                f"CloudFront has no distribution {distribution_id}",
                [FieldError(field_name, "no such distribution in CloudFront")],
            ) from exc
        mark_if_deleted(deps, distribution_id)
        raise NotFoundError(
            f"Distribution {distribution_id} no longer exists in CloudFront",
            [FieldError(field_name, "deleted: create it again from one of its versions")],
        ) from exc


def _items(wrapper: Mapping[str, Any] | None) -> list[Any]:
    return list((wrapper or {}).get("Items") or [])
