"""Detection in `make run`: a change made at the printed AWS endpoint, signed with an IAM
user's key as the console's calls are, is a new version within a minute, naming that user
(CloudTrail's CloudFront events through the EventBridge rule, as in AWS)."""

import time
from typing import Any
from uuid import uuid4

import boto3
import pytest

from tests.builders.distributions import distribution_config
from tests.e2e.stack import ApiClient, RunningStack

DISTRIBUTIONS = "/vault/distributions"
# The promise: a change is seen within a minute of being made.
WITHIN_SECONDS = 60


@pytest.fixture(scope="module")
def alice(stack: RunningStack) -> tuple[str, Any]:
    """An IAM user of the emulated account (her ARN) and CloudFront as she uses it."""
    iam = boto3.client("iam", endpoint_url=stack.emulator_url, region_name="us-east-1")
    username = f"alice-{uuid4().hex[:6]}"
    arn = iam.create_user(UserName=username)["User"]["Arn"]
    key = iam.create_access_key(UserName=username)["AccessKey"]
    console = boto3.client(
        "cloudfront",
        endpoint_url=stack.emulator_url,
        region_name="us-east-1",
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    return arn, console


@pytest.fixture(scope="module")
def viewer(stack: RunningStack) -> ApiClient:
    return stack.client_for(stack.new_member("viewer"))


def version_seen(viewer: ApiClient, distribution_id: str, number: int) -> dict[str, Any]:
    """Version `number` of the distribution, as soon as the vault has it (within a minute)."""
    deadline = time.monotonic() + WITHIN_SECONDS
    while time.monotonic() < deadline:
        response = viewer.get(f"{DISTRIBUTIONS}/{distribution_id}/versions/{number}")
        if response.status_code == 200:
            found: dict[str, Any] = response.json()
            return found
        time.sleep(1)
    raise AssertionError(f"version {number} of {distribution_id} not seen in {WITHIN_SECONDS}s")


def test_a_change_at_the_aws_endpoint_is_a_version_within_a_minute_naming_who(
    alice: tuple[str, Any], viewer: ApiClient
) -> None:
    arn, console = alice
    # Given a distribution alice created at the printed AWS endpoint, seen as version 1
    created = console.create_distribution(
        DistributionConfig=distribution_config(f"e2e-{uuid4()}", comment="alice's")
    )
    distribution_id = created["Distribution"]["Id"]
    assert version_seen(viewer, distribution_id, 1)["who"] == arn
    # When she changes it, as the console does
    current = console.get_distribution_config(Id=distribution_id)
    updated = console.update_distribution(
        Id=distribution_id,
        IfMatch=current["ETag"],
        DistributionConfig={**current["DistributionConfig"], "Comment": "changed by alice"},
    )
    # Then the vault has version 2 within a minute: detected, her change, naming her
    version = version_seen(viewer, distribution_id, 2)
    assert (version["source"], version["who"], version["etag"]) == (
        "detected",
        arn,
        updated["ETag"],
    )
    assert version["config"]["Comment"] == "changed by alice"
