"""CloudFront throttling the vault's reads (boto3's retries exhausted), as boto3 raises it:
every read a run makes ends it as incomplete, never as a crash or a conclusion."""

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.builders.distributions import distribution_config
from vault.dependencies import IncompleteListingError
from vault.repository import BotoCloudFront

DISTRIBUTION_ID = "EDFDVBD6EXAMPLE"
ARN = f"arn:aws:cloudfront::123456789012:distribution/{DISTRIBUTION_ID}"


@pytest.fixture
def stubbed() -> Any:
    client = boto3.client(
        "cloudfront", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stubber:
        yield client, stubber


def distribution() -> dict[str, Any]:
    return {
        "Distribution": {
            "Id": DISTRIBUTION_ID,
            "ARN": ARN,
            "Status": "Deployed",
            "LastModifiedTime": "2026-12-06T12:00:00Z",
            "InProgressInvalidationBatches": 0,
            "DomainName": "d111111abcdef8.cloudfront.net",
            "DistributionConfig": distribution_config(),
        },
        "ETag": "E2QWRUHEXAMPLE",
    }


def test_a_throttled_read_of_the_tags_is_an_incomplete_listing(stubbed: Any) -> None:
    # Given CloudFront answers the distribution but throttles the read of its tags
    client, stubber = stubbed
    stubber.add_response("get_distribution", distribution(), {"Id": DISTRIBUTION_ID})
    stubber.add_client_error("list_tags_for_resource", "Throttling", http_status_code=400)
    # When the vault reads the distribution
    # Then the read is incomplete, so a run stops and concludes nothing
    with pytest.raises(IncompleteListingError):
        BotoCloudFront(cloudfront=client).get(DISTRIBUTION_ID)


def test_a_throttled_read_of_the_distribution_is_an_incomplete_listing(stubbed: Any) -> None:
    # Given CloudFront throttles the read of the distribution
    client, stubber = stubbed
    stubber.add_client_error("get_distribution", "Throttling", http_status_code=400)
    # When the vault reads it
    # Then the read is incomplete
    with pytest.raises(IncompleteListingError):
        BotoCloudFront(cloudfront=client).get(DISTRIBUTION_ID)
