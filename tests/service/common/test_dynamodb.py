"""`shop_common.dynamodb.Table`: a table's item calls in Python values on a plain client
(moto), as a boto3 resource Table takes and returns them."""

from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.conditions import Key

from shop_common.dynamodb import Table, python_typed
from tests.builders.data import product_item
from tests.builders.tables import TEST_TABLE_NAMES

PRODUCTS = TEST_TABLE_NAMES["ProductsTable"]


def test_an_item_written_in_python_values_reads_back_as_written(dynamodb: Any) -> None:
    # Given a product put through a Table
    table = Table(PRODUCTS)
    item = product_item(name="Desk lamp", price=Decimal("19.99"))
    table.put_item(Item=item)

    # When it is queried with a key condition
    found = table.query(KeyConditionExpression=Key("product_id").eq(item["product_id"]))

    # Then it comes back in Python values, as written
    assert found["Items"] == [item]


def test_a_client_made_typed_twice_transforms_each_value_once(dynamodb: Any) -> None:
    # Given a client made typed twice
    client = python_typed(python_typed(boto3.client("dynamodb")))
    item = product_item(name="Vase", price=Decimal("7.50"))

    # When an item is written and read through it
    Table(PRODUCTS, client).put_item(Item=item)
    read = Table(PRODUCTS, client).get_item(Key={"product_id": item["product_id"]})

    # Then it reads back as written (a second serializer would fail on typed values)
    assert read["Item"] == item
