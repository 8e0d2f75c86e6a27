"""Time and identifiers, injected into logic so tests can pass fixed ones."""

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import uuid4

Clock = Callable[[], datetime]
IdFactory = Callable[[], str]


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid4())


def iso_timestamp(moment: datetime) -> str:
    """ISO 8601 UTC with a `Z`, to the second: `2026-11-21T06:33:00Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
