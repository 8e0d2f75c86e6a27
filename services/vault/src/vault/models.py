"""The vault's boundaries: the caller's role, stored distributions and versions, request
bodies, queries and responses."""

from enum import StrEnum
from typing import Annotated, Any, Literal

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
)

from shop_common.errors import ForbiddenError, UnauthorizedError
from shop_common.notify import Address
from shop_common.pagination import ListQuery
from shop_common.text import LINES
from shop_common.validation import DIGITS, described_as

# CloudFront's distribution ids: upper-case letters and digits.
DistributionId = Annotated[
    str,
    Field(strict=True, pattern=r"^[A-Z0-9]{1,32}$"),
    described_as("a CloudFront distribution id: 1 to 32 upper-case letters and digits"),
]
ETag = Annotated[
    str,
    Field(strict=True, pattern=r"^[A-Za-z0-9]{1,64}$"),
    described_as("an ETag as CloudFront gives it: 1 to 64 letters and digits"),
]
VersionNumber = Annotated[int, Field(strict=True, ge=1)]
Note = Annotated[
    str, Field(strict=True), StringConstraints(strip_whitespace=True, max_length=500), LINES
]


class VaultRole(StrEnum):
    """The vault's roles, each allowed what the one before it is, and more."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(VaultRole).index(self)


class Source(StrEnum):
    """How a version came to be."""

    DETECTED = "detected"
    CAPTURED = "captured"
    ROLLED_BACK = "rolled-back"
    COPIED = "copied"
    CREATED = "created"


class DistributionState(StrEnum):
    ACTIVE = "active"
    DELETED = "deleted"


class VaultCaller(BaseModel):
    """The caller as the authorizer describes them (`vault_role` absent: no vault access)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    username: str = Field(min_length=1)
    sub: str = Field(min_length=1)
    vault_role: VaultRole | None = None

    def require(self, role: VaultRole) -> None:
        """`ForbiddenError` unless the caller's role is `role` or above."""
        if self.vault_role is None or self.vault_role.rank < role.rank:
            raise ForbiddenError(f"This needs the vault role {role} or above")


def vault_caller_from(event: APIGatewayProxyEvent) -> VaultCaller:
    context = event.request_context.authorizer.get_context()
    try:
        return VaultCaller.model_validate(
            {**context, "vault_role": context.get("vault_role") or None}
        )
    except ValidationError as exc:
        raise UnauthorizedError("No authenticated caller in the request") from exc


class Distribution(BaseModel):
    """What the vault knows of a distribution (stored item and the listing's entries)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    distribution_id: str
    state: DistributionState
    domain_name: str
    aliases: list[str] = []
    comment: str = ""
    enabled: bool
    status: str
    # The CloudFormation stack that owns it (its `aws:cloudformation:stack-name` tag).
    stack: str | None = None
    current_version: int
    current_hash: str
    etag: str
    updated_at: str
    deleted_at: str | None = None


class Version(BaseModel):
    """One version: where its configuration lives (`config_key`, content-addressed by
    `config_hash`), the tags, the ETag it had, when, who, how, and a note."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    distribution_id: str
    version: int
    config_hash: str
    config_key: str
    etag: str
    tags: dict[str, str] = {}
    at: str
    who: str | None = None
    source: Source
    rolled_back_from: int | None = None
    note: str = ""


class VersionWithConfig(Version):
    """A version and its whole DistributionConfig (`GET .../versions/{n}`)."""

    config: dict[str, Any]


class DistributionDetail(BaseModel):
    """`GET /vault/distributions/{id}`: the summary, the current configuration and tags."""

    model_config = ConfigDict(frozen=True)

    distribution: Distribution
    origins: list[str]
    behaviors: list[str]
    config: dict[str, Any]
    tags: dict[str, str]


class DistributionListQuery(ListQuery):
    state: DistributionState = DistributionState.ACTIVE


class DistributionKey(BaseModel):
    model_config = ConfigDict(frozen=True)

    distribution_id: DistributionId


class VersionKey(DistributionKey):
    version: Annotated[int, DIGITS, Field(ge=1)]


class DiffQuery(BaseModel):
    """`?from=N&to=M`, `to=current` for the distribution as it is now."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    from_version: Annotated[int, DIGITS, Field(ge=1)] = Field(alias="from")
    to_version: Annotated[
        str,
        Field(pattern=r"^([1-9][0-9]{0,9}|current)$"),
        described_as("a version number (1 or more) or current"),
    ] = Field(alias="to")

    @property
    def to_number(self) -> int | None:
        """The version `to` names; None for the configuration now."""
        return None if self.to_version == "current" else int(self.to_version)


class Diff(BaseModel):
    """A JSON Patch (RFC 6902) from one side to the other, and both sides normalized."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)

    from_version: int = Field(serialization_alias="from")
    to_version: int | Literal["current"] = Field(serialization_alias="to")
    patch: list[dict[str, Any]]
    before: dict[str, Any]
    after: dict[str, Any]


class CaptureIn(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    note: Note = ""


class RollbackIn(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: VersionNumber
    expected_etag: ETag
    acknowledge_drift: StrictBool = False


class CopyIn(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    target_id: DistributionId
    expected_etag: ETag
    acknowledge_drift: StrictBool = False


class CreateIn(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source_id: DistributionId
    version: VersionNumber


class Captured(BaseModel):
    """A capture's answer: the distribution's latest version, and whether it is new."""

    model_config = ConfigDict(frozen=True)

    version: Version
    created: bool


class Applied(BaseModel):
    """A rollback's or copy's answer: the version the distribution now has, and whether it
    is new (False: the distribution had that configuration already, and was left as it was)."""

    model_config = ConfigDict(frozen=True)

    distribution_id: str
    version: Version
    etag: str
    created: bool


class Created(BaseModel):
    """A new distribution from a version; `aliases_left_out`: held by another distribution."""

    model_config = ConfigDict(frozen=True)

    distribution_id: str
    domain_name: str
    version: Version
    aliases_left_out: list[str]


class AuditAction(StrEnum):
    """What an audit entry records: a change made through the vault."""

    CAPTURE = "capture"
    ROLLBACK = "rollback"
    COPY = "copy"
    CREATE = "create"
    NOTIFICATIONS = "notifications"
    USERS = "users"
    SCHEDULES = "schedules"


class Outcome(StrEnum):
    """`pending` until the change's outcome is written: one left pending is a change whose
    function stopped between its CloudFront call and the entry's update."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class AuditEntry(BaseModel):
    """Who did what, when (`at`, to the millisecond: entries sort by it), with the outcome."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    entry_id: str
    at: str
    who: str
    action: AuditAction
    # The distribution changed (a copy's target, the one a creation made; until it is made,
    # the creation's source); None for settings.
    distribution_id: str | None = None
    # A creation's source: its entry is listed under the source too.
    source_id: str | None = None
    detail: str
    outcome: Outcome = Outcome.PENDING
    result: str | None = None
    reason: str | None = None
    finished_at: str | None = None


class AuditQuery(ListQuery):
    """`?distribution_id=` keeps one distribution's entries."""

    distribution_id: DistributionId | None = None


class NotificationEvent(StrEnum):
    """What the vault e-mails about, each event to its own list of addresses."""

    VERSION_DETECTED = "version_detected"
    DISTRIBUTION_DELETED = "distribution_deleted"
    DISTRIBUTION_CHANGED = "distribution_changed"
    USERS_CHANGED = "users_changed"
    SCHEDULES_CHANGED = "schedules_changed"
    DETECTION_FAILED = "detection_failed"


def _each_once(addresses: list[str]) -> list[str]:
    # An address in the message would be personal data in a log line: entries by position.
    first_at: dict[str, int] = {}
    for index, address in enumerate(addresses):
        earlier = first_at.setdefault(address.casefold(), index)
        if earlier != index:
            raise ValueError(f"entry {index} repeats entry {earlier}")
    return addresses


# At most as many recipients as one e-mail takes (shop_common.notify.Email), each once.
Recipients = Annotated[list[Address], Field(max_length=50), AfterValidator(_each_once)]


class NotificationLists(BaseModel):
    """Each event's addresses (`POST /vault/notifications` replaces them all; an event left
    out has none). Invalid addresses are named `<event>.<index>`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version_detected: Recipients = []
    distribution_deleted: Recipients = []
    distribution_changed: Recipients = []
    users_changed: Recipients = []
    schedules_changed: Recipients = []
    detection_failed: Recipients = []

    def addresses(self, event: NotificationEvent) -> list[str]:
        addresses: list[str] = getattr(self, event.value)
        return addresses
