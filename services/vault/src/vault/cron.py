"""The usual five-field cron (`minute hour day-of-month month day-of-week`), validated, and
EventBridge Scheduler's six-field form of it.

Each field is `*`, a value, a range `a-b`, a step `*/n`, `a/n` or `a-b/n`, or a comma list of
those; months and days of the week also by name (`JAN`, `MON`), Sunday as 0 or 7. A schedule
may not fire more often than every `MIN_INTERVAL_MINUTES`. EventBridge Scheduler fires on
the day of the month or on the day of the week, never both (one of them is `?`): a cron
restricting both is refused rather than fired differently from what it says."""

import calendar
import itertools
from dataclasses import dataclass

MIN_INTERVAL_MINUTES = 5
MINUTES_PER_DAY = 24 * 60
_MONTHS = {name.upper(): n for n, name in enumerate(calendar.month_abbr) if name}
_DAYS = {"SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6}


class CronError(ValueError):
    """A cron the vault refuses: `field` names the part at fault, `reason` why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: dict[str, int]


_FIELDS = (
    _Field("minute", 0, 59, {}),
    _Field("hour", 0, 23, {}),
    _Field("day of month", 1, 31, {}),
    _Field("month", 1, 12, _MONTHS),
    _Field("day of week", 0, 7, _DAYS),
)


@dataclass(frozen=True)
class Cron:
    """A validated cron: the values each field allows (Sunday is 0), and whether the days
    were restricted (`*` in a day field is not a restriction)."""

    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days_of_month: frozenset[int]
    months: frozenset[int]
    days_of_week: frozenset[int]

    @property
    def any_day_of_month(self) -> bool:
        return len(self.days_of_month) == 31

    @property
    def any_day_of_week(self) -> bool:
        return len(self.days_of_week) == 7

    def scheduler_expression(self) -> str:
        """EventBridge Scheduler's `cron(minutes hours day-of-month month day-of-week year)`,
        its days of the week numbered from 1 (Sunday) and the unrestricted day field `?`."""
        days_of_week = "?" if self.any_day_of_week else _listed({d + 1 for d in self.days_of_week})
        days_of_month = (
            "?"
            if days_of_week != "?"
            else ("*" if self.any_day_of_month else _listed(self.days_of_month))
        )
        fields = (
            _listed(self.minutes) if len(self.minutes) < 60 else "*",
            _listed(self.hours) if len(self.hours) < 24 else "*",
            days_of_month,
            _listed(self.months) if len(self.months) < 12 else "*",
            days_of_week,
            "*",
        )
        return f"cron({' '.join(fields)})"


def parse_cron(text: str) -> Cron:
    """`text` as a `Cron`; `CronError` naming the field at fault and why."""
    parts = text.split()
    if len(parts) != len(_FIELDS):
        raise CronError(
            "cron",
            "five fields are needed (minute hour day-of-month month day-of-week),"
            f" not {len(parts)}",
        )
    minutes, hours, days_of_month, months, days_of_week = (
        _values(part, field) for part, field in zip(parts, _FIELDS, strict=True)
    )
    cron = Cron(
        text=" ".join(parts),
        minutes=minutes,
        hours=hours,
        days_of_month=days_of_month,
        months=months,
        days_of_week=frozenset(day % 7 for day in days_of_week),
    )
    _check_days(cron)
    _check_interval(cron)
    return cron


def _values(part: str, field: _Field) -> frozenset[int]:
    values: set[int] = set()
    for item in part.split(","):
        values |= _item_values(item, field)
    return frozenset(values)


def _item_values(item: str, field: _Field) -> set[int]:
    if not item:
        raise CronError(field.name, "an empty item in the list")
    span, _, step_text = item.partition("/")
    step = 1
    if step_text or item.endswith("/"):
        step = _number(step_text, field, "step")
        if step < 1:
            raise CronError(field.name, f"step {step} must be at least 1")
    if span == "*":
        low, high = field.low, field.high
    elif "-" in span:
        start, _, end = span.partition("-")
        low, high = _value(start, field), _value(end, field)
        if low > high:
            raise CronError(field.name, f"range {span} runs backwards")
    else:
        low = _value(span, field)
        # `a/n` runs from a to the field's end; a lone value is itself.
        high = field.high if step_text else low
    return set(range(low, high + 1, step))


def _value(text: str, field: _Field) -> int:
    named = field.names.get(text.upper())
    if named is None and field.names and not _in_digits(text):
        first, *_, last = field.names
        raise CronError(field.name, f"{text!r} is neither a number nor a name ({first}-{last})")
    value = named if named is not None else _number(text, field, "value")
    if not field.low <= value <= field.high:
        raise CronError(field.name, f"{value} is outside {field.low}-{field.high}")
    return value


def _number(text: str, field: _Field, what: str) -> int:
    if not _in_digits(text):
        raise CronError(field.name, f"{what} {text!r} is not a number in the digits 0-9")
    return int(text)


def _in_digits(text: str) -> bool:
    # str.isdigit() also takes other scripts' digits (Arabic-Indic, full-width) and
    # superscripts (which int() refuses): the schedule keeps the cron as typed, so it must
    # read as EventBridge Scheduler reads it.
    return text.isascii() and text.isdigit()


def _check_days(cron: Cron) -> None:
    if not cron.any_day_of_month and not cron.any_day_of_week:
        raise CronError(
            "day of week",
            "the day of month is restricted too: EventBridge Scheduler fires on one of them,"
            " so one must be *",
        )
    if not any(day <= _longest(month) for day in cron.days_of_month for month in cron.months):
        raise CronError("day of month", "none of these days occurs in the months given")


def _longest(month: int) -> int:
    return calendar.monthrange(2024, month)[1]  # a leap year: 29 February occurs


def _check_interval(cron: Cron) -> None:
    """Refuse a cron that can fire twice within MIN_INTERVAL_MINUTES: two times of one day,
    or the day's last and the next day's first when two consecutive days can match."""
    times = sorted(hour * 60 + minute for hour in cron.hours for minute in cron.minutes)
    gaps = [(later - earlier, "minute") for earlier, later in itertools.pairwise(times)]
    if _consecutive_days_can_match(cron):
        gaps.append((MINUTES_PER_DAY - times[-1] + times[0], "hour"))
    for gap, field in gaps:
        if gap < MIN_INTERVAL_MINUTES:
            raise CronError(
                field,
                f"fires {gap} minute{'s' if gap > 1 else ''} apart: at most every"
                f" {MIN_INTERVAL_MINUTES} minutes",
            )


def _consecutive_days_can_match(cron: Cron) -> bool:
    if not cron.any_day_of_week:
        return any((day + 1) % 7 in cron.days_of_week for day in cron.days_of_week)
    days = cron.days_of_month
    # The first of a month follows the last day of the one before.
    return any(day + 1 in days for day in days) or (1 in days and max(days) >= 28)


def _listed(values: set[int] | frozenset[int]) -> str:
    return ",".join(str(value) for value in sorted(values))
