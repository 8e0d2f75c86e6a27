"""The products functions as the products template names them, against moto tables."""

from typing import Any

import boto3
import pytest

from local.templates import SERVICE_TEMPLATES
from tests.builders.environments import Handler, deployed_handler
from tests.builders.tables import TEST_TABLE_NAMES


def handler_of(function: str) -> Handler:
    """The `Handler` the products template gives `function` (a logical id), imported and
    invoked in the function's environment.

    Imported lazily, once moto is active, so the module-level table is moto's."""
    return deployed_handler(SERVICE_TEMPLATES["products"], function)


@pytest.fixture
def get_products(dynamodb: Any) -> Handler:
    return handler_of("GetProductsFunction")


@pytest.fixture
def upsert_product(dynamodb: Any) -> Handler:
    return handler_of("UpsertProductFunction")


@pytest.fixture
def delete_product(dynamodb: Any) -> Handler:
    return handler_of("DeleteProductFunction")


@pytest.fixture
def products_table(dynamodb: Any) -> Any:
    """The Products table, to seed products and to check what the handlers wrote."""
    return boto3.resource("dynamodb").Table(TEST_TABLE_NAMES["ProductsTable"])
