"""The vault's schedules in `make run`: a schedule an admin makes is an EventBridge schedule at
the printed AWS endpoint, which the local scheduler fires at its times; its clock is moved
ahead (the emulator's `/_local/scheduler/clock`) so the test need not wait 5 minutes."""

import re
import time
from typing import Any
from uuid import uuid4

import boto3
import pytest
import requests

from tests.builders.distributions import distribution_config
from tests.e2e.stack import ApiClient, RunningStack

SCHEDULES = "/vault/schedules"
# The scheduler looks at its schedules every second; the run then reads one distribution.
WITHIN_SECONDS = 30


@pytest.fixture
def distribution(stack: RunningStack, admin: ApiClient) -> str:
    """A distribution made at the printed AWS endpoint, at version 1 in the vault."""
    console = boto3.client("cloudfront", endpoint_url=stack.emulator_url, region_name="us-east-1")
    created = console.create_distribution(
        DistributionConfig=distribution_config(f"e2e-{uuid4()}", comment="scheduled")
    )
    distribution_id: str = created["Distribution"]["Id"]
    response = admin.post(f"/vault/distributions/{distribution_id}/versions", {})
    assert response.status_code == 201, response.text
    return distribution_id


def advance_scheduler_clock(stack: RunningStack, seconds: int) -> None:
    response = requests.post(
        f"{stack.emulator_url}/_local/scheduler/clock",
        json={"advance_seconds": seconds},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def last_run_of(admin: ApiClient, schedule_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + WITHIN_SECONDS
    while time.monotonic() < deadline:
        listed = admin.get(SCHEDULES).json()
        mine = next(s for s in listed if s["schedule_id"] == schedule_id)
        if mine["last_run"] is not None:
            last: dict[str, Any] = mine["last_run"]
            return last
        time.sleep(1)
    raise AssertionError(f"schedule {schedule_id} did not run within {WITHIN_SECONDS}s")


def test_a_schedule_every_5_minutes_fires_through_the_local_scheduler(
    stack: RunningStack, admin: ApiClient, distribution: str
) -> None:
    # Given an admin's schedule of the distribution every 5 minutes
    created = admin.post(SCHEDULES, {"distribution_id": distribution, "cron": "*/5 * * * *"})
    assert created.status_code == 201, created.text
    schedule_id = created.json()["schedule_id"]
    # which is an EventBridge schedule at the printed AWS endpoint, in the vault's group
    scheduler = boto3.client(
        "scheduler", endpoint_url=stack.emulator_url, region_name=stack.config["region"]
    )
    held = scheduler.get_schedule(Name=schedule_id, GroupName="shop-dev-vault")
    assert held["ScheduleExpression"] == created.json()["expression"]

    # When the scheduler's clock passes its next time
    start = len(stack.output.lines)
    advance_scheduler_clock(stack, 300)

    # Then the local scheduler fires it, and the vault lists the run as the schedule's last
    stack.output.wait_for(
        re.compile(rf"EventBridge Scheduler: shop-dev-vault/{schedule_id} fired"),
        WITHIN_SECONDS,
        start,
    )
    last = last_run_of(admin, schedule_id)
    assert (last["outcome"], last["detail"]) == ("ok", "1 read, 0 new versions, 0 deleted")


def test_a_bad_cron_is_a_400_naming_the_field(admin: ApiClient, distribution: str) -> None:
    response = admin.post(SCHEDULES, {"distribution_id": distribution, "cron": "*/2 * * * *"})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "cron"
    assert error["message"] == "minute: fires 2 minutes apart: at most every 5 minutes"


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_a_viewer_or_editor_reads_the_schedules_but_cannot_change_them(
    stack: RunningStack, role: str, distribution: str
) -> None:
    member = stack.client_for(stack.new_member(role))
    assert member.get(SCHEDULES).status_code == 200
    body = {"distribution_id": distribution, "cron": "0 * * * *"}
    assert member.post(SCHEDULES, body).status_code == 403
    assert member.post(f"{SCHEDULES}/hourly", {"active": False}).status_code == 403
    assert member.delete(f"{SCHEDULES}/hourly").status_code == 403


def test_a_shopper_cannot_read_the_schedules(shopper: ApiClient) -> None:
    assert shopper.get(SCHEDULES).status_code == 403
