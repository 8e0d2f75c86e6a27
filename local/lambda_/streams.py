"""Lambda's event source mappings for DynamoDB streams, as the templates declare them.

A thread per mapping reads the table's stream from the emulator (moto keeps a stream for a
table created with a StreamSpecification), from its end at start (`LATEST`), after the last
record it delivered from each shard, and invokes the
function with batches of up to `BatchSize` records that pass the mapping's filter: an
`eventName` list, the only filter the shop's templates use. As Lambda does with
`ReportBatchItemFailures`, a batch is retried from its first failed record, at most
`MaximumRetryAttempts` times; then the failed records' keys go to the `OnFailure` SQS queue
(created in the emulator under the stack's name) and the stream moves on.
"""

import json
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import boto3

from local.lambda_.functions import Function
from stacks.intrinsics import Scope, resolve

POLL_SECONDS = 0.2


@dataclass(frozen=True)
class StreamMapping:
    function_name: str
    stream_arn: str
    batch_size: int
    max_retries: int
    event_names: frozenset[str] | None
    dead_letter_queue: str | None  # the queue's name in the emulator


def resolve_events(events: Mapping[str, Any], scope: Scope) -> dict[str, Any]:
    """A function's DynamoDB stream `Events` resolved locally; an on-failure destination
    stays the `GetAtt` of its queue in the same stack (created by the poller). Other events
    are left as written (a schedule's role boundary has no local value)."""
    resolved = {}
    for name, event in events.items():
        if event.get("Type") != "DynamoDB":
            continue
        properties = dict(event.get("Properties", {}))
        destination = properties.pop("DestinationConfig", None)
        properties = resolve(properties, scope)
        if destination is not None:
            properties["DestinationConfig"] = destination
        resolved[name] = {**event, "Properties": properties}
    return resolved


def stream_mappings(
    function_name: str, events: Mapping[str, Any], stack_name: str
) -> list[StreamMapping]:
    """The DynamoDB stream mappings of one function's resolved `Events`."""
    mappings = []
    for event in events.values():
        if event.get("Type") != "DynamoDB":
            continue
        properties = event["Properties"]
        names = None
        for rule in properties.get("FilterCriteria", {}).get("Filters", []):
            names = frozenset(json.loads(rule["Pattern"]).get("eventName", []))
        destination = properties.get("DestinationConfig", {}).get("OnFailure", {})
        target = destination.get("Destination", {}).get("Fn::GetAtt", [None])[0]
        mappings.append(
            StreamMapping(
                function_name=function_name,
                stream_arn=str(properties["Stream"]),
                batch_size=int(properties.get("BatchSize", 100)),
                max_retries=int(properties.get("MaximumRetryAttempts", -1)),
                event_names=names,
                dead_letter_queue=f"{stack_name}-{target}" if target else None,
            )
        )
    return mappings


class StreamPoller:
    """Delivers one mapping's stream to its function until `stop()`."""

    def __init__(
        self, mapping: StreamMapping, function: Function, announce: Callable[[str], None]
    ) -> None:
        self.mapping = mapping
        self._function = function
        self._announce = announce
        self._streams = boto3.client("dynamodbstreams")
        self._stopping = threading.Event()
        self._positions = self._skip_to_the_end()
        self._thread = threading.Thread(target=self._run, daemon=True, name=mapping.function_name)
        if mapping.dead_letter_queue:
            boto3.client("sqs").create_queue(QueueName=mapping.dead_letter_queue)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def _shards(self) -> list[str]:
        description = self._streams.describe_stream(StreamArn=self.mapping.stream_arn)
        return [shard["ShardId"] for shard in description["StreamDescription"]["Shards"]]

    def _skip_to_the_end(self) -> dict[str, str | None]:
        """Each shard's last sequence number now: delivery starts after it (`LATEST`)."""
        positions: dict[str, str | None] = {}
        for shard in self._shards():
            positions[shard] = None
            while records := self._records_after(shard, positions[shard]):
                positions[shard] = records[-1]["dynamodb"]["SequenceNumber"]
        return positions

    def _records_after(self, shard: str, position: str | None) -> list[dict[str, Any]]:
        # A fresh iterator at each read, after the last record delivered.
        start = (
            {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": position}
            if position
            else {"ShardIteratorType": "TRIM_HORIZON"}
        )
        iterator = self._streams.get_shard_iterator(
            StreamArn=self.mapping.stream_arn, ShardId=shard, **start
        )["ShardIterator"]
        page = self._streams.get_records(ShardIterator=iterator, Limit=self.mapping.batch_size)
        records: list[dict[str, Any]] = page["Records"]
        return records

    def _run(self) -> None:
        while not self._stopping.wait(POLL_SECONDS):
            try:
                self.poll_once()
            except Exception as exc:  # the poller outlives one bad read, as Lambda's does
                self._announce(f"{self.mapping.function_name} stream: {type(exc).__name__}")

    def poll_once(self) -> None:
        """Read each shard once (a new one from its start) and deliver what it held."""
        for shard in self._shards():
            records = self._records_after(shard, self._positions.get(shard))
            if records:
                self._deliver([record for record in records if self._passes(record)])
                self._positions[shard] = records[-1]["dynamodb"]["SequenceNumber"]

    def _passes(self, record: Mapping[str, Any]) -> bool:
        names = self.mapping.event_names
        return names is None or record["eventName"] in names

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        attempts = 0
        while records:
            failed = self._failed_from(records)
            if failed is None:
                return
            attempts += 1
            records = records[failed:]
            if 0 <= self.mapping.max_retries < attempts:
                self._to_dead_letters(records)
                return

    def _failed_from(self, records: list[dict[str, Any]]) -> int | None:
        """The index of the first record to retry, or None when the batch succeeded."""
        event = {"Records": [_as_lambda_record(record, self.mapping) for record in records]}
        try:
            result = self._function.invoke(event, str(uuid.uuid4())).result
        except Exception:
            return 0
        numbers = [item["itemIdentifier"] for item in (result or {}).get("batchItemFailures", [])]
        sequence = [record["dynamodb"]["SequenceNumber"] for record in records]
        return min((sequence.index(n) for n in numbers if n in sequence), default=None)

    def _to_dead_letters(self, records: list[dict[str, Any]]) -> None:
        """As Lambda's on-failure record: where the records were, never their content."""
        first, last = records[0]["dynamodb"], records[-1]["dynamodb"]
        self._announce(
            f"{self.mapping.function_name}: {len(records)} stream record(s) failed after "
            f"{self.mapping.max_retries} retries, sent to {self.mapping.dead_letter_queue}"
        )
        if not self.mapping.dead_letter_queue:
            return
        sqs = boto3.client("sqs")
        url = sqs.get_queue_url(QueueName=self.mapping.dead_letter_queue)["QueueUrl"]
        body = {
            "DDBStreamBatchInfo": {
                "streamArn": self.mapping.stream_arn,
                "startSequenceNumber": first["SequenceNumber"],
                "endSequenceNumber": last["SequenceNumber"],
                "batchSize": len(records),
            }
        }
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))


def _as_lambda_record(record: Mapping[str, Any], mapping: StreamMapping) -> dict[str, Any]:
    """A stream record as Lambda hands it to the function (with its source's ARN)."""
    dynamodb = dict(record["dynamodb"])
    dynamodb["ApproximateCreationDateTime"] = _epoch(dynamodb.get("ApproximateCreationDateTime"))
    return {
        "eventID": record["eventID"],
        "eventName": record["eventName"],
        "eventVersion": record.get("eventVersion", "1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": record.get("awsRegion"),
        "eventSourceARN": mapping.stream_arn,
        "dynamodb": dynamodb,
    }


def _epoch(value: Any) -> Any:
    return value.timestamp() if hasattr(value, "timestamp") else value
