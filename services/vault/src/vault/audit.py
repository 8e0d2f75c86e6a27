"""The vault's audit trail, pure and typed: who changed what through the vault, when, with
the outcome. A change and its CloudFront call cannot share a transaction, so its entry is
written `pending` before the change and rewritten with the outcome after: a function that
stops in between leaves a visible `pending` entry."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from shop_common.errors import DomainError
from vault.dependencies import VaultRecords
from vault.models import AuditAction, AuditEntry, AuditQuery, Outcome, VaultCaller, VaultRole

# A failure's reason as the entry keeps it (a 422 can name many fields).
REASON_LENGTH = 1000


@dataclass(frozen=True)
class AuditListing:
    entries: list[AuditEntry]
    next_cursor: str | None


def list_entries(caller: VaultCaller, query: AuditQuery, deps: VaultRecords) -> AuditListing:
    caller.require(VaultRole.VIEWER)
    page = deps.audit.page(query.distribution_id, limit=query.limit, cursor=query.cursor)
    return AuditListing(page.items, page.next_cursor)


def audited[T](
    deps: VaultRecords,
    caller: VaultCaller,
    action: AuditAction,
    change: Callable[[], T],
    *,
    detail: str,
    result: Callable[[T], str],
    distribution_id: str | None = None,
    source_id: str | None = None,
    made: Callable[[T], str] | None = None,
) -> T:
    """Run `change` between its entry written `pending` and its outcome: `succeeded` with
    `result` of what it returned, or `failed` with the reason (and the error raised on). A
    change that makes a distribution names it with `made`: its entry succeeded is that
    distribution's, and still its `source_id`'s."""
    entry = AuditEntry(
        entry_id=deps.id_factory(),
        at=_precise(deps.clock()),
        who=caller.username,
        action=action,
        distribution_id=distribution_id,
        source_id=source_id,
        detail=detail,
    )
    deps.audit.write(entry)
    try:
        value = change()
    except Exception as exc:
        deps.audit.write(_finished(deps, entry, Outcome.FAILED, reason=_reason(exc)))
        raise
    if made is not None:
        entry = entry.model_copy(update={"distribution_id": made(value)})
    deps.audit.write(_finished(deps, entry, Outcome.SUCCEEDED, result=result(value)))
    return value


def _finished(
    deps: VaultRecords,
    entry: AuditEntry,
    outcome: Outcome,
    *,
    result: str | None = None,
    reason: str | None = None,
) -> AuditEntry:
    return entry.model_copy(
        update={
            "outcome": outcome,
            "result": result,
            "reason": reason,
            "finished_at": _precise(deps.clock()),
        }
    )


def _reason(exc: Exception) -> str:
    """A client's error as the client saw it; anything else only by its kind (its text may
    hold what the caller must not see)."""
    if not isinstance(exc, DomainError):
        return f"internal error ({type(exc).__name__})"
    fields = "; ".join(f"{error.field}: {error.message}" for error in exc.errors)
    reason = f"{exc.message} ({fields})" if fields else exc.message
    return reason[:REASON_LENGTH]


def _precise(moment: datetime) -> str:
    """ISO 8601 UTC to the millisecond: entries sort by it, newest first."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
