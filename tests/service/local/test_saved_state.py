"""`--persist`: what the emulated services hold is saved and restored (local/aws.py), beyond
the tables, pools, buckets and APIs: EventBridge Scheduler's schedules (the vault's, made at
run time) and CloudFront's origin access controls."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.base_backend import BackendDict

from local.aws import restore_state, save_state
from local.cloudformation.distributions import CLOUDFRONT_REGION

FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:shop-dev-DetectVaultChangesFunction"


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


def after_a_restart(directory: Path) -> None:
    """The emulated services saved, emptied (the process ends) and restored from the save."""
    save_state(directory, {})
    BackendDict.reset()  # a new process: every service empty
    restore_state(directory)


def test_a_vault_schedule_survives_a_restart(aws: None, tmp_path: Path) -> None:
    scheduler: Any = boto3.client("scheduler")
    scheduler.create_schedule_group(Name="shop-dev-vault")
    scheduler.create_schedule(
        Name="nightly-check",
        GroupName="shop-dev-vault",
        ScheduleExpression="cron(0 2 * * ? *)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": FUNCTION_ARN, "RoleArn": "arn:aws:iam::123456789012:role/scheduler"},
    )

    after_a_restart(tmp_path)

    kept = scheduler.get_schedule(Name="nightly-check", GroupName="shop-dev-vault")
    assert (kept["ScheduleExpression"], kept["Target"]["Arn"]) == (
        "cron(0 2 * * ? *)",
        FUNCTION_ARN,
    )


def test_an_origin_access_control_survives_a_restart(aws: None, tmp_path: Path) -> None:
    cloudfront: Any = boto3.client("cloudfront", region_name=CLOUDFRONT_REGION)
    created = cloudfront.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": "shop-dev-bootstrap-web",
            "OriginAccessControlOriginType": "s3",
            "SigningBehavior": "always",
            "SigningProtocol": "sigv4",
        }
    )["OriginAccessControl"]

    after_a_restart(tmp_path)

    kept = cloudfront.get_origin_access_control(Id=created["Id"])["OriginAccessControl"]
    assert kept["OriginAccessControlConfig"]["Name"] == "shop-dev-bootstrap-web"
