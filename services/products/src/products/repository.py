"""The Products table and the product images bucket: the only module of this service that
touches boto3."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer
from botocore.config import Config
from botocore.exceptions import ClientError

from products.models import IMAGE_MAX_BYTES, IMAGE_TYPES, ImageUpload, StockRead
from shop_common.catalogue import (
    BY_WORD_INDEX,
    CATALOGUE,
    CATALOGUE_VALUE,
    CREATED_KEY,
    NAME_KEY,
    WORD_OF,
    created_key,
    name_key,
    word_items,
)
from shop_common.clock import Clock, iso_timestamp, new_id, utc_now
from shop_common.dynamodb import Table, batch_get, error_code, query_page
from shop_common.errors import ConflictError, FieldError, NotFoundError, StaleReadError
from shop_common.pagination import CursorPage, Listing
from shop_common.product import Product

UPLOAD_SECONDS = 300
# Every uploaded image has a key of its own, so it never changes: cached for a year.
IMAGE_CACHE_CONTROL = "public, max-age=31536000, immutable"

_TRANSACTION_CANCELED = "TransactionCanceledException"
_ITEM_CONDITION_FAILED = "ConditionalCheckFailed"
# A write whose product was renamed meanwhile is tried again, up to this many times.
_ATTEMPTS = 3


class DynamoDBProductRepository:
    def __init__(self, table: Table) -> None:
        """`table`: a `shop_common.dynamodb.Table`."""
        self._table = table

    def get(self, product_id: str) -> Product | None:
        item = self._table.get_item(Key={"product_id": product_id}).get("Item")
        return Product.model_validate(item) if item else None

    def save(
        self,
        product_id: str,
        values: Mapping[str, Any],
        *,
        created: datetime,
        stock_read: StockRead | None,
    ) -> tuple[Product, bool]:
        """Set `values` on the product (a None clears that attribute), creating it at
        `created` if absent, conditional on `stock_read` if given, and its word items to
        match its name, in one transaction. Returns the product as stored and whether it is
        new; `ConflictError` if the stock changed meanwhile. A rename made meanwhile (the
        word items were computed from the name read) is retried."""
        for _ in range(_ATTEMPTS):
            old = self._read(product_id)
            try:
                self._transact(
                    [
                        {"Update": self._update(product_id, values, created, stock_read, old)},
                        *self._word_changes(product_id, old, values.get("name", _name(old))),
                    ]
                )
            except ClientError as exc:
                if not self._raced(exc, old):
                    raise _stock_conflict(exc) from exc
                continue
            stored = self._read(product_id)
            if stored is not None:
                return Product.model_validate(stored), old is None
        raise StaleReadError("The product changed meanwhile: try again")

    def delete(self, product_id: str) -> None:
        """Remove a product and its word items in one transaction."""
        for _ in range(_ATTEMPTS):
            old = self._read(product_id)
            if old is None:
                raise NotFoundError(
                    f"Product {product_id} not found", [FieldError("product_id", "no such product")]
                )
            delete = {
                "TableName": self._table.name,
                "Key": {"product_id": product_id},
                **_unchanged_name(old),
            }
            try:
                self._transact([{"Delete": delete}, *self._word_changes(product_id, old, None)])
            except ClientError as exc:
                if _cancellation_code(exc) != _ITEM_CONDITION_FAILED:
                    raise
                continue
            return
        raise StaleReadError("The product changed meanwhile: try again")

    def page(self, listing: Listing, *, limit: int, cursor: str | None) -> CursorPage[Product]:
        page = query_page(self._table.query, listing, limit=limit, cursor=cursor)
        items = page.items
        if listing.index == BY_WORD_INDEX and items:
            # Word items hold the products' keys: one BatchGetItem reads the page's products.
            ids = [item[WORD_OF] for item in items]
            found = {
                item["product_id"]: item
                for item in batch_get(self._table, [{"product_id": i} for i in ids])
            }
            items = [found[i] for i in ids if i in found]
        return CursorPage([Product.model_validate(item) for item in items], page.next_cursor)

    def _read(self, product_id: str) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self._table.get_item(
            Key={"product_id": product_id}, ConsistentRead=True
        ).get("Item")
        return item

    def _transact(self, items: list[dict[str, Any]]) -> None:
        # The table's client speaks Python types, as its item calls do.
        self._table.client.transact_write_items(TransactItems=items)

    def _update(
        self,
        product_id: str,
        values: Mapping[str, Any],
        created: datetime,
        stock_read: StockRead | None,
        old: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        """The product's UpdateItem, conditional on its name (or its absence) as read and
        on `stock_read` if given."""
        names: dict[str, str] = {}
        request: dict[str, Any] = {}
        assigned: list[str] = []
        cleared: list[str] = []
        values = {**values, CATALOGUE: CATALOGUE_VALUE}
        if "name" in values:
            values[NAME_KEY] = name_key(values["name"])
        for index, (attribute, value) in enumerate(values.items()):
            names[f"#a{index}"] = attribute
            if value is None:
                cleared.append(f"#a{index}")
            else:
                assigned.append(f"#a{index} = :v{index}")
                request[f":v{index}"] = value
        first = {"created_at": iso_timestamp(created), CREATED_KEY: created_key(created)}
        for attribute, value in first.items():
            names[f"#{attribute}"] = attribute
            assigned.append(f"#{attribute} = if_not_exists(#{attribute}, :{attribute})")
            request[f":{attribute}"] = value
        expression = "SET " + ", ".join(assigned)
        if cleared:
            expression += " REMOVE " + ", ".join(cleared)
        read = _unchanged_name(old)
        conditions = [read["ConditionExpression"]]
        names |= read.get("ExpressionAttributeNames", {})
        request |= read.get("ExpressionAttributeValues", {})
        if stock_read is not None:
            names["#stock"] = "stock"
            if stock_read.stock is None:
                conditions.append("attribute_not_exists(#stock)")
            else:
                conditions.append("#stock = :stock_read")
                request[":stock_read"] = stock_read.stock
        return {
            "TableName": self._table.name,
            "Key": {"product_id": product_id},
            "UpdateExpression": expression,
            "ConditionExpression": " AND ".join(conditions),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": request,
            # The product as it is, to say what its stock is now.
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }

    def _word_changes(
        self, product_id: str, old: Mapping[str, Any] | None, name: str | None
    ) -> list[dict[str, Any]]:
        """Puts and deletes that leave the product's word items as its name `name` (None:
        none) wants them, from those of its name as read: nothing if the name is the same."""
        before = {i["product_id"]: i for i in word_items(product_id, old["name"])} if old else {}
        after = {i["product_id"]: i for i in word_items(product_id, name)} if name else {}
        table = self._table.name
        puts = [
            {"Put": {"TableName": table, "Item": item}}
            for key, item in after.items()
            if before.get(key) != item
        ]
        deletes = [
            {"Delete": {"TableName": table, "Key": {"product_id": key}}}
            for key in before.keys() - after.keys()
        ]
        return puts + deletes

    def _raced(self, exc: ClientError, old: Mapping[str, Any] | None) -> bool:
        """Whether the transaction failed because the product was created, renamed or
        deleted since it was read (as opposed to its stock no longer being as read)."""
        if _cancellation_code(exc) != _ITEM_CONDITION_FAILED:
            return False
        return _name(_cancelled_item(exc)) != _name(old)


def _name(item: Mapping[str, Any] | None) -> str | None:
    return item.get("name") if item else None


def _unchanged_name(old: Mapping[str, Any] | None) -> dict[str, Any]:
    """The condition that a product is as read: absent, or with the name read."""
    if old is None:
        return {"ConditionExpression": "attribute_not_exists(product_id)"}
    return {
        "ConditionExpression": "#name = :name_read",
        "ExpressionAttributeNames": {"#name": "name"},
        "ExpressionAttributeValues": {":name_read": old["name"]},
    }


def _cancellation_code(exc: ClientError) -> str | None:
    """The first item's cancellation code of a cancelled transaction (None otherwise)."""
    if error_code(exc) != _TRANSACTION_CANCELED:
        return None
    reasons: Any = exc.response.get("CancellationReasons") or [{}]
    return str(reasons[0].get("Code"))


def _cancelled_item(exc: ClientError) -> dict[str, Any] | None:
    """The first item of a cancelled transaction as it is, in DynamoDB's own notation
    ({"N": "7"}) turned into Python values."""
    reasons: Any = exc.response.get("CancellationReasons") or [{}]
    item = reasons[0].get("Item")
    if not item:
        return None
    deserialize = TypeDeserializer().deserialize
    return {name: deserialize(value) for name, value in item.items()}


def _stock_conflict(exc: ClientError) -> Exception:
    """The stock was not as read: what it is now. Any other failure is not ours to name."""
    if _cancellation_code(exc) != _ITEM_CONDITION_FAILED:
        return exc
    item = _cancelled_item(exc)
    if item is None:
        why = "there is no product at this id: send null"
    else:
        why = f"the stock is now {item.get('stock', 'not tracked')}"
    return ConflictError(
        "The stock changed meanwhile (orders reserve it): reload and try again",
        [FieldError("expected_stock", why)],
    )


def s3_client() -> Any:
    """An S3 client that signs uploads as the bucket's own virtual-hosted address expects."""
    return boto3.client(
        "s3", config=Config(signature_version="s3v4", s3={"addressing_style": "virtual"})
    )


class S3ImageStore:
    """The product images bucket: presigned uploads in, CloudFront serves them out."""

    def __init__(
        self, bucket: str, base_url: str, client: Any = None, clock: Clock = utc_now
    ) -> None:
        """`client`: an S3 client (`s3_client()`); without one, it is made at the first
        call that needs it (UpsertProduct's first product that names an uploaded image)."""
        self._bucket = bucket
        self._base_url = base_url
        self._given_client = client
        self._clock = clock

    @cached_property
    def _client(self) -> Any:
        return self._given_client or s3_client()

    def upload_form(self, content_type: str) -> ImageUpload:
        """A POST policy for one image of `content_type`, at most IMAGE_MAX_BYTES, at a key
        of its own, valid UPLOAD_SECONDS: S3 refuses any other type, size or key."""
        key = f"images/{new_id().replace('-', '')}.{IMAGE_TYPES[content_type]}"
        fields = {"Content-Type": content_type, "Cache-Control": IMAGE_CACHE_CONTROL}
        post = self._client.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields=fields,
            Conditions=[
                {"Content-Type": content_type},
                {"Cache-Control": IMAGE_CACHE_CONTROL},
                ["content-length-range", 1, IMAGE_MAX_BYTES],
            ],
            ExpiresIn=UPLOAD_SECONDS,
        )
        return ImageUpload(
            url=post["url"],
            fields=post["fields"],
            image=f"{self._base_url}{key}",
            content_type=content_type,
            max_bytes=IMAGE_MAX_BYTES,
            expires_at=iso_timestamp(self._clock() + timedelta(seconds=UPLOAD_SECONDS)),
        )

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if error_code(exc) in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True
