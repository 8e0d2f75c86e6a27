"""What the orders migrations share: reading every order, writing one only if it is still
as read."""

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError


def orders(dynamodb: Any, table: str, attributes: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Every order's `attributes` (those it has; values unwrapped, numbers as text), page
    by page."""
    names = {f"#a{number}": name for number, name in enumerate(attributes)}
    pages = dynamodb.get_paginator("scan").paginate(
        TableName=table, ProjectionExpression=", ".join(names), ExpressionAttributeNames=names
    )
    for page in pages:
        for item in page["Items"]:
            yield {name: next(iter(value.values())) for name, value in item.items()}


def update_if_unchanged(dynamodb: Any, table: str, order_id: str, **request: Any) -> bool:
    """An UpdateItem with a ConditionExpression; False if the order changed meanwhile."""
    try:
        dynamodb.update_item(TableName=table, Key={"order_id": {"S": order_id}}, **request)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True
