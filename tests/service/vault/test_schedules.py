"""The schedule routes as the template names them, on the emulator's DynamoDB and EventBridge
Scheduler: what an admin creates, changes and deletes is what the scheduler then holds, a
refused request changes nothing, and a run EventBridge Scheduler starts is kept as the last."""

import json
from http import HTTPStatus
from typing import Any

import pytest

from shop_common.api import Handler
from shop_common.errors import NotFoundError
from stacks.templates import SERVICE_TEMPLATES
from tests.builders.callers import ADMIN, EDITOR, VIEWER, Caller
from tests.builders.environments import as_invoked, function_module
from tests.builders.events import LambdaContext
from tests.service.vault.conftest import DETECTION_ARN, SCHEDULER_ROLE_ARN, Vault
from tests.service.vault.support import answer, call, capture

SCHEDULES = "/vault/schedules"
SCHEDULE = "/vault/schedules/{schedule_id}"


def create(vault: Vault, body: dict[str, Any], caller: Caller = ADMIN) -> dict[str, Any]:
    return call(
        vault.handler("CreateVaultScheduleFunction"), "POST", SCHEDULES, caller=caller, body=body
    )


def update(
    vault: Vault, schedule_id: str, body: dict[str, Any], caller: Caller = ADMIN
) -> dict[str, Any]:
    return call(
        vault.handler("UpdateVaultScheduleFunction"),
        "POST",
        SCHEDULE,
        caller=caller,
        body=body,
        schedule_id=schedule_id,
    )


def delete(vault: Vault, schedule_id: str, caller: Caller = ADMIN) -> dict[str, Any]:
    return call(
        vault.handler("DeleteVaultScheduleFunction"),
        "DELETE",
        SCHEDULE,
        caller=caller,
        schedule_id=schedule_id,
    )


def listed(vault: Vault, caller: Caller = VIEWER) -> list[dict[str, Any]]:
    response = call(vault.handler("GetVaultSchedulesFunction"), "GET", SCHEDULES, caller=caller)
    assert response["statusCode"] == HTTPStatus.OK, response["body"]
    schedules: list[dict[str, Any]] = answer(response)
    return schedules


def in_scheduler(vault: Vault) -> list[dict[str, Any]]:
    """The group's schedules as EventBridge Scheduler holds them."""
    names = [
        item["Name"]
        for item in vault.scheduler.list_schedules(GroupName=vault.schedule_group)["Schedules"]
    ]
    return [
        vault.scheduler.get_schedule(Name=name, GroupName=vault.schedule_group) for name in names
    ]


@pytest.fixture
def distribution(vault: Vault) -> str:
    """A distribution at version 1 in the vault."""
    distribution_id, _ = vault.distribution(comment="scheduled")
    assert capture(vault, distribution_id)["statusCode"] == HTTPStatus.CREATED
    return distribution_id


def test_an_admin_s_schedule_is_an_eventbridge_schedule_invoking_detection(
    vault: Vault, distribution: str
) -> None:
    # When the admin asks for a detection of the distribution every 5 minutes
    response = create(vault, {"distribution_id": distribution, "cron": "*/5 * * * *"})

    # Then EventBridge Scheduler holds it, in the vault's group, invoking the detection
    # function as the scheduler's role, with the schedule and its distribution as input
    assert response["statusCode"] == HTTPStatus.CREATED, response["body"]
    created = answer(response)
    [schedule] = in_scheduler(vault)
    assert schedule["Name"] == created["schedule_id"]
    assert schedule["ScheduleExpression"] == created["expression"]
    assert schedule["State"] == "ENABLED"
    assert (schedule["Target"]["Arn"], schedule["Target"]["RoleArn"]) == (
        DETECTION_ARN,
        SCHEDULER_ROLE_ARN,
    )
    assert json.loads(schedule["Target"]["Input"]) == {
        "schedule_id": created["schedule_id"],
        "distribution_id": distribution,
    }
    # and the list shows it after the default hourly schedule
    assert [(s["schedule_id"], s["distribution_id"]) for s in listed(vault)] == [
        ("hourly", None),
        (created["schedule_id"], distribution),
    ]


@pytest.mark.parametrize(
    ("cron", "reason"),
    [
        ("* * * * *", "minute: fires 1 minute apart: at most every 5 minutes"),
        ("0 25 * * *", "hour: 25 is outside 0-23"),
        (
            "0 0 * * * *",
            "cron: five fields are needed (minute hour day-of-month month day-of-week), not 6",
        ),
    ],
)
def test_a_bad_cron_is_a_400_naming_the_field_and_creates_nothing(
    vault: Vault, distribution: str, cron: str, reason: str
) -> None:
    response = create(vault, {"distribution_id": distribution, "cron": cron})

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    [error] = answer(response)["errors"]
    assert error["field"] == "cron"
    assert error["message"].startswith(reason)
    assert in_scheduler(vault) == []
    assert [s["schedule_id"] for s in listed(vault)] == ["hourly"]


def test_a_second_schedule_for_a_distribution_is_a_409_naming_it(
    vault: Vault, distribution: str
) -> None:
    first = create(vault, {"distribution_id": distribution, "cron": "0 * * * *"})
    assert answer(first)["schedule_id"] == distribution

    second = create(vault, {"distribution_id": distribution, "cron": "*/5 * * * *"})

    assert second["statusCode"] == HTTPStatus.CONFLICT
    assert [error["field"] for error in answer(second)["errors"]] == ["distribution_id"]
    [schedule] = in_scheduler(vault)
    assert schedule["ScheduleExpression"] == answer(first)["expression"]


def test_a_schedule_another_request_put_in_the_scheduler_meanwhile_is_a_409_and_stays(
    vault: Vault, distribution: str
) -> None:
    # Given the distribution's schedule made in EventBridge Scheduler by a concurrent request
    # that has not stored it yet
    vault.scheduler.create_schedule(
        Name=distribution,
        GroupName=vault.schedule_group,
        ScheduleExpression="rate(1 hour)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": DETECTION_ARN, "RoleArn": SCHEDULER_ROLE_ARN},
    )
    # When this request makes it too
    response = create(vault, {"distribution_id": distribution, "cron": "*/5 * * * *"})
    # Then it is refused, and the other request's schedule is left as it made it
    assert response["statusCode"] == HTTPStatus.CONFLICT
    [schedule] = in_scheduler(vault)
    assert schedule["ScheduleExpression"] == "rate(1 hour)"
    assert [s["schedule_id"] for s in listed(vault)] == ["hourly"]


def test_pausing_and_a_new_cron_reach_the_scheduler(vault: Vault, distribution: str) -> None:
    schedule_id = answer(create(vault, {"distribution_id": distribution, "cron": "0 * * * *"}))[
        "schedule_id"
    ]

    response = update(vault, schedule_id, {"cron": "15 6 * * MON-FRI", "active": False})

    assert response["statusCode"] == HTTPStatus.OK, response["body"]
    [schedule] = in_scheduler(vault)
    assert (schedule["ScheduleExpression"], schedule["State"]) == (
        "cron(15 6 ? * 2,3,4,5,6 *)",
        "DISABLED",
    )
    assert listed(vault)[1]["active"] is False


def test_a_change_of_a_schedule_being_deleted_is_the_404_of_a_missing_one(
    vault: Vault, distribution: str
) -> None:
    # Given a schedule a concurrent deletion has taken out of EventBridge Scheduler but not
    # yet out of the table
    schedule_id = answer(create(vault, {"distribution_id": distribution, "cron": "0 * * * *"}))[
        "schedule_id"
    ]
    vault.scheduler.delete_schedule(Name=schedule_id, GroupName=vault.schedule_group)

    # When the admin changes it
    response = update(vault, schedule_id, {"cron": "5 1 * * *", "active": False})

    # Then it is the answer to a schedule that does not exist, and the stored one is unchanged
    assert response["statusCode"] == HTTPStatus.NOT_FOUND, response["body"]
    assert [(e["field"], e["message"]) for e in answer(response)["errors"]] == [
        ("schedule_id", "no such schedule")
    ]
    assert [(s["cron"], s["active"]) for s in listed(vault)[1:]] == [("0 * * * *", True)]


def test_a_deleted_schedule_is_gone_from_the_scheduler(vault: Vault, distribution: str) -> None:
    schedule_id = answer(create(vault, {"distribution_id": distribution, "cron": "0 * * * *"}))[
        "schedule_id"
    ]

    assert delete(vault, schedule_id)["statusCode"] == HTTPStatus.NO_CONTENT

    assert in_scheduler(vault) == []
    assert [s["schedule_id"] for s in listed(vault)] == ["hourly"]


def test_the_table_deletes_a_schedule_once(vault: Vault, distribution: str) -> None:
    # Given a schedule a concurrent deletion has taken out of the table already
    schedule_id = answer(create(vault, {"distribution_id": distribution, "cron": "0 * * * *"}))[
        "schedule_id"
    ]
    vault.schedules.store.delete_schedule(schedule_id)

    # When this deletion takes it out  Then it is told there is no such schedule
    with pytest.raises(NotFoundError) as refused:
        vault.schedules.store.delete_schedule(schedule_id)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("schedule_id", "no such schedule")
    ]


def test_the_hourly_schedule_pauses_but_is_not_deleted(vault: Vault) -> None:
    assert update(vault, "hourly", {"active": False})["statusCode"] == HTTPStatus.OK
    refused = delete(vault, "hourly")

    assert refused["statusCode"] == HTTPStatus.CONFLICT
    assert [e["field"] for e in answer(refused)["errors"]] == ["schedule_id"]
    assert [(s["schedule_id"], s["active"]) for s in listed(vault)] == [("hourly", False)]


@pytest.mark.parametrize("caller", [EDITOR, VIEWER])
def test_an_editor_or_viewer_cannot_change_schedules(
    vault: Vault, distribution: str, caller: Caller
) -> None:
    body = {"distribution_id": distribution, "cron": "0 * * * *"}
    assert create(vault, body, caller)["statusCode"] == HTTPStatus.FORBIDDEN
    assert update(vault, "hourly", {"active": False}, caller)["statusCode"] == HTTPStatus.FORBIDDEN
    assert delete(vault, "hourly", caller)["statusCode"] == HTTPStatus.FORBIDDEN
    assert in_scheduler(vault) == []


def test_a_run_the_scheduler_starts_is_kept_as_the_schedule_s_last(
    vault: Vault, distribution: str
) -> None:
    # Given a schedule of the distribution, and a change made in the console
    created = answer(create(vault, {"distribution_id": distribution, "cron": "*/5 * * * *"}))
    vault.change(distribution, Comment="changed")
    [schedule] = in_scheduler(vault)

    # When EventBridge Scheduler invokes the detection function with the schedule's input
    detection = "DetectVaultChangesFunction"
    module = function_module(SERVICE_TEMPLATES["vault"], detection)
    detect: Handler = as_invoked(
        SERVICE_TEMPLATES["vault"],
        detection,
        module.build_handler(vault.deps, vault.schedules.store),
    )
    detect(json.loads(schedule["Target"]["Input"]), LambdaContext())

    # Then the change is a new version, and the list shows the run
    mine = next(s for s in listed(vault) if s["schedule_id"] == created["schedule_id"])
    assert mine["last_run"]["outcome"] == "ok"
    assert mine["last_run"]["detail"] == "1 read, 1 new version, 0 deleted"
