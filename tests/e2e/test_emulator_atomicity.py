"""The local stack's AWS emulator (local/aws.py) keeps DynamoDB's atomicity under concurrency
(100 clients at once, each with a conditional write, over HTTP as the functions send them),
and answers a TransactWriteItems retried with its client token as DynamoDB does.

moto's server alone fails these (local/dynamodb/atomic.py says how). The interpreter hands
the emulator's threads over to one another every 5 ms by default, longer than moto takes
for most requests, so at that pace the interleavings are rare; the tests shorten it to
10 µs so that they are frequent, as they would be on a busier or faster machine.
"""

import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from local.aws import emulator
from tests.builders.together import all_at_once

CLIENTS = 100
STOCK = 10
PRODUCTS = 20
STOCK_PER_PRODUCT = 3
THREAD_SWITCH_SECONDS = 0.00001


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(THREAD_SWITCH_SECONDS)
    try:
        with emulator() as url:
            yield boto3.client(
                "dynamodb",
                endpoint_url=url,
                config=Config(max_pool_connections=CLIENTS, retries={"max_attempts": 1}),
            )
    finally:
        sys.setswitchinterval(previous)


def new_table(dynamodb: Any) -> str:
    name = f"atomicity-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


def error_code(error: ClientError) -> str:
    return str(error.response["Error"]["Code"])


def stock_of(dynamodb: Any, table: str, product_id: str) -> int:
    item = dynamodb.get_item(TableName=table, Key={"id": {"S": product_id}}, ConsistentRead=True)
    return int(item["Item"]["stock"]["N"])


def decrement(product_id: str, quantity: int) -> dict[str, Any]:
    """A stock reservation as the orders service makes it: `stock - q` only if `stock >= q`,
    with the product's version counted."""
    return {
        "Key": {"id": {"S": product_id}},
        "UpdateExpression": (
            "SET stock = stock - :q, version = if_not_exists(version, :zero) + :one"
        ),
        "ConditionExpression": "stock >= :q",
        "ExpressionAttributeValues": {
            ":q": {"N": str(quantity)},
            ":zero": {"N": "0"},
            ":one": {"N": "1"},
        },
    }


def test_concurrent_conditional_decrements_never_pass_one_check_twice(dynamodb: Any) -> None:
    # Given a product with 10 in stock
    table = new_table(dynamodb)
    dynamodb.put_item(TableName=table, Item={"id": {"S": "kettle"}, "stock": {"N": str(STOCK)}})

    def take_one(_: int) -> tuple[str, int | None]:
        try:
            answer = dynamodb.update_item(
                TableName=table, ReturnValues="UPDATED_NEW", **decrement("kettle", 1)
            )
        except ClientError as error:
            return error_code(error), None
        return "taken", int(answer["Attributes"]["stock"]["N"])

    # When 100 clients each take one at once
    answers = all_at_once(CLIENTS, take_one)

    # Then 10 succeed, each leaving a different stock (9 down to 0), and 90 fail their check
    assert Counter(code for code, _ in answers) == {
        "taken": STOCK,
        "ConditionalCheckFailedException": CLIENTS - STOCK,
    }
    assert sorted(left for _, left in answers if left is not None) == list(range(STOCK))
    assert stock_of(dynamodb, table, "kettle") == 0


def test_concurrent_transactions_are_all_or_nothing(dynamodb: Any) -> None:
    # Given 20 products with 3 each in stock, and an orders table
    products, orders = new_table(dynamodb), new_table(dynamodb)
    product_ids = [f"product-{index}" for index in range(PRODUCTS)]
    for product_id in product_ids:
        dynamodb.put_item(
            TableName=products,
            Item={"id": {"S": product_id}, "stock": {"N": str(STOCK_PER_PRODUCT)}},
        )

    def place(index: int) -> tuple[str, str, str, int]:
        # five orders per product, of 1, 2 or 3: some fit, some are short
        order_id, product_id, quantity = (
            str(uuid.uuid4()),
            product_ids[index % PRODUCTS],
            index % 3 + 1,
        )
        order = {"id": {"S": order_id}, "quantity": {"N": str(quantity)}}
        try:
            dynamodb.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": orders,
                            "Item": order,
                            "ConditionExpression": "attribute_not_exists(id)",
                        }
                    },
                    {"Update": {"TableName": products, **decrement(product_id, quantity)}},
                ]
            )
        except ClientError as error:
            return error_code(error), order_id, product_id, quantity
        return "placed", order_id, product_id, quantity

    # When 100 clients each place a one-line order at once
    answers = all_at_once(CLIENTS, place)

    # Then each answer is a success or a cancelled transaction (never a 500)
    assert set(Counter(code for code, *_ in answers)) <= {"placed", "TransactionCanceledException"}
    # And the orders stored are exactly those placed
    pages = dynamodb.get_paginator("scan").paginate(TableName=orders)
    stored = {item["id"]["S"] for page in pages for item in page["Items"]}
    assert stored == {order_id for code, order_id, *_ in answers if code == "placed"}
    # And each product's stock is its start minus what its placed orders took, never below 0
    sold = Counter[str]()
    for code, _, product_id, quantity in answers:
        if code == "placed":
            sold[product_id] += quantity
    left = {product_id: stock_of(dynamodb, products, product_id) for product_id in product_ids}
    assert left == {product_id: STOCK_PER_PRODUCT - sold[product_id] for product_id in product_ids}
    assert min(left.values()) >= 0


def test_a_transaction_retried_with_its_client_token_writes_once(dynamodb: Any) -> None:
    # Given an order placed with a transaction: the order and a reservation of 1 of 10
    products, orders = new_table(dynamodb), new_table(dynamodb)
    dynamodb.put_item(TableName=products, Item={"id": {"S": "kettle"}, "stock": {"N": "10"}})
    transaction = {
        "TransactItems": [
            {
                "Put": {
                    "TableName": orders,
                    "Item": {"id": {"S": "order-1"}},
                    "ConditionExpression": "attribute_not_exists(id)",
                }
            },
            {"Update": {"TableName": products, **decrement("kettle", 1)}},
        ],
        "ClientRequestToken": str(uuid.uuid4()),
    }
    dynamodb.transact_write_items(**transaction)

    # When it is sent again with its token (as botocore retries it after a timeout)
    dynamodb.transact_write_items(**transaction)

    # Then the retry succeeds as the first did, and nothing is written twice
    assert stock_of(dynamodb, products, "kettle") == 9
    # And the same token on another transaction is refused
    other = {**transaction, "TransactItems": transaction["TransactItems"][1:]}
    with pytest.raises(ClientError) as refused:
        dynamodb.transact_write_items(**other)
    assert error_code(refused.value) == "IdempotentParameterMismatchException"
