"""The local stack's DynamoDB stream mappings: the Orders stream delivered to its function
in Lambda's shape, filtered, retried from the first failed record, then dead-lettered."""

import json
from typing import Any

import boto3
import pytest

from local.lambda_.functions import Invocation
from local.lambda_.streams import StreamMapping, StreamPoller, resolve_events, stream_mappings
from stacks.intrinsics import Scope
from stacks.templates import SERVICE_TEMPLATES, serverless_functions
from tests.unit.local.conftest import ORDERS_TABLE

QUEUE = "shop-dev-orders-OrderEmailDeadLetters"


class ScriptedFunction:
    """A function that keeps each batch it is given and answers with the sequence numbers
    `fail` picks as failed (ReportBatchItemFailures)."""

    name = "NotifyOrderFunction"

    def __init__(self, fail: Any = lambda number, attempt: False) -> None:
        self.batches: list[list[dict[str, Any]]] = []
        self.fail = fail

    def invoke(self, event: dict[str, Any], request_id: str) -> Invocation:
        self.batches.append(event["Records"])
        attempt = len(self.batches)
        failures = [
            {"itemIdentifier": record["dynamodb"]["SequenceNumber"]}
            for record in event["Records"]
            if self.fail(record["dynamodb"]["Keys"]["order_id"]["S"], attempt)
        ]
        return Invocation({"batchItemFailures": failures}, handler_ms=1.0, init_ms=None)


def mapping_of_the_template(stream_arn: str) -> StreamMapping:
    """NotifyOrder's mapping as the orders template declares it."""
    spec = serverless_functions(SERVICE_TEMPLATES["orders"])["NotifyOrderFunction"]
    scope = Scope({"Stage": "dev"}, {}, {"shop-dev-OrdersTableStreamArn": stream_arn})
    events = resolve_events(spec.properties["Events"], scope)
    (mapping,) = stream_mappings("NotifyOrderFunction", events, "shop-dev-orders")
    return mapping


def write_orders(*order_ids: str) -> None:
    orders = boto3.resource("dynamodb").Table(ORDERS_TABLE)
    for order_id in order_ids:
        orders.put_item(Item={"order_id": order_id, "status": "pending"})


def test_the_template_mapping_retries_five_times_into_its_dead_letter_queue(
    stream_arn: str,
) -> None:
    mapping = mapping_of_the_template(stream_arn)
    assert (mapping.max_retries, mapping.batch_size) == (5, 25)
    assert mapping.event_names == {"INSERT", "MODIFY"}
    assert mapping.dead_letter_queue == QUEUE


def test_changes_reach_the_function_in_lambdas_shape_without_removals(stream_arn: str) -> None:
    # Given the mapping polling the stream, and two orders written, one then deleted
    function = ScriptedFunction()
    poller = StreamPoller(mapping_of_the_template(stream_arn), function, print)
    write_orders("a", "b")
    boto3.resource("dynamodb").Table(ORDERS_TABLE).delete_item(Key={"order_id": "b"})
    # When the stream is read
    poller.poll_once()
    # Then the function got the two insertions, typed as DynamoDB's stream gives them
    (batch,) = function.batches
    assert [record["eventName"] for record in batch] == ["INSERT", "INSERT"]
    assert batch[0]["eventSourceARN"] == stream_arn
    assert batch[0]["dynamodb"]["NewImage"]["status"] == {"S": "pending"}


def test_a_failed_record_is_retried_from_itself_not_from_the_batch_start(stream_arn: str) -> None:
    # Given a function that fails order "b" on its first attempt
    function = ScriptedFunction(fail=lambda order_id, attempt: order_id == "b" and attempt == 1)
    poller = StreamPoller(mapping_of_the_template(stream_arn), function, print)
    write_orders("a", "b", "c")
    poller.poll_once()
    # Then the retry starts at "b"
    keys = [[r["dynamodb"]["Keys"]["order_id"]["S"] for r in batch] for batch in function.batches]
    assert keys == [["a", "b", "c"], ["b", "c"]]


def test_a_record_failing_every_retry_goes_to_the_dead_letter_queue_and_the_stream_moves_on(
    stream_arn: str,
) -> None:
    # Given a function that always fails order "b"
    function = ScriptedFunction(fail=lambda order_id, attempt: order_id == "b")
    announced: list[str] = []
    poller = StreamPoller(mapping_of_the_template(stream_arn), function, announced.append)
    write_orders("a", "b")
    # When the stream is read
    poller.poll_once()
    # Then it was tried once and retried five times, then dead-lettered by position only
    assert len(function.batches) == 6
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    (message,) = sqs.receive_message(QueueUrl=url)["Messages"]
    info = json.loads(message["Body"])["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1
    assert info["streamArn"] == stream_arn
    assert "pending" not in message["Body"]
    assert announced == [
        f"NotifyOrderFunction: 1 stream record(s) failed after 5 retries, sent to {QUEUE}"
    ]
    # and the next change is delivered
    write_orders("c")
    poller.poll_once()
    assert function.batches[-1][0]["dynamodb"]["Keys"]["order_id"] == {"S": "c"}


def test_changes_after_a_failed_transaction_are_still_delivered(stream_arn: str) -> None:
    # Given the poller reading, and a transaction the emulator cancels (moto rolls it back
    # by restoring a copy of the table, stream included)
    function = ScriptedFunction()
    poller = StreamPoller(mapping_of_the_template(stream_arn), function, print)
    write_orders("a")
    client = boto3.client("dynamodb")
    refused = {
        "Put": {
            "TableName": ORDERS_TABLE,
            "Item": {"order_id": {"S": "a"}},
            "ConditionExpression": "attribute_not_exists(order_id)",
        }
    }
    with pytest.raises(client.exceptions.TransactionCanceledException):
        client.transact_write_items(TransactItems=[refused])
    # When an order is written afterwards
    write_orders("b")
    poller.poll_once()
    # Then both reach the function
    delivered = [r["dynamodb"]["Keys"]["order_id"]["S"] for b in function.batches for r in b]
    assert delivered == ["a", "b"]
