"""What the local stack's stream tests share: the Orders table, made in moto from the bootstrap
template's definition, with its stream."""

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from stacks.templates import bootstrap_tables

ORDERS_TABLE = "shop-dev-OrdersTable"


@pytest.fixture
def stream_arn() -> Iterator[str]:
    """The Orders table's stream, in moto (in-process)."""
    with mock_aws():
        request = bootstrap_tables()["OrdersTable"].create_table_request(ORDERS_TABLE)
        table = boto3.client("dynamodb").create_table(**request)["TableDescription"]
        yield str(table["LatestStreamArn"])
