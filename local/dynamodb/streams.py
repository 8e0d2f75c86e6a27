"""A failed TransactWriteItems leaves no stream record, as in DynamoDB.

moto applies a transaction's items one by one, each writing its stream record, and when an
item's condition fails it puts back copies of the tables taken at the start: copies with
their own stream shards. The shard the records went to lives on in every shard iterator
made before (a poller's `GetShardIterator`, then its `GetRecords` after the transaction):
such a reader is handed the record of an order that was refused, and the next real write
takes that record's sequence number in the copy, which the reader has already passed.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto import backends

_TableKey = tuple[str, str, str]  # account, region, table name


def _tables() -> dict[_TableKey, Any]:
    """moto's DynamoDB tables, in every account and region it holds."""
    return {
        (account, region, name): table
        for account, regions in backends.get_backend("dynamodb").items()
        for region, backend in regions.items()
        for name, table in backend.tables.items()
    }


@contextmanager
def streams_kept_through_rollback() -> Iterator[None]:
    """Around a TransactWriteItems (with no other DynamoDB write beside it): a table that
    moto restored gets back the stream shard it had, without the records written since."""
    before = {
        key: (table, table.stream_shard, len(table.stream_shard.items))
        for key, table in _tables().items()
        if table.stream_shard is not None
    }
    try:
        yield
    finally:
        now = _tables()
        for key, (table, shard, records) in before.items():
            restored = now.get(key)
            if restored is None or restored is table:
                continue
            del shard.items[records:]
            shard.table = restored
            restored.stream_shard = shard
