"""The Orders and Products tables, the idempotency records and the user pool: the only
module of this service that touches AWS."""

import re
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import boto3
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

from orders.listings import index_attributes, owner_status
from orders.models import Account, Order, OrderLine, StatusChange
from shop_common.dynamodb import (
    CLIENT_CONFIG,
    Table,
    batch_get,
    dynamodb_client,
    error_code,
    query_page,
)
from shop_common.errors import ConflictError, FieldError, StaleReadError
from shop_common.pagination import CursorPage, Listing
from shop_common.product import Product

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

_CONDITION_FAILED = "ConditionalCheckFailedException"
_TRANSACTION_CANCELED = "TransactionCanceledException"
# A transaction's cancellation reason for an item whose condition failed.
_ITEM_CONDITION_FAILED = "ConditionalCheckFailed"
# A Cognito `sub` (a UUID): anything else names no account and must not reach a ListUsers filter.
_SUB = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class DynamoDBOrderRepository:
    """The Orders table, and the Products table's stock, which orders reserve and give back
    in the same transaction as the order's own write."""

    def __init__(self, table: Table, products_table: Table) -> None:
        """Both `shop_common.dynamodb.Table`s."""
        self._table = table
        self._products = products_table

    def get(self, order_id: str) -> Order | None:
        item = self._table.get_item(Key={"order_id": order_id}, ConsistentRead=True).get("Item")
        return Order.model_validate(item) if item else None

    def place(self, order: Order) -> None:
        """One TransactWriteItems: the order, and for each line a stock decrement (tracked)
        or a check (untracked) conditional on the product being as the order was priced."""
        put = {
            "Put": {
                "TableName": self._table.name,
                "Item": stored_item(order),
                "ConditionExpression": "attribute_not_exists(order_id)",
            }
        }
        try:
            self._transact([put, *(self._reservation(line) for line in order.lines)])
        except ClientError as exc:
            reasons = _cancellation_reasons(exc)
            if reasons is None:
                raise
            if reasons[0].get("Code") == _ITEM_CONDITION_FAILED:
                raise ConflictError(f"Order {order.order_id} already exists") from exc
            raise _reservation_failure(order.lines, reasons[1:]) from exc

    def update_status(
        self, order: Order, change: StatusChange, *, restock: Sequence[OrderLine] = ()
    ) -> Order:
        update = _status_update(order, change)
        try:
            if not restock:
                response = self._table.update_item(**update, ReturnValues="ALL_NEW")
                return Order.model_validate(response["Attributes"])
            self._transact(
                [
                    {"Update": {"TableName": self._table.name, **update}},
                    *(self._restock(line) for line in restock),
                ]
            )
        except ClientError as exc:
            reasons = _cancellation_reasons(exc)
            order_changed = error_code(exc) == _CONDITION_FAILED or (
                reasons is not None and reasons[0].get("Code") == _ITEM_CONDITION_FAILED
            )
            if order_changed:
                raise ConflictError(
                    f"Order {order.order_id} changed meanwhile: reload it and try again",
                    [FieldError("status", f"no longer {order.status} at version {order.version}")],
                ) from exc
            if reasons is not None:
                raise StaleReadError(
                    "A product of this order changed meanwhile: try again"
                ) from exc
            raise
        return order.model_copy(
            update={
                "status": change.status,
                "updated_at": change.at,
                "version": order.version + 1,
                "history": [*order.history, change],
            }
        )

    def delete(self, order: Order, *, restock: Sequence[OrderLine] = ()) -> None:
        delete = {
            "Key": {"order_id": order.order_id},
            "ConditionExpression": "#version = :read_version",
            "ExpressionAttributeNames": {"#version": "version"},
            "ExpressionAttributeValues": {":read_version": order.version},
        }
        try:
            if not restock:
                self._table.delete_item(**delete)
                return
            self._transact(
                [
                    {"Delete": {"TableName": self._table.name, **delete}},
                    *(self._restock(line) for line in restock),
                ]
            )
        except ClientError as exc:
            reasons = _cancellation_reasons(exc)
            if error_code(exc) == _CONDITION_FAILED or reasons is not None:
                # The order changed (or went) since it was read, or a product did: read again.
                raise StaleReadError(f"Order {order.order_id} changed meanwhile") from exc
            raise

    def page(self, listing: Listing, *, limit: int, cursor: str | None) -> CursorPage[Order]:
        page = query_page(self._table.query, listing, limit=limit, cursor=cursor)
        return CursorPage([Order.model_validate(item) for item in page.items], page.next_cursor)

    def _transact(self, items: list[dict[str, Any]]) -> None:
        # The table's client speaks Python types, as its item calls do.
        self._table.client.transact_write_items(TransactItems=items)

    def _reservation(self, line: OrderLine) -> dict[str, Any]:
        """A tracked line takes its quantity from the stock if enough is left; an untracked
        one checks that the product is still untracked. Both check the price charged."""
        check = {
            "TableName": self._products.name,
            "Key": {"product_id": line.product_id},
            "ExpressionAttributeNames": {"#price": "price", "#stock": "stock"},
            "ExpressionAttributeValues": {":price": line.unit_price},
            # The product as it is, to say how many are left.
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if not line.stock_reserved:
            condition = "#price = :price AND attribute_not_exists(#stock)"
            return {"ConditionCheck": {**check, "ConditionExpression": condition}}
        check["ExpressionAttributeValues"] = {":price": line.unit_price, ":quantity": line.quantity}
        return {
            "Update": {
                **check,
                "UpdateExpression": "SET #stock = #stock - :quantity",
                "ConditionExpression": "#price = :price AND #stock >= :quantity",
            }
        }

    def _restock(self, line: OrderLine) -> dict[str, Any]:
        """The line's quantity back to its product, if the product still tracks stock."""
        return {
            "Update": {
                "TableName": self._products.name,
                "Key": {"product_id": line.product_id},
                "UpdateExpression": "ADD #stock :quantity",
                "ConditionExpression": "attribute_exists(#stock)",
                "ExpressionAttributeNames": {"#stock": "stock"},
                "ExpressionAttributeValues": {":quantity": line.quantity},
            }
        }


def stored_item(order: Order) -> dict[str, Any]:
    """The order as the Orders table holds it: its fields, each line's reservation, and
    the attributes that put it in the listings' indexes."""
    return {
        **order.model_dump(),
        "lines": [line.stored() for line in order.lines],
        **index_attributes(order),
    }


def _status_update(order: Order, change: StatusChange) -> dict[str, Any]:
    """The UpdateItem that moves `order` to `change.status` if it is still as read."""
    return {
        "Key": {"order_id": order.order_id},
        "UpdateExpression": "SET #status = :status, #owner_status = :owner_status,"
        " #updated_at = :updated_at, #version = :next_version,"
        " #history = list_append(if_not_exists(#history, :no_history), :change)",
        "ConditionExpression": "#status = :read_status AND #version = :read_version",
        "ExpressionAttributeNames": {
            "#status": "status",
            "#owner_status": "owner_status",
            "#updated_at": "updated_at",
            "#version": "version",
            "#history": "history",
        },
        "ExpressionAttributeValues": {
            ":status": change.status.value,
            ":owner_status": owner_status(order.owner_sub, change.status),
            ":updated_at": change.at,
            ":next_version": order.version + 1,
            ":no_history": [],
            ":change": [change.model_dump(mode="json")],
            ":read_status": order.status.value,
            ":read_version": order.version,
        },
    }


def _cancellation_reasons(exc: ClientError) -> list[dict[str, Any]] | None:
    """A cancelled transaction's reason per item, in the order of its items (None if `exc`
    is not a cancelled transaction)."""
    if error_code(exc) != _TRANSACTION_CANCELED:
        return None
    reasons: Any = exc.response.get("CancellationReasons", [])
    return list(reasons)


def _reservation_failure(lines: Sequence[OrderLine], reasons: list[dict[str, Any]]) -> Exception:
    """Why the lines' reservations failed: each short line and what it has left, or, if a
    product is no longer as the order was priced (or the transaction met another),
    `StaleReadError`."""
    short = []
    for index, (line, reason) in enumerate(zip(lines, reasons, strict=True)):
        code = reason.get("Code", "None")
        if code == "None":
            continue
        product = _typed_item(reason.get("Item"))
        still_as_priced = (
            code == _ITEM_CONDITION_FAILED
            and line.stock_reserved
            and product.get("price") == line.unit_price
            and product.get("stock") is not None
        )
        if not still_as_priced:
            return StaleReadError("A product changed while the order was placed: try again")
        short.append(FieldError(f"lines.{index}.quantity", f"only {product['stock']} left"))
    if not short:  # the order's own write met another transaction
        return StaleReadError("The order met a concurrent change while it was placed: try again")
    return ConflictError("Not enough stock", short)


def _typed_item(item: dict[str, Any] | None) -> dict[str, Any]:
    """An item in DynamoDB's own notation ({"N": "7"}) as Python values."""
    deserializer = TypeDeserializer()
    return {name: deserializer.deserialize(value) for name, value in (item or {}).items()}


class DynamoDBProductCatalog:
    """The Products table, read to price an order's lines and to know which track stock."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def get_many(self, product_ids: Sequence[str]) -> dict[str, Product]:
        items = batch_get(
            self._table,
            [{"product_id": product_id} for product_id in product_ids],
            ConsistentRead=True,
        )
        products = map(Product.model_validate, items)
        return {product.product_id: product for product in products}


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

    def email_of(self, sub: str) -> str | None:
        """The e-mail address of the account `sub` now (ListUsers filtered on `sub`), or None:
        no such account (deleted; an order migrated as `no-account:...`), or no address."""
        if not _SUB.fullmatch(sub):
            return None
        users = self._cognito.list_users(
            UserPoolId=self._user_pool_id,
            Filter=f'sub = "{sub}"',
            AttributesToGet=["email"],
            Limit=1,
        )["Users"]
        attributes = {item["Name"]: item["Value"] for user in users for item in user["Attributes"]}
        return attributes.get("email")


def idempotency_store(table_name: str) -> "DynamoDBPersistenceLayer":
    """Powertools' idempotency records, in the bootstrap stack's table (key `id`, TTL
    attribute `expiration`: Powertools' defaults)."""
    # Imported when a store is made (the first order with an Idempotency-Key, or NotifyOrder's
    # init): the other functions never load the idempotency utility.
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
    )

    return DynamoDBPersistenceLayer(table_name=table_name, boto3_client=dynamodb_client())
