"""The local stack's EventBridge Scheduler: the schedules made at the AWS endpoint (moto keeps
them, never fires one) fired at their times with their input, on a clock a test moves ahead;
the templates' own schedules created as CloudFormation would."""

import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local.cloudformation.stack import LocalCloud
from local.scheduler.expressions import UnsupportedExpressionError, firings
from local.scheduler.runner import (
    CLOCK_PATH,
    LocalScheduler,
    SchedulerClock,
    scheduler_clock_app,
    template_schedule_groups,
    template_schedules,
)
from stacks.templates import SERVICE_TEMPLATES, serverless_functions
from tests.unit.local.test_eventbridge import ScriptedFunction

TARGET = "arn:aws:lambda:eu-west-1:123456789012:function:shop-dev-DetectVaultChangesFunction:live"
ROLE = "arn:aws:iam::123456789012:role/shop-dev-vault-VaultSchedulerRole"


@pytest.fixture
def client() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("scheduler", region_name="eu-west-1")


def scheduler_of(
    client: Any, function: ScriptedFunction, clock: SchedulerClock, announced: list[str]
) -> LocalScheduler:
    """The scheduler running each invocation in the caller's thread, without pauses."""
    return LocalScheduler(
        client,
        {TARGET: function},
        announced.append,
        clock,
        pause=lambda seconds: None,
        spawn=lambda job: job(),
    )


def put_schedule(client: Any, expression: str, *, state: str = "ENABLED", retries: int = 2) -> None:
    client.create_schedule(
        Name="every-hour-at-a-minute",
        ScheduleExpression=expression,
        State=state,
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={
            "Arn": TARGET,
            "RoleArn": ROLE,
            "Input": json.dumps({"schedule_id": "s1", "distribution_id": "EONE"}),
            "RetryPolicy": {"MaximumRetryAttempts": retries},
        },
    )


def half_an_hour_from_now() -> str:
    """An hourly cron at a minute about 30 minutes away: it cannot come during the test."""
    minute = (datetime.now(UTC) + timedelta(minutes=30)).minute
    return f"cron({minute} * * * ? *)"


def test_a_schedule_fires_its_target_with_its_input_when_its_time_comes(client: Any) -> None:
    # Given an hourly schedule made at the endpoint, half an hour before its time
    function, announced, clock = ScriptedFunction(), [], SchedulerClock()
    scheduler = scheduler_of(client, function, clock, announced)
    put_schedule(client, half_an_hour_from_now())
    scheduler.tick()
    assert function.events == []

    # When the scheduler's clock is an hour ahead
    clock.advance(3600)
    scheduler.tick()

    # Then the target was invoked once, with the schedule's input, and the console says so
    assert function.events == [{"schedule_id": "s1", "distribution_id": "EONE"}]
    assert any("default/every-hour-at-a-minute fired" in line for line in announced)
    # and not again for the same time
    scheduler.tick()
    assert len(function.events) == 1


def test_a_disabled_schedule_never_fires(client: Any) -> None:
    function, clock = ScriptedFunction(), SchedulerClock()
    scheduler = scheduler_of(client, function, clock, [])
    put_schedule(client, half_an_hour_from_now(), state="DISABLED")

    clock.advance(3 * 3600)
    scheduler.tick()

    assert function.events == []


def test_a_failing_target_is_retried_as_its_retry_policy_says_then_reported(client: Any) -> None:
    function, announced, clock = ScriptedFunction(failures=10), [], SchedulerClock()
    scheduler = scheduler_of(client, function, clock, announced)
    put_schedule(client, half_an_hour_from_now(), retries=2)

    clock.advance(3600)
    scheduler.tick()

    assert len(function.events) == 3
    assert any("gave up" in line for line in announced)


def test_a_clock_far_ahead_catches_up_a_bounded_number_of_times(client: Any) -> None:
    function, clock = ScriptedFunction(), SchedulerClock()
    scheduler = scheduler_of(client, function, clock, [])
    put_schedule(client, "rate(5 minutes)")

    clock.advance(86400)
    scheduler.tick()

    assert len(function.events) == 10


def test_the_templates_schedule_group_and_hourly_detection_are_created_as_deployed(
    client: Any,
) -> None:
    # Given the vault template as the local stack resolves it
    template = SERVICE_TEMPLATES["vault"]
    cloud = LocalCloud(stage="dev", region="eu-west-1")
    specs = serverless_functions(template)
    scope = cloud.function_scope(template, specs)
    invoked = {logical_id: cloud.invoked_arn(spec) for logical_id, spec in specs.items()}
    scheduler = scheduler_of(client, ScriptedFunction(), SchedulerClock(), [])

    # When its groups and schedules are created
    for group in template_schedule_groups(template, scope):
        scheduler.create_group(group)
    for schedule in template_schedules(template, invoked, scope, "arn:aws:iam::1:role/stack-"):
        scheduler.create(schedule)

    # Then the stage's group exists, and the hourly detection invokes the detection
    # function with the default schedule's input
    assert client.get_schedule_group(Name="shop-dev-vault")["State"] == "ACTIVE"
    hourly = client.get_schedule(Name="shop-dev-vault-hourly-detection")
    assert hourly["ScheduleExpression"] == "cron(0 * * * ? *)"
    assert hourly["Target"]["Arn"] == TARGET
    assert json.loads(hourly["Target"]["Input"]) == {"schedule_id": "hourly"}


def call_clock(clock: SchedulerClock, method: str, body: Any = None) -> tuple[str, Any]:
    data = b"" if body is None else json.dumps(body).encode()
    answered: list[str] = []
    app: Callable[..., Any] = scheduler_clock_app(lambda environ, start: [b"moto"], clock)
    chunks = app(
        {
            "PATH_INFO": CLOCK_PATH,
            "REQUEST_METHOD": method,
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
        },
        lambda status, headers: answered.append(status),
    )
    return answered[0], json.loads(b"".join(chunks))


def test_the_emulator_moves_the_scheduler_s_clock_ahead_and_never_back() -> None:
    start = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    clock = SchedulerClock(now=lambda: start)

    status, moved = call_clock(clock, "POST", {"advance_seconds": 300})
    assert (status, moved["now"]) == ("200 OK", "2026-12-06T12:05:00+00:00")

    status, refused = call_clock(clock, "POST", {"advance_seconds": -60})
    assert status == "400 Bad Request"
    assert refused["message"].startswith("advance_seconds")
    assert call_clock(clock, "GET")[1]["now"] == "2026-12-06T12:05:00+00:00"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("cron(0,30 * * * ? *)", ["2026-12-06T12:30", "2026-12-06T13:00"]),
        # Days of the week from 1 (Sunday): 2-6 is Monday to Friday (6 December is a Sunday).
        ("cron(0 9 ? * 2-6 *)", ["2026-12-07T09:00"]),
        ("cron(0 9 ? * MON#2 *)", ["2026-12-14T09:00"]),
        ("cron(15 10 8 * ? *)", ["2026-12-08T10:15"]),
        ("rate(20 minutes)", ["2026-12-06T12:20", "2026-12-06T12:40", "2026-12-06T13:00"]),
        ("at(2026-12-06T12:45:00)", ["2026-12-06T12:45"]),
    ],
)
def test_eventbridge_s_expressions_fire_at_their_times(
    expression: str, expected: list[str]
) -> None:
    start = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    until = start + timedelta(days=10)
    times = [
        moment.strftime("%Y-%m-%dT%H:%M")
        for moment in firings(expression, "UTC", start, until, start)
    ]
    assert times[: len(expected)] == expected


@pytest.mark.parametrize("expression", ["cron(0 9 * * ? 2027)", "cron(0 9 * *)", "every day"])
def test_an_expression_not_run_locally_is_said_so(expression: str) -> None:
    with pytest.raises(UnsupportedExpressionError):
        list(firings(expression, "UTC", datetime.now(UTC), datetime.now(UTC), datetime.now(UTC)))
