"""The emulated CloudFront's management events: each change made at the emulator's endpoint is
recorded as CloudTrail records it, naming the IAM user whose key signed the call."""

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import boto3
import pytest

from local.aws import emulator
from local.eventbridge.trail import ManagementEvents
from tests.builders.distributions import distribution_config


@pytest.fixture(scope="module")
def trail() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """An emulator whose trail keeps every event: its endpoint and the events."""
    events: list[dict[str, Any]] = []
    management_events = ManagementEvents()
    management_events.subscribe(events.append)
    with emulator(management_events) as endpoint:
        yield endpoint, events


def console_of(endpoint: str, username: str) -> Any:
    """CloudFront as an IAM user of the emulator uses it, signed with their own key."""
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1")
    iam.create_user(UserName=username)
    key = iam.create_access_key(UserName=username)["AccessKey"]
    return boto3.client(
        "cloudfront",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )


def test_a_console_update_is_recorded_naming_the_iam_user(
    trail: tuple[str, list[dict[str, Any]]],
) -> None:
    endpoint, events = trail
    # Given a distribution, and an IAM user of the account
    username = f"alice-{uuid4().hex[:6]}"
    console = console_of(endpoint, username)
    created = console.create_distribution(DistributionConfig=distribution_config(f"r-{uuid4()}"))
    distribution_id = created["Distribution"]["Id"]
    # When the user changes it
    current = console.get_distribution_config(Id=distribution_id)
    console.update_distribution(
        Id=distribution_id,
        IfMatch=current["ETag"],
        DistributionConfig={**current["DistributionConfig"], "Comment": "by alice"},
    )
    # Then the trail holds the creation and the update (no read), each naming the user
    mine = [e["detail"] for e in events if e["detail"]["userIdentity"].get("userName") == username]
    assert [detail["eventName"] for detail in mine] == ["CreateDistribution", "UpdateDistribution"]
    assert mine[0]["responseElements"]["distribution"]["id"] == distribution_id
    assert mine[1]["requestParameters"] == {"id": distribution_id}
    assert mine[1]["userIdentity"]["arn"].endswith(f":user/{username}")


def test_a_refused_change_is_not_recorded(trail: tuple[str, list[dict[str, Any]]]) -> None:
    endpoint, events = trail
    # Given a distribution
    username = f"bob-{uuid4().hex[:6]}"
    console = console_of(endpoint, username)
    created = console.create_distribution(DistributionConfig=distribution_config(f"r-{uuid4()}"))
    # When the user updates it with a stale ETag (PreconditionFailed)
    with pytest.raises(console.exceptions.PreconditionFailed):
        console.update_distribution(
            Id=created["Distribution"]["Id"],
            IfMatch="ESTALE",
            DistributionConfig=distribution_config("ignored"),
        )
    # Then only the creation is in the trail
    mine = [e for e in events if e["detail"]["userIdentity"].get("userName") == username]
    assert [event["detail"]["eventName"] for event in mine] == ["CreateDistribution"]
