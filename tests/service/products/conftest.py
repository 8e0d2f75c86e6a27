"""The products functions as the products template names them, against moto tables."""

from typing import Any

import boto3
import pytest

from stacks.templates import SERVICE_TEMPLATES
from tests.builders.environments import Handler, deployed_handler
from tests.builders.tables import TEST_IMAGES_BUCKET, TEST_TABLE_NAMES


def handler_of(function: str) -> Handler:
    """The `Handler` the products template gives `function` (a logical id), imported and
    invoked in the function's environment.

    Imported lazily, once moto is active, so the module-level table is moto's."""
    return deployed_handler(SERVICE_TEMPLATES["products"], function)


@pytest.fixture
def get_products(dynamodb: Any) -> Handler:
    return handler_of("GetProductsFunction")


@pytest.fixture
def get_product(dynamodb: Any) -> Handler:
    return handler_of("GetProductFunction")


@pytest.fixture
def images_bucket(aws: None) -> Any:
    """The product images bucket, in moto."""
    s3 = boto3.client("s3")
    s3.create_bucket(
        Bucket=TEST_IMAGES_BUCKET,
        CreateBucketConfiguration={"LocationConstraint": s3.meta.region_name},
    )
    return boto3.resource("s3").Bucket(TEST_IMAGES_BUCKET)


@pytest.fixture
def upsert_product(dynamodb: Any, images_bucket: Any) -> Handler:
    return handler_of("UpsertProductFunction")


@pytest.fixture
def create_image_upload(images_bucket: Any) -> Handler:
    return handler_of("CreateImageUploadFunction")


@pytest.fixture
def delete_product(dynamodb: Any) -> Handler:
    return handler_of("DeleteProductFunction")


@pytest.fixture
def products_table(dynamodb: Any) -> Any:
    """The Products table, to seed products and to check what the handlers wrote."""
    return boto3.resource("dynamodb").Table(TEST_TABLE_NAMES["ProductsTable"])
