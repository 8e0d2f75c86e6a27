"""What the vault's rules reach through, as protocols: CloudFront, the vault's table, the
configuration bodies, the audit log and the notification lists (the repository implements
them with boto3; tests pass fakes), and `VaultDeps`, which carries them with the notifier,
the clock and the id factory (`VaultRecords` and `VaultStore`: those of them a route that
reads no body, or never calls CloudFront, reaches). The vault's other modules import this
one, never each other's dependencies."""

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from shop_common.clock import Clock, IdFactory, new_id, utc_now
from shop_common.errors import NotFoundError, UnprocessableError
from shop_common.notify import Notifier
from shop_common.pagination import CursorPage
from shop_common.retry import Pause
from vault.models import AuditEntry, Distribution, DistributionState, NotificationLists, Version
from vault.references import Reference


class DistributionGoneError(NotFoundError):
    """CloudFront answered `NoSuchDistribution`."""


class AliasHeldError(UnprocessableError):
    """CloudFront answered `CNAMEAlreadyExists`: another distribution holds an alias."""


class IncompleteListingError(Exception):
    """A listing of the account's distributions that did not reach its end (throttled):
    nothing may be concluded from what it lacks."""


@dataclass(frozen=True)
class LiveDistribution:
    """A distribution as CloudFront has it now."""

    distribution_id: str
    arn: str
    domain_name: str
    status: str
    etag: str
    config: dict[str, Any]
    tags: dict[str, str]


@dataclass(frozen=True)
class ListedDistribution:
    distribution_id: str
    aliases: tuple[str, ...]


class CloudFront(Protocol):
    def get(self, distribution_id: str) -> LiveDistribution:
        """`DistributionGoneError` if CloudFront has no such distribution;
        `IncompleteListingError` if CloudFront throttled the read."""
        ...

    def list_all(self) -> list[ListedDistribution]:
        """Every distribution of the account; `IncompleteListingError` if the listing
        could not be read to its end."""
        ...

    def update(
        self, distribution_id: str, config: Mapping[str, Any], *, if_match: str
    ) -> LiveDistribution:
        """`ConflictError` if its ETag is no longer `if_match`."""
        ...

    def create(self, config: Mapping[str, Any], tags: Mapping[str, str]) -> LiveDistribution: ...

    def exists(self, reference: Reference) -> bool: ...


class VaultTable(Protocol):
    def get_distribution(self, distribution_id: str) -> Distribution | None: ...

    def page_distributions(
        self, state: DistributionState, *, limit: int, cursor: str | None
    ) -> CursorPage[Distribution]: ...

    def get_version(self, distribution_id: str, number: int) -> Version | None: ...

    def version_with_etag(self, distribution_id: str, etag: str) -> Version | None: ...

    def page_versions(
        self, distribution_id: str, *, limit: int, cursor: str | None
    ) -> CursorPage[Version]:
        """Newest first."""
        ...

    def record(self, distribution: Distribution, version: Version, *, previous: int) -> None:
        """Store `version` as number `previous + 1` and `distribution` as its summary, both
        or neither; `StaleReadError` if the distribution's latest version is no longer
        `previous` (0: none) or that number is taken."""
        ...

    def refresh_summary(self, distribution: Distribution) -> None:
        """`distribution` as the summary of its current version, as CloudFront shows it now
        (its status, its ETag: CloudFront changes the ETag on an update that leaves the
        configuration as it was, and the ETag is then its current version's too), both or
        neither; `StaleReadError` if the distribution's latest version is no longer
        `distribution.current_version`."""
        ...

    def mark_deleted(self, distribution_id: str, at: str) -> None: ...


class ConfigBodies(Protocol):
    def put(self, digest: str, config: Mapping[str, Any]) -> str:
        """Store `config` under its hash; returns its key."""
        ...

    def get(self, key: str) -> dict[str, Any]: ...


class AuditLog(Protocol):
    def write(self, entry: AuditEntry) -> None:
        """Store `entry`, replacing the one with its `entry_id` and `at` if any."""
        ...

    def page(
        self, distribution_id: str | None, *, limit: int, cursor: str | None
    ) -> CursorPage[AuditEntry]:
        """Newest first; only `distribution_id`'s entries unless it is None."""
        ...


class NotificationSettings(Protocol):
    def get(self) -> NotificationLists:
        """The lists as last saved (none saved: every list empty)."""
        ...

    def put(self, lists: NotificationLists) -> None: ...


@dataclass(frozen=True, kw_only=True)
class VaultRecords:
    """What the vault keeps in its table (distributions, versions, the audit trail, the
    notification lists) and the notifier that tells of a change: all that a route reading
    no configuration body reaches (the listings, the audit trail, the notification lists,
    users and schedules)."""

    table: VaultTable
    audit: AuditLog
    notification_settings: NotificationSettings
    notifier: Notifier
    clock: Clock = field(default=utc_now)
    id_factory: IdFactory = field(default=new_id)


@dataclass(frozen=True, kw_only=True)
class VaultStore(VaultRecords):
    """The records with the configuration bodies: all that a route reading a version
    without calling CloudFront reaches."""

    bodies: ConfigBodies


@dataclass(frozen=True, kw_only=True)
class VaultDeps(VaultStore):
    """The store with CloudFront: what a route that reads or changes it reaches.

    Each route's function makes the clients of its own level at cold start, no other (the
    S3 client, CloudFront's three)."""

    cloudfront: CloudFront
    pause: Pause = field(default=time.sleep)
