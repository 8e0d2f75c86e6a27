"""A failed TransactWriteItems undoes its own items (local/dynamodb/transactions.py): what they
were before, no stream record, the other items and the table itself untouched."""

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import backends
from moto.dynamodb.models import DynamoDBBackend

from local.dynamodb.transactions import transactions_undone_by_item
from tests.unit.local.conftest import ORDERS_TABLE

REGION = "eu-west-1"


@pytest.fixture(autouse=True)
def _moto_put_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's own method again after each test (the patch holds for the process)."""
    monkeypatch.setattr(
        DynamoDBBackend, "transact_write_items", DynamoDBBackend.transact_write_items
    )
    transactions_undone_by_item()


@pytest.fixture
def dynamodb(stream_arn: str) -> Any:
    """A client of moto (in-process) holding the Orders table, with its stream."""
    return boto3.client("dynamodb", region_name=REGION)


def order(order_id: str, **attributes: str) -> dict[str, Any]:
    return {"order_id": {"S": order_id}, **{k: {"S": v} for k, v in attributes.items()}}


def put(order_id: str, **attributes: str) -> dict[str, Any]:
    return {"Put": {"TableName": ORDERS_TABLE, "Item": order(order_id, **attributes)}}


def refused(*items: dict[str, Any]) -> list[dict[str, Any]]:
    """`items`, then a check that fails: moto writes `items` before it meets the check."""
    check = {"TableName": ORDERS_TABLE, "Key": {"order_id": {"S": "none"}}}
    return [
        *items,
        {"ConditionCheck": {**check, "ConditionExpression": "attribute_exists(order_id)"}},
    ]


def stored(dynamodb: Any) -> dict[str, dict[str, Any]]:
    items = dynamodb.scan(TableName=ORDERS_TABLE, ConsistentRead=True)["Items"]
    return {item["order_id"]["S"]: item for item in items}


def test_a_refused_transaction_leaves_each_of_its_items_as_it_was(dynamodb: Any) -> None:
    # Given an order to be updated, one to be deleted and one no transaction names
    for item in (order("kept", status="pending"), order("gone"), order("other")):
        dynamodb.put_item(TableName=ORDERS_TABLE, Item=item)
    before = stored(dynamodb)
    key = {"order_id": {"S": "kept"}}
    update = {
        "TableName": ORDERS_TABLE,
        "Key": key,
        "UpdateExpression": "SET #s = :s",
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": {":s": {"S": "shipped"}},
    }
    delete = {"TableName": ORDERS_TABLE, "Key": {"order_id": {"S": "gone"}}}

    # When a transaction that puts a new order, updates one and deletes one is refused
    with pytest.raises(ClientError) as refusal:
        dynamodb.transact_write_items(
            TransactItems=refused(put("new"), {"Update": update}, {"Delete": delete})
        )

    # Then DynamoDB's answer is unchanged, and every order is as it was
    assert refusal.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert stored(dynamodb) == before


def moto_orders_table() -> Any:
    (table,) = [
        backend.tables[ORDERS_TABLE]
        for regions in backends.get_backend("dynamodb").values()
        for region, backend in regions.items()
        if region == REGION and ORDERS_TABLE in backend.tables
    ]
    return table


def moto_item(table: Any, order_id: str) -> Any:
    return next(item for item in table.all_items() if item.hash_key.value == order_id)


def test_a_refused_transaction_keeps_the_table_and_its_other_items(dynamodb: Any) -> None:
    # Given a table with an order
    dynamodb.put_item(TableName=ORDERS_TABLE, Item=order("other"))
    table = moto_orders_table()
    other = moto_item(table, "other")

    # When a transaction is refused
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=refused(put("new")))

    # Then moto's table was not replaced by a copy of it, nor the order it did not name
    assert moto_orders_table() is table
    assert moto_item(table, "other") is other


def test_a_transaction_that_succeeds_writes_every_item(dynamodb: Any) -> None:
    dynamodb.transact_write_items(TransactItems=[put("one"), put("two")])

    assert set(stored(dynamodb)) == {"one", "two"}


def orders_read(iterator: str) -> list[str]:
    streams = boto3.client("dynamodbstreams", region_name=REGION)
    records = streams.get_records(ShardIterator=iterator)["Records"]
    return [record["dynamodb"]["Keys"]["order_id"]["S"] for record in records]


def test_an_iterator_made_before_a_refused_transaction_reads_only_what_was_written(
    dynamodb: Any, stream_arn: str
) -> None:
    # Given a poller's iterator, made before anything is written
    streams = boto3.client("dynamodbstreams", region_name=REGION)
    (shard,) = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]

    # When an order is refused, then one placed
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=refused(put("refused")))
    dynamodb.transact_write_items(TransactItems=[put("placed")])

    # Then the iterator reads the placed one alone
    assert orders_read(iterator) == ["placed"]


def test_a_transaction_with_an_item_without_its_key_writes_nothing(dynamodb: Any) -> None:
    # When a transaction puts an order, then an item without the table's key
    keyless = {"Put": {"TableName": ORDERS_TABLE, "Item": {"status": {"S": "pending"}}}}
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=[put("new"), keyless])

    # Then it is refused, and the order is not there either
    assert stored(dynamodb) == {}
