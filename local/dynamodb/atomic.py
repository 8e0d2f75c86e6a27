"""DynamoDB's atomicity, which moto's server lacks when requests arrive together.

DynamoDB checks a write's condition and makes the write with nothing in between, and a
TransactWriteItems is all or nothing. moto's DynamoDB backend has no lock, and its server
runs each request on a thread of its own, so concurrent requests interleave: two
`stock >= :q` decrements can both pass their check (the shop would oversell), and a
TransactWriteItems whose condition fails puts back what its items were before it
(local/dynamodb/transactions.py), erasing what other requests wrote to them meanwhile (an
order answered 201 vanishes).

`AtomicDynamoDB` wraps the emulator's WSGI application so that DynamoDB operations that
only read share a lock (they still run side by side) and every other DynamoDB operation
holds it alone: one at a time, never beside a read, so a read never sees half a
transaction. DynamoDB Streams' operations are reads too: a TransactWriteItems writes its
items' stream records as it goes, and a GetRecords beside one that then fails would deliver
the record of a write that never happened (an order's "placed" e-mail for an order refused).
The requests of other services pass straight through.

It also keeps TransactWriteItems idempotent on its `ClientRequestToken`, as DynamoDB does
for 10 minutes: botocore gives every call a token and resends it when it retries (after a
read timeout, say, while the first attempt waited for the lock and then succeeded); DynamoDB
answers the retry as it answered the first success and writes nothing, where moto, which
ignores the token, would run it again and fail its own conditions (an order placed, then
answered 409 "already exists"). The same token with another request is DynamoDB's 400
`IdempotentParameterMismatchException`.
"""

import hashlib
import io
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import fasteners

WsgiApplication = Callable[[dict[str, Any], Any], Iterable[bytes]]

# boto3 names a DynamoDB operation in this header (JSON protocol): `DynamoDB_20120810.GetItem`.
TARGET_HEADER = "HTTP_X_AMZ_TARGET"
DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810."
STREAMS_TARGET_PREFIX = "DynamoDBStreams_20120810."
# The operations that change nothing share the lock; any other one (an unknown one too) is a write.
READ_OPERATIONS = frozenset(
    {
        "GetItem",
        "BatchGetItem",
        "Query",
        "Scan",
        "TransactGetItems",
        "DescribeTable",
        "ListTables",
        "DescribeTimeToLive",
        "DescribeContinuousBackups",
        "ListTagsOfResource",
    }
)


TRANSACT_WRITE_ITEMS = "TransactWriteItems"
IDEMPOTENCY_SECONDS = 600.0
_MISMATCH = json.dumps(
    {
        "__type": "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
        "message": "The request uses the same client token as a previous, but non-identical "
        "request.",
    }
).encode()


@dataclass(frozen=True)
class _Answer:
    """A TransactWriteItems that succeeded: its request (a digest) and what it was answered."""

    at: float
    request: bytes
    status: str
    headers: list[tuple[str, str]]
    body: bytes


class AtomicDynamoDB:
    """WSGI middleware: DynamoDB reads side by side, DynamoDB writes one at a time, and
    TransactWriteItems idempotent on its client token."""

    def __init__(
        self,
        application: WsgiApplication,
        lock: fasteners.ReaderWriterLock | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._application = application
        self._lock = lock or fasteners.ReaderWriterLock()
        self._clock = clock
        self._answers: dict[str, _Answer] = {}  # by client token, written under the lock

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        target = str(environ.get(TARGET_HEADER, ""))
        if target.startswith(STREAMS_TARGET_PREFIX):
            with self._lock.read_lock():
                return self._application(environ, start_response)
        if not target.startswith(DYNAMODB_TARGET_PREFIX):
            return self._application(environ, start_response)
        operation = target.removeprefix(DYNAMODB_TARGET_PREFIX)
        hold = self._lock.read_lock if operation in READ_OPERATIONS else self._lock.write_lock
        # moto runs the operation while the application is called (the body it returns is
        # already made), so the lock covers the whole operation.
        with hold():
            if operation == TRANSACT_WRITE_ITEMS:
                return self._transact(environ, start_response)
            return self._application(environ, start_response)

    def _transact(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(request)
        token = json.loads(request or b"{}").get("ClientRequestToken")
        digest = hashlib.sha256(request).digest()
        now = self._clock()
        self._answers = {
            key: answer
            for key, answer in self._answers.items()
            if now - answer.at < IDEMPOTENCY_SECONDS
        }
        remembered = self._answers.get(token) if token else None
        if remembered is not None:
            if remembered.request != digest:
                start_response("400 Bad Request", [("Content-Type", "application/x-amz-json-1.0")])
                return [_MISMATCH]
            start_response(remembered.status, remembered.headers)
            return [remembered.body]
        answered: list[tuple[str, list[tuple[str, str]]]] = []

        def noting(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            answered.append((status, headers))
            return start_response(status, headers, *exc_info)

        result = self._application(environ, noting)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = answered[0]
        if token and status.startswith("200"):
            self._answers[token] = _Answer(now, digest, status, headers, body)
        return [body]
