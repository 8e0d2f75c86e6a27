"""EventBridge Scheduler, run: moto keeps the schedules made at the AWS endpoint (the vault's
functions make theirs there, through boto3's `scheduler` client) but never fires one. The
local scheduler reads them from the emulator every second and fires each ENABLED one at its
times, invoking its target function with its input, asynchronously and retried up to its
`RetryPolicy`, as EventBridge Scheduler does. The templates' own schedules (SAM `ScheduleV2`
events) and schedule groups are created in the emulator first, as CloudFormation would.

Its clock (`SchedulerClock`) is real time, which can be moved ahead (never back): a test, or
a user who wants to see tonight's run now, asks the emulator's `/_local/scheduler/clock`
(`scheduler_clock_app`). A schedule's times count from when it was made or last changed."""

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from local.eventbridge.rules import DEFAULT_RETRIES, deliver
from local.lambda_.functions import Function
from local.scheduler.expressions import UnsupportedExpressionError, firings
from stacks.intrinsics import Scope, resolve
from stacks.templates import load_template

TICK_SECONDS = 1.0
# A clock moved far ahead catches up this many of one schedule's times, not all of them.
MAX_CATCH_UP = 10
SCHEDULE_EVENT = "ScheduleV2"
# Where the emulator answers the scheduler's time and moves it ahead.
CLOCK_PATH = "/_local/scheduler/clock"


class SchedulerClock:
    """The scheduler's time: real time (UTC), plus how far it was moved ahead."""

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._now = now
        self._ahead = timedelta(0)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now() + self._ahead

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the scheduler's clock only moves ahead")
        with self._lock:
            self._ahead += timedelta(seconds=seconds)
        return self()


@dataclass(frozen=True)
class TemplateSchedule:
    """A template's `ScheduleV2` event, as CloudFormation creates it."""

    name: str
    group: str
    expression: str
    state: str
    target_arn: str
    role_arn: str
    input: str | None
    max_retries: int


def template_schedules(
    template_path: Path, functions: Mapping[str, str], scope: Scope, stack_roles: str
) -> Iterator[TemplateSchedule]:
    """The template's `ScheduleV2` events; `functions`: logical id -> the ARN invoked;
    `stack_roles`: the ARN its stack's roles begin with (SAM makes one per schedule)."""
    resources = load_template(template_path).get("Resources", {})
    for logical_id, arn in functions.items():
        for event_name, event in resources[logical_id]["Properties"].get("Events", {}).items():
            if event.get("Type") != SCHEDULE_EVENT:
                continue
            properties = event["Properties"]
            yield TemplateSchedule(
                name=str(resolve(properties.get("Name", f"{logical_id}{event_name}"), scope)),
                group=str(resolve(properties.get("GroupName", "default"), scope)),
                expression=str(resolve(properties["ScheduleExpression"], scope)),
                state=str(properties.get("State", "ENABLED")),
                target_arn=arn,
                role_arn=f"{stack_roles}{logical_id}{event_name}Role",
                input=resolve(properties.get("Input"), scope),
                max_retries=int(
                    properties.get("RetryPolicy", {}).get("MaximumRetryAttempts", DEFAULT_RETRIES)
                ),
            )


def template_schedule_groups(template_path: Path, scope: Scope) -> list[str]:
    return [
        str(resolve(resource["Properties"]["Name"], scope))
        for resource in load_template(template_path).get("Resources", {}).values()
        if resource.get("Type") == "AWS::Scheduler::ScheduleGroup"
    ]


def _in_a_thread(job: Callable[[], None]) -> None:
    """EventBridge Scheduler invokes its targets asynchronously."""
    threading.Thread(target=job, name="schedule-run", daemon=True).start()


class LocalScheduler:
    """Fires the emulator's schedules at their times (see the module's docstring)."""

    def __init__(
        self,
        client: Any,
        functions: Mapping[str, Function],
        announce: Callable[[str], None],
        clock: Callable[[], datetime],
        pause: Callable[[float], None] = time.sleep,
        spawn: Callable[[Callable[[], None]], None] = _in_a_thread,
    ) -> None:
        self._client = client
        self._functions = functions
        self._announce = announce
        self._clock = clock
        self._pause = pause
        self._spawn = spawn
        # Each schedule (by ARN): the time up to which its firings were made.
        self._done_until: dict[str, datetime] = {}
        self._warned: set[str] = set()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)

    def create_group(self, name: str) -> None:
        try:
            self._client.get_schedule_group(Name=name)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
            self._client.create_schedule_group(Name=name)

    def create(self, schedule: TemplateSchedule) -> None:
        target: dict[str, Any] = {
            "Arn": schedule.target_arn,
            "RoleArn": schedule.role_arn,
            "RetryPolicy": {"MaximumRetryAttempts": schedule.max_retries},
        }
        if schedule.input is not None:
            target["Input"] = schedule.input
        try:
            self._client.create_schedule(
                Name=schedule.name,
                GroupName=schedule.group,
                ScheduleExpression=schedule.expression,
                State=schedule.state,
                FlexibleTimeWindow={"Mode": "OFF"},
                Target=target,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConflictException":
                raise

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stopped.wait(TICK_SECONDS):
            try:
                self.tick()
            except Exception as error:  # the emulator stopping under it, a malformed schedule
                self._announce(f"warning: the local scheduler's pass failed: {error}")

    def tick(self) -> None:
        """One pass: every schedule's times up to now fired."""
        now = self._clock()
        for schedule in self._schedules():
            if schedule["State"] == "ENABLED":
                self._fire_due(schedule, now)

    def _schedules(self) -> Iterator[dict[str, Any]]:
        groups = self._client.get_paginator("list_schedule_groups").paginate()
        for group in (g["Name"] for page in groups for g in page["ScheduleGroups"]):
            pages = self._client.get_paginator("list_schedules").paginate(GroupName=group)
            for listed in (item for page in pages for item in page["Schedules"]):
                yield self._client.get_schedule(Name=listed["Name"], GroupName=group)

    def _fire_due(self, schedule: dict[str, Any], now: datetime) -> None:
        arn = schedule["Arn"]
        changed = schedule.get("LastModificationDate") or schedule["CreationDate"]
        since = max(self._done_until.get(arn, changed), changed)
        try:
            due = list(
                islice(
                    firings(
                        schedule["ScheduleExpression"],
                        schedule.get("ScheduleExpressionTimezone", "UTC"),
                        since,
                        now,
                        schedule["CreationDate"],
                    ),
                    MAX_CATCH_UP,
                )
            )
        except UnsupportedExpressionError as error:
            self._warn_once(arn, f"warning: schedule {arn} is not run locally: {error}")
            return
        self._done_until[arn] = now
        for moment in due:
            self._fire(schedule, moment)

    def _fire(self, schedule: dict[str, Any], moment: datetime) -> None:
        target = schedule["Target"]
        function = self._functions.get(target["Arn"])
        if function is None:
            self._warn_once(
                schedule["Arn"], f"warning: schedule {schedule['Arn']}'s target is not local"
            )
            return
        self._announce(
            f"EventBridge Scheduler: {schedule['GroupName']}/{schedule['Name']} fired"
            f" ({moment.isoformat()}, {schedule['ScheduleExpression']})"
        )
        event = json.loads(target["Input"]) if target.get("Input") else {}
        retries = target.get("RetryPolicy", {}).get("MaximumRetryAttempts", DEFAULT_RETRIES)
        self._spawn(
            lambda: deliver(
                function,
                event,
                max_retries=int(retries),
                pause=self._pause,
                give_up=lambda error: self._announce(
                    f"warning: schedule {schedule['Arn']} gave up on its {moment} run: {error}"
                ),
            )
        )

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self._announce(message)


def scheduler_clock_app(app: Any, clock: SchedulerClock) -> Any:
    """WSGI middleware of the emulator: `GET /_local/scheduler/clock` answers the scheduler's
    time, `POST` with `{"advance_seconds": n}` moves it ahead; the rest goes to `app`."""

    def application(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") != CLOCK_PATH:
            return app(environ, start_response)
        if environ["REQUEST_METHOD"] == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                seconds = float(json.loads(environ["wsgi.input"].read(length))["advance_seconds"])
                clock.advance(seconds)
            except (ValueError, KeyError, TypeError) as error:
                body = json.dumps({"message": f"advance_seconds: {error}"}).encode()
                start_response("400 Bad Request", [("Content-Type", "application/json")])
                return [body]
        body = json.dumps({"now": clock().isoformat()}).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    return application
