"""EventBridge Scheduler's schedule expressions, as times: `cron(...)` (six fields, the
last the year, `?` in one of the day fields, days of the week from 1 = Sunday), `rate(n
unit)` counted from when the schedule was made, and `at(yyyy-mm-ddThh:mm:ss)` once."""

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_AT = re.compile(r"^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$")
_CRON = re.compile(r"^cron\((.+)\)$")
_UNITS = {"minute": 60, "hour": 3600, "day": 86400}


class UnsupportedExpressionError(ValueError):
    """An expression the local scheduler cannot fire (it says which, and does not fire it)."""


def firings(
    expression: str, timezone: str, since: datetime, until: datetime, created: datetime
) -> Iterator[datetime]:
    """The times in (`since`, `until`] the expression fires, in order."""
    zone = ZoneInfo(timezone or "UTC")
    for moment in _times(expression, zone, since, created):
        if moment > until:
            return
        yield moment


def _times(
    expression: str, zone: ZoneInfo, since: datetime, created: datetime
) -> Iterator[datetime]:
    if cron := _CRON.match(expression):
        try:
            yield from CronSim(_five_fields(cron.group(1)), since.astimezone(zone))
        except CronSimError as exc:
            raise UnsupportedExpressionError(f"{expression}: {exc}") from exc
        return
    if rate := _RATE.match(expression):
        period = timedelta(seconds=int(rate.group(1)) * _UNITS[rate.group(2).rstrip("s")])
        if period <= timedelta(0):
            raise UnsupportedExpressionError(f"{expression}: a rate of 0")
        first = max(0, int((since - created) / period))
        for step in count(first):
            moment = created + step * period
            if moment > since:
                yield moment
        return
    if at := _AT.match(expression):
        moment = datetime.fromisoformat(at.group(1)).replace(tzinfo=zone)
        if moment > since:
            yield moment
        return
    raise UnsupportedExpressionError(f"{expression}: not cron(), rate() or at()")


def _five_fields(fields: str) -> str:
    """EventBridge's six cron fields as the usual five (the year only `*`)."""
    try:
        minute, hour, day_of_month, month, day_of_week, year = fields.split()
    except ValueError as exc:
        raise UnsupportedExpressionError(f"cron({fields}): six fields are needed") from exc
    if year != "*":
        raise UnsupportedExpressionError(f"cron({fields}): a year other than * is not run locally")
    day_of_month = "*" if day_of_month == "?" else day_of_month
    day_of_week = (
        "*"
        if day_of_week == "?"
        else ",".join(_from_sunday_0(item) for item in day_of_week.split(","))
    )
    return f"{minute} {hour} {day_of_month} {month} {day_of_week}"


def _from_sunday_0(item: str) -> str:
    """A day-of-week item numbered from 1 (Sunday), numbered from 0: the days, not a step
    (`/n`) nor the week of the month (`#n`)."""
    days, separator, rest = _split(item)
    return re.sub(r"\d+", lambda number: str(int(number.group()) - 1), days) + separator + rest


def _split(item: str) -> tuple[str, str, str]:
    found = re.search(r"[/#]", item)
    if found is None:
        return item, "", ""
    return item[: found.start()], found.group(), item[found.end() :]
