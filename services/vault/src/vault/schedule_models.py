"""The vault's schedules at their boundaries: requests, the stored and answered schedule, the
input EventBridge Scheduler passes the detection function, and a run's outcome."""

from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator
from pydantic.functional_validators import AfterValidator
from pydantic_core import PydanticCustomError

from shop_common.errors import ConflictError, FieldError, NotFoundError
from shop_common.validation import NOT_NULL, described_as
from vault.cron import CronError, parse_cron
from vault.models import DistributionId

# The template's hourly run over every distribution (`shop-<stage>-vault-hourly-detection`).
DEFAULT_SCHEDULE_ID = "hourly"
DEFAULT_CRON = "0 * * * *"
# A distribution's schedule is named by its id; one made before that has a UUID of its own.
ScheduleId = Annotated[
    str,
    Field(
        strict=True,
        pattern=r"^(hourly|[A-Z0-9]{1,32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$",
    ),
    described_as("hourly or a schedule's id (its distribution's id)"),
]


def already_scheduled(distribution_id: str) -> ConflictError:
    """A second schedule for a distribution: one a distribution, whose cron changes instead."""
    return ConflictError(
        f"{distribution_id} has a schedule already: change its cron or pause it instead",
        [FieldError("distribution_id", "has a schedule already")],
    )


def no_such_schedule(schedule_id: str) -> NotFoundError:
    """A schedule that does not exist, or was deleted by another request meanwhile."""
    return NotFoundError(
        f"No schedule {schedule_id}", [FieldError("schedule_id", "no such schedule")]
    )


def _valid_cron(text: str) -> str:
    try:
        return parse_cron(text).text
    except CronError as exc:
        # The reason as the answer's message for `cron`, naming the cron's own field.
        raise PydanticCustomError("cron", "{reason}", {"reason": str(exc)}) from exc


CronText = Annotated[str, Field(strict=True, max_length=200), AfterValidator(_valid_cron)]


class RunOutcome(StrEnum):
    OK = "ok"
    INCOMPLETE = "incomplete"  # CloudFront throttled the run: the next one finishes
    FAILED = "failed"
    SKIPPED = "skipped"  # a deleted distribution's schedule (or, once, the hourly paused)


class ScheduleRun(BaseModel):
    """A schedule's last run: when, how it ended, and what it did."""

    model_config = ConfigDict(frozen=True)

    at: str
    outcome: RunOutcome
    detail: str = ""


class Schedule(BaseModel):
    """A schedule (stored item and answer). `distribution_id` None: every distribution (the
    default hourly schedule only); `expression` is EventBridge Scheduler's form of `cron`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    schedule_id: str
    distribution_id: str | None = None
    cron: str
    expression: str
    active: bool = True
    default: bool = False
    created_at: str | None = None
    created_by: str | None = None
    updated_at: str | None = None
    last_run: ScheduleRun | None = None


class ScheduleIn(BaseModel):
    """`POST /vault/schedules`: a schedule for one distribution."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    distribution_id: DistributionId
    cron: CronText
    active: StrictBool = True


class ScheduleChange(BaseModel):
    """`POST /vault/schedules/{schedule_id}`: a new cron, active or paused, or both."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cron: Annotated[CronText | None, NOT_NULL] = None
    active: Annotated[StrictBool | None, NOT_NULL] = None

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if self.cron is None and self.active is None:
            raise PydanticCustomError("missing", "give cron, active or both")
        return self

    def described(self) -> str:
        """The change in words, for the audit trail: `cron 0 * * * *, pause`."""
        changes = [] if self.cron is None else [f"cron {self.cron}"]
        if self.active is not None:
            changes.append("resume" if self.active else "pause")
        return ", ".join(changes)


class ScheduleKey(BaseModel):
    model_config = ConfigDict(frozen=True)

    schedule_id: ScheduleId


class ScheduledRun(BaseModel):
    """What EventBridge Scheduler passes the detection function: the schedule, and the one
    distribution it is for (None: every distribution)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    schedule_id: str = DEFAULT_SCHEDULE_ID
    distribution_id: DistributionId | None = None
