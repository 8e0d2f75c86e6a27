"""Service tests: handlers against moto tables built from bootstrap/template.yaml, each
function imported and invoked in the environment its template gives it
(tests/builders/environments.py)."""

import io
import logging
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


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Every line the functions' logger writes, at its most talkative level, as JSON."""
    # Imported here: the layer's first import happens in a function's environment.
    from shop_common.observability import logger

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    level = logger.log_level
    logger.addHandler(handler)
    logger.setLevel("DEBUG")
    yield stream
    logger.setLevel(level)
    logger.removeHandler(handler)
