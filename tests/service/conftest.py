"""Service tests: handlers against moto tables built from bootstrap/template.yaml."""

import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.builders.events import WEB_ORIGIN
from tests.builders.tables import TEST_TABLE_NAMES, create_bootstrap_tables
from tests.builders.users import known_user_pool_id

# The environment each function's template gives it, with the test tables' names.
os.environ.update(
    {
        "PRODUCTS_TABLE_NAME": TEST_TABLE_NAMES["ProductsTable"],
        "ORDERS_TABLE_NAME": TEST_TABLE_NAMES["OrdersTable"],
        "IDEMPOTENCY_TABLE_NAME": TEST_TABLE_NAMES["IdempotencyTable"],
        "ALLOWED_ORIGINS": WEB_ORIGIN,
        "USER_POOL_ID": known_user_pool_id(),
    }
)


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def dynamodb(aws: None) -> Any:
    client = boto3.client("dynamodb")
    create_bootstrap_tables(client)
    return client
