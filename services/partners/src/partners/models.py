"""The partners service's boundaries: partner requests and answers, the catalogue as
partners see it, and quotes (the product they read is `shop_common.product.Product`)."""

from enum import StrEnum
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from shop_common.money import Money
from shop_common.pagination import ListQuery
from shop_common.pricing import Quantity
from shop_common.product import Product
from shop_common.text import ONE_LINE
from shop_common.validation import NOT_NULL, described_as

MAX_PARTNER_NAME_LENGTH = 128
MAX_QUOTE_LINES = 100  # also what one BatchGetItem reads


class Tier(StrEnum):
    """A partner's usage plan: the API stack's template gives each its rate, burst and quota."""

    BASIC = "basic"
    PRO = "pro"


PartnerName = Annotated[
    str,
    Field(strict=True),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_PARTNER_NAME_LENGTH),
    ONE_LINE,
]
# API Gateway's API key ids: ten lower-case letters and digits.
PartnerId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]{10}$"),
    described_as("a partner's id: 10 lower-case letters and digits"),
]


class NewPartnerRequest(BaseModel):
    """`POST /partner`: a partner to give a key, on a tier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: PartnerName
    tier: Tier


class PartnerChangeRequest(BaseModel):
    """`POST /partner/{partner_id}`: a new tier, enabled or disabled, or both."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tier: Annotated[Tier | None, NOT_NULL] = None
    enabled: Annotated[bool | None, Field(strict=True), NOT_NULL] = None

    @model_validator(mode="after")
    def changes_something(self) -> Self:
        if self.tier is None and self.enabled is None:
            raise ValueError("give tier, enabled or both")
        return self


class PartnerKey(BaseModel):
    """The `{partner_id}` of a partner's path: its API key's id."""

    model_config = ConfigDict(frozen=True)

    partner_id: PartnerId


class PartnerRecord(BaseModel):
    """A partner as API Gateway holds it: an API key (never its value) in a tier's plan."""

    model_config = ConfigDict(frozen=True)

    partner_id: str
    name: str
    tier: Tier
    enabled: bool
    created_at: str


class Usage(BaseModel):
    """Requests a key made, as API Gateway counted them against its plan (UTC days)."""

    model_config = ConfigDict(frozen=True)

    today: int = 0
    this_week: int = 0


class Partner(PartnerRecord):
    """A partner as `GET /partners` and the admin's changes return it."""

    requests_today: int
    requests_this_week: int

    @classmethod
    def of(cls, record: PartnerRecord, usage: Usage) -> Self:
        return cls(
            **record.model_dump(), requests_today=usage.today, requests_this_week=usage.this_week
        )


class CreatedPartner(Partner):
    """`POST /partner`'s answer: the only one that ever holds the key's value."""

    api_key: str


class NewKey(BaseModel):
    """An API key just created: its value is handed to the admin once and kept nowhere."""

    model_config = ConfigDict(frozen=True)

    record: PartnerRecord
    value: str


# ---------------------------------------------------------------- catalogue and quotes
class CatalogueQuery(ListQuery):
    """Query of `GET /partner/products`."""


class ProductKey(BaseModel):
    """The `{product_id}` of `GET /partner/products/{product_id}`."""

    model_config = ConfigDict(frozen=True)

    product_id: UUID


class CatalogueProduct(BaseModel):
    """A product as partners see it."""

    model_config = ConfigDict(frozen=True)

    product_id: str
    name: str
    description: str
    price: Money
    currency: str
    in_stock: bool
    image_url: str | None

    @classmethod
    def of(cls, product: Product, currency: str) -> Self:
        return cls(
            product_id=product.product_id,
            name=product.name,
            description=product.description,
            price=product.price,
            currency=currency,
            in_stock=product.has_stock_for(1),
            image_url=product.image or None,
        )


class QuoteLineRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    product_id: UUID
    quantity: Quantity


class QuoteRequest(BaseModel):
    """`POST /partner/quote`: a basket of 1-100 lines, priced as an order would be."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lines: list[QuoteLineRequest] = Field(min_length=1, max_length=MAX_QUOTE_LINES)


class QuoteLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    product_id: str
    name: str
    quantity: int
    unit_price: Money
    available: bool
    line_total: Money


class Quote(BaseModel):
    """A priced basket: each line, the total, the currency and when it was priced."""

    model_config = ConfigDict(frozen=True)

    lines: list[QuoteLine]
    total: Money
    currency: str
    quoted_at: str
