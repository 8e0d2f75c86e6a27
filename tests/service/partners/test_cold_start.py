"""The partner catalogue functions read the Products table through a client that speaks
Python types, so their cold start builds no DynamoDB resource (boto3's resource layer: its
model and classes, `make bench`'s lever row)."""

import pytest

from stacks.templates import REPO_ROOT, SERVICE_TEMPLATES
from tests.builders.environments import loaded_at_init

PARTNERS = SERVICE_TEMPLATES["partners"]
SOURCES = (REPO_ROOT / "services" / "partners" / "src", REPO_ROOT / "services" / "common")
# Imported by boto3 when a DynamoDB resource is made (its Table's batch writer).
RESOURCE_TABLE = "boto3.dynamodb.table"


@pytest.mark.parametrize(
    "function",
    ["GetPartnerProductsFunction", "GetPartnerProductFunction", "QuotePartnerFunction"],
)
def test_a_catalogue_function_cold_start_makes_no_dynamodb_resource(function: str) -> None:
    # Given a partner catalogue function, When Lambda's init phase imports its handler
    loaded = loaded_at_init(PARTNERS, function, SOURCES, (RESOURCE_TABLE, "shop_common.dynamodb"))

    # Then it reaches DynamoDB through shop_common, without a resource
    assert loaded == ["shop_common.dynamodb"]
