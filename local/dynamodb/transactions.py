"""A TransactWriteItems that fails undoes its own items, not every item of its tables.

moto's TransactWriteItems takes a deep copy of every table it names before it starts, and
puts the copies back when an item fails: its time grows with the tables (about 20 ms a
transaction at 1,000 items, 60 ms at 3,000), so with a catalogue of a few thousand products
every order, every product saved and every vault change waited on copies of whole tables, one
transaction at a time (local/dynamodb/atomic.py). The copies also had stream shards of their
own: an iterator made before a failed transaction read its writes, and the next real write
took their sequence numbers.

Here moto's copy of a table is the table itself, and a failed transaction puts back what its
own items were before it (each item it names, or its absence) and drops the stream records it
wrote: DynamoDB's all or nothing, in time that does not depend on the tables' size. Sound
because AtomicDynamoDB runs a TransactWriteItems with no other DynamoDB request beside it.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

_moto_transact_write_items = DynamoDBBackend.transact_write_items

_ItemKey = tuple[DynamoType, DynamoType | None]


def _key_of(table: Table, operation: str, request: dict[str, Any]) -> _ItemKey:
    key = request["Item"] if operation == "Put" else request["Key"]
    hash_value = DynamoType(key[table.hash_key_attr])
    if table.range_key_attr is None:
        return hash_value, None
    return hash_value, DynamoType(key[table.range_key_attr])


def _items_named(
    backend: DynamoDBBackend, transact_items: list[dict[str, Any]]
) -> list[tuple[Table, _ItemKey, Item | None]]:
    """Each item the transaction names, with a copy of what it is now (None: no item)."""
    named = []
    for entry in transact_items:
        for operation, request in entry.items():
            table = backend.tables.get(request.get("TableName", ""))
            if table is None:
                continue  # moto refuses the item, writing nothing of it
            try:
                key = _key_of(table, operation, request)
            except (KeyError, TypeError, AttributeError, IndexError):
                continue  # a malformed key: moto refuses the item, writing nothing of it
            named.append((table, key, copy.deepcopy(table.get_item(*key))))
    return named


def _put_back(table: Table, key: _ItemKey, before: Item | None) -> None:
    hash_value, range_value = key
    if range_value is None:
        if before is None:
            table.items.pop(hash_value, None)
        else:
            table.items[hash_value] = before  # type: ignore[assignment]  # moto annotates range tables
    elif before is None:
        table.items[hash_value].pop(range_value, None)
    else:
        table.items[hash_value][range_value] = before


def _the_table_itself(table: Table, memo: dict[int, Any]) -> Table:
    return table


@contextmanager
def _tables_not_copied() -> Iterator[None]:
    Table.__deepcopy__ = _the_table_itself  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del Table.__deepcopy__  # type: ignore[attr-defined]


def _transact_write_items(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    named = _items_named(backend, transact_items)
    records = {
        id(table): len(table.stream_shard.items)
        for table, _, _ in named
        if table.stream_shard is not None
    }
    try:
        with _tables_not_copied():
            _moto_transact_write_items(backend, transact_items)
    except Exception:
        for table, key, before in reversed(named):
            _put_back(table, key, before)
            if table.stream_shard is not None:
                del table.stream_shard.items[records[id(table)] :]
        raise


def transactions_undone_by_item() -> None:
    """moto's failed TransactWriteItems put back their own items, in this process."""
    DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign,assignment]
