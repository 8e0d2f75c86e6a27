"""DynamoDB access shared by the services' data-access layers (the only users of boto3)."""

import functools
import operator
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3
from boto3.dynamodb.conditions import Attr, Key
from boto3.dynamodb.transform import TransformationInjector, copy_dynamodb_params
from botocore.config import Config
from botocore.exceptions import ClientError

from shop_common.errors import InvalidCursorError
from shop_common.pagination import CursorPage, Listing

_FIRST_BACKOFF_SECONDS = 0.05
_MAX_BACKOFF_SECONDS = 1.0

# Short timeouts and standard retries for every AWS client: a Lambda should fail fast
# rather than hang.
CLIENT_CONFIG = Config(
    connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"}
)


def python_typed(client: Any) -> Any:
    """`client`, a DynamoDB client, taking and returning Python values and boto3's `Key`/`Attr`
    conditions as a resource's Table does: boto3's own transformations (`TypeSerializer`,
    `TypeDeserializer`, the condition expression builder), registered on it as the resource
    registers them on its own client (under the same ids: a client made typed twice, or a
    resource's, is transformed once)."""
    injector = TransformationInjector()
    for event, handler, unique_id in (
        ("provide-client-params", copy_dynamodb_params, "dynamodb-create-params-copy"),
        (
            "before-parameter-build",
            injector.inject_condition_expressions,
            "dynamodb-condition-expression",
        ),
        (
            "before-parameter-build",
            injector.inject_attribute_value_input,
            "dynamodb-attr-value-input",
        ),
        ("after-call", injector.inject_attribute_value_output, "dynamodb-attr-value-output"),
    ):
        client.meta.events.register(f"{event}.dynamodb", handler, unique_id=unique_id)
    return client


@cache
def python_typed_client() -> Any:
    """The container's one Python-typed DynamoDB client (`python_typed`): every table of a
    function shares it, so a cold start makes one client, not one per table.
    `AWS_ENDPOINT_URL` in the environment points it at an emulator."""
    return python_typed(boto3.client("dynamodb", config=CLIENT_CONFIG))


@dataclass(frozen=True)
class Table:
    """A table as the data-access layers use it: a boto3 resource Table's item calls, with the
    table's name filled in, on a Python-typed client (the container's by default). Without
    the resource layer: its model and the classes it builds add 7-15 ms of CPU to a cold start
    (bench/results.md's lever rows)."""

    name: str
    client: Any = field(default_factory=python_typed_client)

    def get_item(self, **request: Any) -> Any:
        return self.client.get_item(TableName=self.name, **request)

    def put_item(self, **request: Any) -> Any:
        return self.client.put_item(TableName=self.name, **request)

    def update_item(self, **request: Any) -> Any:
        return self.client.update_item(TableName=self.name, **request)

    def delete_item(self, **request: Any) -> Any:
        return self.client.delete_item(TableName=self.name, **request)

    def query(self, **request: Any) -> Any:
        return self.client.query(TableName=self.name, **request)


def dynamodb_client() -> Any:
    """A low-level DynamoDB client (typed attribute values, not Python values) with the same
    timeouts and retries as a `Table`'s."""
    return boto3.client("dynamodb", config=CLIENT_CONFIG)


def batch_get(
    table: Table,
    keys: list[dict[str, Any]],
    *,
    pause: Callable[[float], None] = time.sleep,
    **request: Any,
) -> list[dict[str, Any]]:
    """The items of the table at `keys` (at most 100: one BatchGetItem) that exist, in no
    particular order. The keys DynamoDB leaves unprocessed (throttled) are asked for again
    after a pause that doubles each time, as AWS advises, up to a second (the function's
    timeout bounds the whole). `request`: BatchGetItem's per-table options
    (ConsistentRead, ProjectionExpression...)."""
    items: list[dict[str, Any]] = []
    wanted: dict[str, Any] = {**request, "Keys": keys}
    backoff = _FIRST_BACKOFF_SECONDS
    while wanted.get("Keys"):
        response = table.client.batch_get_item(RequestItems={table.name: wanted})
        items.extend(response.get("Responses", {}).get(table.name, []))
        wanted = response.get("UnprocessedKeys", {}).get(table.name, {})
        if wanted.get("Keys"):
            pause(backoff)
            backoff = min(backoff * 2, _MAX_BACKOFF_SECONDS)
    return items


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def raise_for_start_key(exc: ClientError) -> None:
    """A start key that does not fit the table or index is a bad cursor, not a server error."""
    if error_code(exc) == "ValidationException":
        raise InvalidCursorError from exc


def query_page(
    query: Callable[..., dict[str, Any]], listing: Listing, *, limit: int, cursor: str | None
) -> CursorPage[dict[str, Any]]:
    """One page of `listing` in one Query that reads at most `limit` + 1 items: the extra
    one only tells whether another page follows, so a full last page has no cursor. A page
    may hold fewer than `limit` items and still have a cursor: a Query returns at most 1 MB,
    and a listing's filter (`contains`) drops the items it reads that do not match. `query`: a
    `Table`'s."""
    condition: Any = Key(listing.partition_key).eq(listing.partition_value)
    if listing.sort_key_prefix:
        condition &= Key(listing.sort_key).begins_with(listing.sort_key_prefix)
    request: dict[str, Any] = {
        "KeyConditionExpression": condition,
        "ScanIndexForward": not listing.descending,
        "Limit": limit + 1,
    }
    if listing.index:
        request["IndexName"] = listing.index
    if listing.contains:
        filters = [Attr(attribute).contains(text) for attribute, text in listing.contains]
        request["FilterExpression"] = functools.reduce(operator.and_, filters)
    start_key = listing.start_key(cursor)
    if start_key:
        request["ExclusiveStartKey"] = start_key
    try:
        response = query(**request)
    except ClientError as exc:
        if start_key:
            raise_for_start_key(exc)
        raise
    items: list[dict[str, Any]] = response.get("Items", [])
    if len(items) > limit:
        return CursorPage(items[:limit], listing.cursor_after(items[limit - 1]))
    if "LastEvaluatedKey" in response:
        # DynamoDB stopped before the page was full (at the 1 MB a Query returns, or at the
        # Limit with items filtered out): the rest follows the last item it read.
        return CursorPage(items, listing.cursor_after(response["LastEvaluatedKey"]))
    return CursorPage(items, None)
