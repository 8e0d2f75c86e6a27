"""The bootstrap stack's CloudFront resources on a restored state (`--persist`): found again
in the emulated CloudFront, as CloudFormation finds its stack's resources, never made twice."""

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from local.aws import emulator
from local.cloudformation.distributions import CLOUDFRONT_REGION, create_cloudfront_resources
from local.cloudformation.stack import LocalCloud
from local.s3.images import regional_domain_name
from tests.builders.tokens import REGION

CLOUDFRONT_RESOURCES = ("WebOriginAccessControl", "SecurityHeadersPolicy", "WebDistribution")


@pytest.fixture
def cloudfront(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """CloudFront as the local stack emulates it, the one the stack's own clients use."""
    with emulator() as url:
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        yield boto3.client("cloudfront", region_name=CLOUDFRONT_REGION)


def started(cloud: LocalCloud) -> dict[str, str]:
    """The ids of the bootstrap's CloudFront resources as one start of the stack records them."""
    references: dict[str, str] = {}
    attributes = {
        f"{bucket}.RegionalDomainName": regional_domain_name(f"shop-dev-{bucket}", REGION)
        for bucket in ("WebBucket", "ProductImagesBucket")
    }
    create_cloudfront_resources(cloud, references, attributes)
    return {logical_id: references[logical_id] for logical_id in CLOUDFRONT_RESOURCES}


def test_a_second_start_finds_the_bootstraps_cloudfront_resources(cloudfront: Any) -> None:
    cloud = LocalCloud(stage="dev", region=REGION)
    # Given the bootstrap's CloudFront resources made by a first start
    first = started(cloud)

    # When the stack starts again on the same state
    second = started(cloud)

    # Then it finds the same origin access control, policy and distribution, and makes none
    assert second == first
    listed = cloudfront.list_distributions()["DistributionList"]
    assert [item["Id"] for item in listed["Items"]] == [first["WebDistribution"]]
