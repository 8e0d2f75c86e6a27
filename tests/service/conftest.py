"""Service tests: handlers against moto tables built from bootstrap/template.yaml, each
function imported and invoked in the environment its template gives it
(tests/builders/environments.py)."""

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local.templates import SERVICE_TEMPLATES
from tests.builders.environments import import_layer_in_environment_of
from tests.builders.tables import create_bootstrap_tables

# Before any test module imports shop_common: one process runs every service's functions, so
# the layer's Powertools objects are made once, in the orders functions' environment (whose
# metrics the tests read); in Lambda each function's container makes its own.
import_layer_in_environment_of(SERVICE_TEMPLATES["orders"], "UpsertOrderFunction")


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def dynamodb(aws: None) -> Any:
    client = boto3.client("dynamodb")
    create_bootstrap_tables(client)
    return client
