"""A failed TransactWriteItems leaves no stream record (local/dynamodb/streams.py), where
moto's rollback leaves one to any iterator made before it."""

from contextlib import AbstractContextManager, nullcontext
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from local.dynamodb.streams import streams_kept_through_rollback
from tests.unit.local.conftest import ORDERS_TABLE


def put(order_id: str) -> dict[str, Any]:
    return {"Put": {"TableName": ORDERS_TABLE, "Item": {"order_id": {"S": order_id}}}}


def refused_order(order_id: str) -> list[dict[str, Any]]:
    """The order, then a check that fails: moto writes the order's record, then rolls back."""
    check = {"TableName": ORDERS_TABLE, "Key": {"order_id": {"S": "none"}}}
    return [
        put(order_id),
        {"ConditionCheck": {**check, "ConditionExpression": "attribute_exists(order_id)"}},
    ]


def orders_read_after(stream_arn: str, around: AbstractContextManager[None]) -> list[str]:
    """What a poller reads with an iterator it made before a refused order, then a placed one."""
    streams, dynamodb = boto3.client("dynamodbstreams"), boto3.client("dynamodb")
    (shard,) = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    with around, pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=refused_order("refused"))
    dynamodb.transact_write_items(TransactItems=[put("placed")])
    fresh = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = [
        *streams.get_records(ShardIterator=iterator)["Records"],
        *streams.get_records(ShardIterator=fresh)["Records"],
    ]
    return [record["dynamodb"]["Keys"]["order_id"]["S"] for record in records]


def test_an_iterator_made_before_a_refused_transaction_reads_only_what_was_written(
    stream_arn: str,
) -> None:
    assert orders_read_after(stream_arn, streams_kept_through_rollback()) == ["placed", "placed"]


def test_without_it_moto_hands_the_old_iterator_the_refused_write_and_not_the_next(
    stream_arn: str,
) -> None:
    # moto's own behaviour, which the context manager corrects (a guard on the test above)
    assert orders_read_after(stream_arn, nullcontext()) == ["refused", "placed"]
