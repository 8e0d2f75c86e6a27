"""The Products table: the only module of this service that touches boto3."""

from typing import Any

from botocore.exceptions import ClientError

from products.models import ProductItem
from shop_common.dynamodb import error_code, read_page
from shop_common.errors import NotFoundError
from shop_common.pagination import Page

# `name` is a DynamoDB reserved word, so every attribute goes through a placeholder.
_SAVE_EXPRESSION = (
    "SET #name = :name, #price = :price, #updated_at = :updated_at,"
    " #created_at = if_not_exists(#created_at, :created_at)"
)
_SAVE_NAMES = {
    f"#{attribute}": attribute for attribute in ("name", "price", "updated_at", "created_at")
}


class DynamoDBProductRepository:
    def __init__(self, table: Any) -> None:
        """`table`: a boto3 DynamoDB Table (shop_common.dynamodb.dynamodb_table)."""
        self._table = table

    def page(self, limit: int, start_key: dict[str, str] | None) -> Page[ProductItem]:
        # DynamoDB hands back a key whenever a Scan stops at its Limit, even with nothing left:
        # reading one item more tells whether another page follows, so the last page (even a
        # full one) has no cursor. The table's key is `product_id` alone, so the last item's
        # id is where the next page starts.
        items, _ = read_page(self._table.scan, limit=limit + 1, start_key=start_key)
        products = [ProductItem.model_validate(item) for item in items[:limit]]
        more = len(items) > limit
        next_key = {"product_id": products[-1].product_id} if more else None
        return Page[ProductItem](items=products, next_key=next_key)

    def save(self, product: ProductItem) -> ProductItem | None:
        # One atomic UpdateItem: the old image says whether it created or replaced.
        response = self._table.update_item(
            Key={"product_id": product.product_id},
            UpdateExpression=_SAVE_EXPRESSION,
            ExpressionAttributeNames=_SAVE_NAMES,
            ExpressionAttributeValues={
                ":name": product.name,
                ":price": product.price,
                ":updated_at": product.updated_at,
                ":created_at": product.created_at,
            },
            ReturnValues="ALL_OLD",
        )
        replaced = response.get("Attributes")
        return ProductItem.model_validate(replaced) if replaced else None

    def delete(self, product_id: str) -> None:
        try:
            self._table.delete_item(
                Key={"product_id": product_id},
                ConditionExpression="attribute_exists(product_id)",
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise NotFoundError(f"Product {product_id} not found") from exc
            raise
