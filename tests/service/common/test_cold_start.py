"""No function's cold start makes a DynamoDB resource: the data-access layers reach their
tables through `shop_common.dynamodb.Table`, on a client that speaks Python types (boto3's
resource layer, its model and the classes it builds, adds 7-15 ms of CPU to a cold start:
`make bench`'s lever rows).

Each handler module is imported in a process of its own with the function's environment, as
Lambda's init phase imports it.
"""

import pytest

from stacks.templates import REPO_ROOT, SERVICE_TEMPLATES, serverless_functions
from tests.builders.environments import loaded_at_init

# Imported by boto3 when a DynamoDB resource is made (its Table's batch writer).
RESOURCE_TABLE = "boto3.dynamodb.table"
SERVICES = ("products", "orders", "partners", "vault")
FUNCTIONS = [
    (service, logical_id)
    for service in SERVICES
    for logical_id in serverless_functions(SERVICE_TEMPLATES[service])
]


@pytest.mark.parametrize(("service", "function"), FUNCTIONS)
def test_a_cold_start_reaches_dynamodb_without_a_resource(service: str, function: str) -> None:
    # Given a service function, When Lambda's init phase imports its handler
    sources = (REPO_ROOT / "services" / service / "src", REPO_ROOT / "services" / "common")
    loaded = loaded_at_init(SERVICE_TEMPLATES[service], function, sources, (RESOURCE_TABLE,))

    # Then no DynamoDB resource was made
    assert loaded == []
