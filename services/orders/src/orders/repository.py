"""The Orders and Products tables, the idempotency records and the user pool: the only
module of this service that touches AWS."""

from functools import cached_property
from typing import Any

import boto3
from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError

from orders.listings import index_attributes, owner_status
from orders.models import Account, Order, ProductSnapshot, StatusChange
from shop_common.dynamodb import CLIENT_CONFIG, dynamodb_client, error_code, query_page
from shop_common.errors import ConflictError, FieldError, NotFoundError
from shop_common.pagination import CursorPage, Listing

_CONDITION_FAILED = "ConditionalCheckFailedException"


class DynamoDBOrderRepository:
    def __init__(self, table: Any) -> None:
        """`table`: a boto3 DynamoDB Table (shop_common.dynamodb.dynamodb_table)."""
        self._table = table

    def get(self, order_id: str) -> Order | None:
        item = self._table.get_item(Key={"order_id": order_id}, ConsistentRead=True).get("Item")
        return Order.model_validate(item) if item else None

    def add(self, order: Order) -> None:
        try:
            self._table.put_item(
                Item={**order.model_dump(), **index_attributes(order)},
                ConditionExpression=Attr("order_id").not_exists(),
            )
        except ClientError as exc:
            if error_code(exc) == _CONDITION_FAILED:
                raise ConflictError(f"Order {order.order_id} already exists") from exc
            raise

    def update_status(self, order: Order, change: StatusChange) -> Order:
        try:
            response = self._table.update_item(
                Key={"order_id": order.order_id},
                UpdateExpression="SET #status = :status, #owner_status = :owner_status,"
                " #updated_at = :updated_at, #version = :next_version,"
                " #history = list_append(if_not_exists(#history, :no_history), :change)",
                ConditionExpression="#status = :read_status AND #version = :read_version",
                ExpressionAttributeNames={
                    "#status": "status",
                    "#owner_status": "owner_status",
                    "#updated_at": "updated_at",
                    "#version": "version",
                    "#history": "history",
                },
                ExpressionAttributeValues={
                    ":status": change.status.value,
                    ":owner_status": owner_status(order.owner_sub, change.status),
                    ":updated_at": change.at,
                    ":next_version": order.version + 1,
                    ":no_history": [],
                    ":change": [change.model_dump(mode="json")],
                    ":read_status": order.status.value,
                    ":read_version": order.version,
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if error_code(exc) == _CONDITION_FAILED:
                raise ConflictError(
                    f"Order {order.order_id} changed meanwhile: reload it and try again",
                    [FieldError("status", f"no longer {order.status} at version {order.version}")],
                ) from exc
            raise
        return Order.model_validate(response["Attributes"])

    def delete(self, order_id: str) -> None:
        try:
            self._table.delete_item(
                Key={"order_id": order_id}, ConditionExpression=Attr("order_id").exists()
            )
        except ClientError as exc:
            if error_code(exc) == _CONDITION_FAILED:
                raise NotFoundError(
                    f"Order {order_id} not found", [FieldError("order_id", "no such order")]
                ) from exc
            raise

    def page(self, listing: Listing, *, limit: int, cursor: str | None) -> CursorPage[Order]:
        page = query_page(self._table, listing, limit=limit, cursor=cursor)
        return CursorPage([Order.model_validate(item) for item in page.items], page.next_cursor)


class DynamoDBProductCatalog:
    """The Products table, read only to copy a product's name and price into an order."""

    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, product_id: str) -> ProductSnapshot | None:
        item = self._table.get_item(
            Key={"product_id": product_id},
            ProjectionExpression="#name, price",
            ExpressionAttributeNames={"#name": "name"},
            ConsistentRead=True,
        ).get("Item")
        return ProductSnapshot.model_validate(item) if item else None


class CognitoUserDirectory:
    """The user pool, asked (AdminGetUser) who an admin orders for."""

    def __init__(self, user_pool_id: str) -> None:
        self._user_pool_id = user_pool_id

    @cached_property
    def _cognito(self) -> Any:
        # Built on first use: only an admin ordering on somebody's behalf needs it.
        return boto3.client("cognito-idp", config=CLIENT_CONFIG)

    def find(self, username: str) -> Account | None:
        try:
            user = self._cognito.admin_get_user(UserPoolId=self._user_pool_id, Username=username)
        except ClientError as exc:
            if error_code(exc) == "UserNotFoundException":
                return None
            raise
        attributes = {item["Name"]: item["Value"] for item in user.get("UserAttributes", [])}
        return Account(sub=attributes["sub"], username=user["Username"])


def idempotency_store(table_name: str) -> DynamoDBPersistenceLayer:
    """Powertools' idempotency records, in the bootstrap stack's table (key `id`, TTL
    attribute `expiration`: Powertools' defaults)."""
    return DynamoDBPersistenceLayer(table_name=table_name, boto3_client=dynamodb_client())
