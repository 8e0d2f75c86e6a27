"""The Products table and the product images bucket: the only module of this service that
touches boto3."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer
from botocore.config import Config
from botocore.exceptions import ClientError

from products.models import IMAGE_MAX_BYTES, IMAGE_TYPES, ImageUpload, StockRead
from shop_common.catalogue import (
    CATALOGUE,
    CATALOGUE_VALUE,
    CREATED_KEY,
    NAME_KEY,
    created_key,
    name_key,
)
from shop_common.clock import Clock, iso_timestamp, new_id, utc_now
from shop_common.dynamodb import error_code, query_page
from shop_common.errors import ConflictError, FieldError, NotFoundError
from shop_common.pagination import CursorPage, Listing
from shop_common.product import Product

UPLOAD_SECONDS = 300
# Every uploaded image has a key of its own, so it never changes: cached for a year.
IMAGE_CACHE_CONTROL = "public, max-age=31536000, immutable"

_CONDITION_FAILED = "ConditionalCheckFailedException"


class DynamoDBProductRepository:
    def __init__(self, table: Any) -> None:
        """`table`: a boto3 DynamoDB Table (shop_common.dynamodb.dynamodb_table)."""
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
        `created` if absent, conditional on `stock_read` if given. Returns the product
        as stored and whether it is new; `ConflictError` if the stock changed meanwhile."""
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
        created_at = iso_timestamp(created)
        first = {"created_at": created_at, CREATED_KEY: created_key(created)}
        for attribute, value in first.items():
            names[f"#{attribute}"] = attribute
            assigned.append(f"#{attribute} = if_not_exists(#{attribute}, :{attribute})")
            request[f":{attribute}"] = value
        expression = "SET " + ", ".join(assigned)
        if cleared:
            expression += " REMOVE " + ", ".join(cleared)
        condition: dict[str, str] = {}
        if stock_read is not None:
            names["#stock"] = "stock"
            if stock_read.stock is None:
                condition["ConditionExpression"] = "attribute_not_exists(#stock)"
            else:
                condition["ConditionExpression"] = "#stock = :stock_read"
                request[":stock_read"] = stock_read.stock
        try:
            response = self._table.update_item(
                Key={"product_id": product_id},
                UpdateExpression=expression,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=request,
                ReturnValues="ALL_OLD",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
                **condition,
            )
        except ClientError as exc:
            if error_code(exc) == _CONDITION_FAILED:
                # The item as it is, in DynamoDB's own notation ({"N": "7"}).
                current: Any = exc.response.get("Item") or {}
                stock = current.get("stock")
                now = TypeDeserializer().deserialize(stock) if stock else "not tracked"
                raise ConflictError(
                    "The stock changed meanwhile (orders reserve it): reload and try again",
                    [FieldError("expected_stock", f"the stock is now {now}")],
                ) from exc
            raise
        old = response.get("Attributes")
        stored = {**(old or {"product_id": product_id, "created_at": created_at}), **values}
        return Product.model_validate(
            {key: value for key, value in stored.items() if value is not None}
        ), old is None

    def delete(self, product_id: str) -> None:
        try:
            self._table.delete_item(
                Key={"product_id": product_id},
                ConditionExpression="attribute_exists(product_id)",
            )
        except ClientError as exc:
            if error_code(exc) == _CONDITION_FAILED:
                raise NotFoundError(
                    f"Product {product_id} not found", [FieldError("product_id", "no such product")]
                ) from exc
            raise

    def page(self, listing: Listing, *, limit: int, cursor: str | None) -> CursorPage[Product]:
        page = query_page(self._table, listing, limit=limit, cursor=cursor)
        return CursorPage([Product.model_validate(item) for item in page.items], page.next_cursor)


class S3ImageStore:
    """The product images bucket: presigned uploads in, CloudFront serves them out."""

    def __init__(
        self, bucket: str, base_url: str, client: Any = None, clock: Clock = utc_now
    ) -> None:
        self._bucket = bucket
        self._base_url = base_url
        self._client = client or boto3.client(
            "s3", config=Config(signature_version="s3v4", s3={"addressing_style": "virtual"})
        )
        self._clock = clock

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
