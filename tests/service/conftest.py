"""Service tests: handlers against moto tables built from bootstrap/template.yaml, each
function imported and invoked in the environment its template gives it
(tests/builders/environments.py)."""

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.builders.tables import create_bootstrap_tables


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def dynamodb(aws: None) -> Any:
    client = boto3.client("dynamodb")
    create_bootstrap_tables(client)
    return client
