"""The products service's boundaries: request, query, cursor, stored item and response."""

from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shop_common.money import Money, Price
from shop_common.pagination import DEFAULT_LIMIT, CursorKey, Limit

MAX_NAME_LENGTH = 200

ProductName = Annotated[
    str,
    Field(strict=True),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_LENGTH),
]


class ProductIn(BaseModel):
    """Body of `POST /product`: without `product_id` a new product, with it a create or
    replace at that id. Fields the server manages (timestamps) are ignored if echoed back."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    product_id: UUID | None = None
    name: ProductName
    price: Price


class ProductKey(BaseModel):
    """The `{product_id}` of a product's path."""

    model_config = ConfigDict(frozen=True)

    product_id: UUID


class ProductListQuery(BaseModel):
    """Query of `GET /products`; parameters it does not know are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    limit: Limit = DEFAULT_LIMIT
    cursor: str | None = None


class ProductCursor(CursorKey):
    """What a `GET /products` cursor holds: the Products table key to continue after."""

    product_id: str = Field(min_length=1)


class ProductItem(BaseModel):
    """A product as the Products table stores it (price a `Decimal`: a DynamoDB number)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    product_id: str
    name: str
    price: Decimal
    created_at: str
    updated_at: str


class ProductOut(BaseModel):
    """A product as the API returns it."""

    model_config = ConfigDict(frozen=True)

    product_id: str
    name: str
    price: Money
    created_at: str
    updated_at: str

    @classmethod
    def from_item(cls, item: ProductItem) -> Self:
        return cls.model_validate(item.model_dump())
