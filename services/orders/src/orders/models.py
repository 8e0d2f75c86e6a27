"""The orders service's boundaries: requests, query, headers, the stored order."""

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from shop_common.api import parse_json_object, validate_body
from shop_common.money import Money
from shop_common.pagination import ListQuery
from shop_common.pricing import Quantity

MAX_USERNAME_LENGTH = 128  # Cognito's limit
MAX_IDEMPOTENCY_KEY_LENGTH = 255
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"


class OrderStatus(StrEnum):
    PENDING = "pending"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


Username = Annotated[
    str,
    Field(strict=True),
    StringConstraints(min_length=1, max_length=MAX_USERNAME_LENGTH, pattern=r"^\S+$"),
]
IdempotencyKey = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_IDEMPOTENCY_KEY_LENGTH, pattern=r"^[ -~]+$"),
]

# What the server sets on an order: a client echoing an order back may send these; ignored.
SERVER_MANAGED_FIELDS = frozenset(
    {
        "owner_sub",
        "history",
        "product_name",
        "unit_price",
        "total_price",
        "created_at",
        "updated_at",
        "version",
    }
)


class _OrderBody(BaseModel):
    """A `POST /order` body: the fields it ignores are dropped, any other unknown one is a 400."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ignored_fields: ClassVar[frozenset[str]] = SERVER_MANAGED_FIELDS

    @model_validator(mode="before")
    @classmethod
    def drop_ignored_fields(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if key not in cls.ignored_fields}
        return data


class NewOrderRequest(_OrderBody):
    """`POST /order` without `order_id`: order `quantity` of a product. `username` is only
    heeded from an admin, ordering on behalf of that existing user; a new order is always
    pending."""

    ignored_fields: ClassVar[frozenset[str]] = SERVER_MANAGED_FIELDS | {"status"}

    product_id: UUID
    quantity: Quantity
    username: Username | None = None


class StatusChangeRequest(_OrderBody):
    """`POST /order` with `order_id`: change the order's status and nothing else. An echoed
    `product_id` or `quantity` must be the order's own."""

    ignored_fields: ClassVar[frozenset[str]] = SERVER_MANAGED_FIELDS | {"username"}

    order_id: UUID
    status: OrderStatus
    product_id: UUID | None = None
    quantity: Quantity | None = None


type OrderRequest = NewOrderRequest | StatusChangeRequest


def parse_order_request(body: str | None) -> OrderRequest:
    """`POST /order`'s body: a status change when it names an `order_id`, else a new order
    (an `order_id` of null names none)."""
    data = parse_json_object(body)
    if data.get("order_id") is not None:
        return validate_body(data, StatusChangeRequest)
    return validate_body({k: v for k, v in data.items() if k != "order_id"}, NewOrderRequest)


class CreationHeaders(BaseModel):
    """The headers order creation reads."""

    model_config = ConfigDict(frozen=True)

    idempotency_key: IdempotencyKey | None = Field(default=None, alias=IDEMPOTENCY_KEY_HEADER)


class OrderKey(BaseModel):
    """The `{order_id}` of an order's path."""

    model_config = ConfigDict(frozen=True)

    order_id: UUID


class OrderListQuery(ListQuery):
    """Query of `GET /orders`: a page, optionally of the orders in one status."""

    status: OrderStatus | None = None


class ProductSnapshot(BaseModel):
    """What an order copies from its product when it is placed."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str
    price: Decimal


class Account(BaseModel):
    """A Cognito user as an order names its owner: the immutable `sub` it belongs to, and
    the username shown beside it."""

    model_config = ConfigDict(frozen=True)

    sub: str
    username: str


class NewOrder(BaseModel):
    """An order to place, once the caller's rights are applied: whose, what, how many, and
    who placed it (the owner, or an admin on their behalf)."""

    model_config = ConfigDict(frozen=True)

    owner_sub: str
    username: str
    placed_by: Account
    product_id: str
    quantity: int


class CreationAttempt(BaseModel):
    """What an idempotent creation is keyed on (the caller's `sub` and their key) and
    checked against (the order): a key is never shared between users."""

    model_config = ConfigDict(frozen=True)

    caller: str
    idempotency_key: str
    order: NewOrder


class StatusChange(BaseModel):
    """One entry of an order's history: the status it took, when, and who (`sub` and
    username; null on a change made before orders kept their history)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    status: OrderStatus
    at: str
    sub: str | None
    username: str | None


class Order(BaseModel):
    """An order as the Orders table stores it and the API returns it. It belongs to the
    Cognito user `owner_sub` (immutable); `username` is theirs when it was placed, for display."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    order_id: str
    owner_sub: str
    username: str
    product_id: str
    product_name: str
    unit_price: Money
    quantity: int
    total_price: Money
    status: OrderStatus
    created_at: str
    updated_at: str
    version: int
    history: list[StatusChange] = Field(default_factory=list)
