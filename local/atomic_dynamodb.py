"""DynamoDB's atomicity, which moto's server lacks when requests arrive together.

DynamoDB checks a write's condition and makes the write with nothing in between, and a
TransactWriteItems is all or nothing. moto's DynamoDB backend has no lock, and its server
runs each request on a thread of its own, so concurrent requests interleave: two
`stock >= :q` decrements can both pass their check (the shop would oversell), and a
TransactWriteItems whose condition fails rolls back by restoring copies of whole tables
taken when it started, erasing what other requests wrote meanwhile (an order answered 201
vanishes) or failing with a 500 when a copy is taken while another request writes.

`AtomicDynamoDB` wraps the emulator's WSGI application so that DynamoDB operations that
only read share a lock (they still run side by side) and every other DynamoDB operation
holds it alone: one at a time, never beside a read, so a read never sees half a
transaction. The requests of other services pass straight through.
"""

from collections.abc import Callable, Iterable
from typing import Any

import fasteners

WsgiApplication = Callable[[dict[str, Any], Any], Iterable[bytes]]

# boto3 names a DynamoDB operation in this header (JSON protocol): `DynamoDB_20120810.GetItem`.
TARGET_HEADER = "HTTP_X_AMZ_TARGET"
DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810."
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


class AtomicDynamoDB:
    """WSGI middleware: DynamoDB reads side by side, DynamoDB writes one at a time."""

    def __init__(
        self, application: WsgiApplication, lock: fasteners.ReaderWriterLock | None = None
    ) -> None:
        self._application = application
        self._lock = lock or fasteners.ReaderWriterLock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        target = str(environ.get(TARGET_HEADER, ""))
        if not target.startswith(DYNAMODB_TARGET_PREFIX):
            return self._application(environ, start_response)
        operation = target.removeprefix(DYNAMODB_TARGET_PREFIX)
        hold = self._lock.read_lock if operation in READ_OPERATIONS else self._lock.write_lock
        # moto runs the operation while the application is called (the body it returns is
        # already made), so the lock covers the whole operation.
        with hold():
            return self._application(environ, start_response)
