"""The five-field cron a schedule is given: every field's range, lists, ranges and steps, the
5-minute floor, and EventBridge Scheduler's six-field form of it."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vault.cron import MIN_INTERVAL_MINUTES, CronError, parse_cron


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        ("60 * * * *", "minute", "60 is outside 0-59"),
        ("0 24 * * *", "hour", "24 is outside 0-23"),
        ("0 0 0 * *", "day of month", "0 is outside 1-31"),
        ("0 0 32 * *", "day of month", "32 is outside 1-31"),
        ("0 0 * 13 *", "month", "13 is outside 1-12"),
        ("0 0 * 0 *", "month", "0 is outside 1-12"),
        ("0 0 * * 8", "day of week", "8 is outside 0-7"),
        ("0 17-9 * * *", "hour", "range 17-9 runs backwards"),
        ("*/0 * * * *", "minute", "step 0 must be at least 1"),
        ("*/ * * * *", "minute", "step '' is not a number in the digits 0-9"),
        ("0 x * * *", "hour", "value 'x' is not a number in the digits 0-9"),
        ("0 -1 * * *", "hour", "value '' is not a number in the digits 0-9"),
        ("\u0660 0 * * *", "minute", "value '\u0660' is not a number in the digits 0-9"),
        ("0 \u00b2 * * *", "hour", "value '\u00b2' is not a number in the digits 0-9"),
        ("*/\uff13 * * * *", "minute", "step '\uff13' is not a number in the digits 0-9"),
        ("0 0 * * \u0667", "day of week", "'\u0667' is neither a number nor a name (SUN-SAT)"),
        ("0,,30 * * * *", "minute", "an empty item in the list"),
        ("0 0 * FOO *", "month", "'FOO' is neither a number nor a name (JAN-DEC)"),
        ("0 0 * * MON-FRII", "day of week", "'FRII' is neither a number nor a name (SUN-SAT)"),
    ],
)
def test_a_field_out_of_its_range_or_malformed_is_refused_naming_the_field(
    text: str, field: str, reason: str
) -> None:
    with pytest.raises(CronError) as refused:
        parse_cron(text)
    assert (refused.value.field, refused.value.reason) == (field, reason)


@pytest.mark.parametrize("text", ["", "0 * * *", "0 * * * * *", "0 * * * * 2026"])
def test_anything_but_five_fields_is_refused(text: str) -> None:
    with pytest.raises(CronError) as refused:
        parse_cron(text)
    assert refused.value.field == "cron"
    assert refused.value.reason.startswith("five fields are needed")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("* * * * *", "minute"),
        ("*/4 * * * *", "minute"),
        ("0,3 * * * *", "minute"),
        ("0-4 9 * * *", "minute"),
        ("0,58 * * * *", "minute"),  # 58 then 0 of the next hour: 2 minutes apart
        ("58 23 * * *", None),
        ("0,58 0,23 * * *", "hour"),  # 23:58, then 00:00 the next day
    ],
)
def test_a_cron_firing_more_often_than_every_5_minutes_is_refused(
    text: str, field: str | None
) -> None:
    if field is None:
        assert parse_cron(text).minutes == {58}
        return
    with pytest.raises(CronError) as refused:
        parse_cron(text)
    assert refused.value.field == field
    assert f"at most every {MIN_INTERVAL_MINUTES} minutes" in refused.value.reason


@pytest.mark.parametrize(
    "text",
    [
        "*/5 * * * *",
        "0,5,10,15,20,25,30,35,40,45,50,55 * * * *",
        "55 * * * *",
        "0,55 * * * *",  # 55 then 0 of the next hour: 5 minutes apart
        "0,58 0,23 * * 1",  # 23:58 Monday, then 00:00 the next Monday
    ],
)
def test_every_5_minutes_or_less_often_is_accepted(text: str) -> None:
    assert parse_cron(text).text == text


def test_lists_ranges_steps_and_names_give_the_values_they_say() -> None:
    cron = parse_cron("5-20/5,40 9-17/4 1,15 JAN-MAR/2 *")
    assert cron.minutes == {5, 10, 15, 20, 40}
    assert cron.hours == {9, 13, 17}
    assert cron.days_of_month == {1, 15}
    assert cron.months == {1, 3}


def test_a_start_and_step_runs_to_the_end_of_the_field() -> None:
    assert parse_cron("10/20 * * * *").minutes == {10, 30, 50}


def test_sunday_is_0_or_7_or_sun() -> None:
    assert parse_cron("0 0 * * 7").days_of_week == parse_cron("0 0 * * SUN").days_of_week == {0}


def test_day_of_month_and_day_of_week_both_restricted_is_refused() -> None:
    with pytest.raises(CronError) as refused:
        parse_cron("0 0 1 * MON")
    assert refused.value.field == "day of week"


def test_a_day_that_never_occurs_in_the_months_given_is_refused() -> None:
    with pytest.raises(CronError) as refused:
        parse_cron("0 0 30,31 2 *")
    assert refused.value.field == "day of month"


def test_29_february_occurs() -> None:
    assert parse_cron("0 0 29 2 *").days_of_month == {29}


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("0 * * * *", "cron(0 * * * ? *)"),
        ("*/15 6-8 * * *", "cron(0,15,30,45 6,7,8 * * ? *)"),
        ("30 2 1,15 * *", "cron(30 2 1,15 * ? *)"),
        # Day-of-week from 1 (Sunday) in EventBridge Scheduler: Monday to Friday is 2-6.
        ("0 9 * * MON-FRI", "cron(0 9 ? * 2,3,4,5,6 *)"),
        ("0 9 * * 5-7", "cron(0 9 ? * 1,6,7 *)"),
        ("0 0 * JUN *", "cron(0 0 * 6 ? *)"),
    ],
)
def test_eventbridge_scheduler_gets_the_same_times_in_its_own_form(
    text: str, expression: str
) -> None:
    assert parse_cron(text).scheduler_expression() == expression


def test_extra_spaces_between_fields_are_normalized() -> None:
    assert parse_cron("  0   6 * * *  ").text == "0 6 * * *"


def _listed(values: set[int]) -> str:
    return ",".join(str(value) for value in sorted(values))


def _smallest_gap(minutes: set[int], hours: set[int], days: set[int]) -> int | None:
    """Firings minute by minute over two weeks (every day of the week followed by every
    other): the least time between two, None if it fires at most once."""
    firing = [
        moment
        for moment in range(14 * 24 * 60)
        if moment // (24 * 60) % 7 in days and moment // 60 % 24 in hours and moment % 60 in minutes
    ]
    gaps = [later - earlier for earlier, later in itertools.pairwise(firing)]
    return min(gaps) if gaps else None


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.sets(st.integers(0, 59), min_size=1, max_size=14),
    hours=st.sets(st.integers(0, 23), min_size=1, max_size=24),
    days=st.sets(st.integers(0, 6), min_size=1, max_size=7),
)
def test_the_5_minute_floor_agrees_with_the_firings_counted_minute_by_minute(
    minutes: set[int], hours: set[int], days: set[int]
) -> None:
    # Given a cron of any minutes, hours and days of the week
    text = f"{_listed(minutes)} {_listed(hours)} * * {_listed(days)}"
    gap = _smallest_gap(minutes, hours, days)
    # When it is parsed  Then it is refused exactly when two firings come closer than 5 minutes
    if gap is not None and gap < MIN_INTERVAL_MINUTES:
        with pytest.raises(CronError):
            parse_cron(text)
    else:
        assert parse_cron(text).minutes == minutes
