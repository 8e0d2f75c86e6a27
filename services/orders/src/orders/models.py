"""The orders service's boundaries: requests, query, headers, the stored order."""

from abc import ABC, abstractmethod
from enum import StrEnum
from typing import Annotated, Any, ClassVar
from uuid import UUID

from iso3166 import countries_by_alpha2
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from shop_common.errors import FieldError, InvalidRequestError
from shop_common.money import Money
from shop_common.pagination import ListQuery
from shop_common.pricing import Quantity, require_distinct_products
from shop_common.text import ONE_LINE
from shop_common.validation import described_as, parse_json_object, validate_body

MAX_USERNAME_LENGTH = 128  # Cognito's limit
MAX_IDEMPOTENCY_KEY_LENGTH = 255
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"


class OrderStatus(StrEnum):
    PENDING = "pending"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


# Cognito's own username pattern (letters, marks, symbols, numbers, punctuation): a name
# outside it is not a user that is missing but one Cognito refuses to look up (an
# InvalidParameterException, which moto does not raise).
Username = Annotated[
    str,
    Field(strict=True),
    StringConstraints(
        min_length=1,
        max_length=MAX_USERNAME_LENGTH,
        pattern=r"^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$",
    ),
    described_as("a username: letters, numbers, punctuation and symbols, without spaces"),
]
IdempotencyKey = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_IDEMPOTENCY_KEY_LENGTH, pattern=r"^[ -~]+$"),
    described_as("printable ASCII characters (a UUID is best)"),
]

MAX_LINES = 50  # an order and its lines' stock updates fit one TransactWriteItems (100)

MAX_ADDRESS_TEXT_LENGTH = 100
MAX_ADDRESS_LINES = 3
MAX_POSTCODE_LENGTH = 16
MAX_PHONE_LENGTH = 32


def _country_code(code: str) -> str:
    if code not in countries_by_alpha2:
        raise ValueError("not an ISO 3166-1 alpha-2 country code (upper case, e.g. GB, FR)")
    return code


def _trimmed(max_length: int, pattern: str | None = None) -> StringConstraints:
    """Text trimmed of surrounding whitespace, then 1 to `max_length` characters (of
    `pattern`, if given)."""
    return StringConstraints(
        strip_whitespace=True, min_length=1, max_length=max_length, pattern=pattern
    )


# One line of plain text: no control or invisible characters, no line breaks.
AddressText = Annotated[str, Field(strict=True), _trimmed(MAX_ADDRESS_TEXT_LENGTH), ONE_LINE]
Postcode = Annotated[
    str,
    Field(strict=True),
    _trimmed(MAX_POSTCODE_LENGTH, r"^[A-Za-z0-9][A-Za-z0-9 -]*$"),
    described_as("letters, digits, spaces and dashes, beginning with a letter or a digit"),
]
CountryCode = Annotated[str, Field(strict=True), AfterValidator(_country_code)]
# Digits, an optional leading +, and the spaces, dots, dashes and brackets people type.
Phone = Annotated[
    str,
    Field(strict=True),
    _trimmed(MAX_PHONE_LENGTH, r"^\+?[0-9][0-9 ().-]{3,}$"),
    described_as(
        "a phone number of at least 4 characters: digits, with spaces, dots, dashes and"
        " brackets between them and an optional + before them (such as +33 1 23 45 67 89)"
    ),
]


class Address(BaseModel):
    """Where an order is delivered: personal data, shown to the order's owner and the
    admin only, never logged or traced."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: AddressText
    lines: Annotated[list[AddressText], Field(min_length=1, max_length=MAX_ADDRESS_LINES)]
    postcode: Postcode
    city: AddressText
    country: CountryCode
    phone: Phone | None = None


# What the server sets on an order: a client echoing an order back may send these; ignored.
SERVER_MANAGED_FIELDS = frozenset(
    {
        "owner_sub",
        "history",
        "product_name",
        "unit_price",
        "total_price",
        "currency",
        "created_at",
        "updated_at",
        "version",
    }
)
# What the server copies or computes into a line: a client may echo these back; ignored.
LINE_SNAPSHOT_FIELDS = frozenset({"product_name", "unit_price", "line_total"})


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


class LineRequest(_OrderBody):
    """One line of a new order (or one echoed back): which product, how many."""

    ignored_fields: ClassVar[frozenset[str]] = LINE_SNAPSHOT_FIELDS

    product_id: UUID
    quantity: Quantity


Lines = Annotated[list[LineRequest], Field(min_length=1, max_length=MAX_LINES)]


class NewOrderRequest(_OrderBody, ABC):
    """`POST /order` without `order_id`. `username` is only heeded from an admin, ordering
    on behalf of that existing user; a new order is always pending."""

    ignored_fields: ClassVar[frozenset[str]] = SERVER_MANAGED_FIELDS | {"status"}

    address: Address
    username: Username | None = None

    @abstractmethod
    def order_lines(self) -> list[LineRequest]:
        """What is ordered, line by line (distinct products)."""


class LinesOrderRequest(NewOrderRequest):
    """`{"lines": [{product_id, quantity}, ...]}`: 1-50 lines."""

    lines: Lines

    def order_lines(self) -> list[LineRequest]:
        return self.lines


class OneLineOrderRequest(NewOrderRequest):
    """The one-line form of an order, `{product_id, quantity}` (the original system's body)."""

    product_id: UUID
    quantity: Quantity

    def order_lines(self) -> list[LineRequest]:
        return [LineRequest(product_id=self.product_id, quantity=self.quantity)]


class StatusChangeRequest(_OrderBody):
    """`POST /order` with `order_id`: change the order's status and nothing else. Echoed
    `lines`, an echoed one-line form (`product_id` and `quantity`) or `address` must be the
    order's own."""

    ignored_fields: ClassVar[frozenset[str]] = SERVER_MANAGED_FIELDS | {"username"}

    order_id: UUID
    status: OrderStatus
    lines: list[LineRequest] | None = None
    address: Address | None = None
    product_id: UUID | None = None
    quantity: Quantity | None = None


type OrderRequest = NewOrderRequest | StatusChangeRequest


def parse_order_request(body: str | None) -> OrderRequest:
    """`POST /order`'s body: a status change when it names an `order_id`, else a new order
    (an `order_id` of null names none) of `lines`, or in the one-line form."""
    data = parse_json_object(body)
    if data.get("order_id") is not None:
        return validate_body(data, StatusChangeRequest)
    data = {key: value for key, value in data.items() if key != "order_id"}
    if "lines" not in data:
        return validate_body(data, OneLineOrderRequest)
    if data.keys() & {"product_id", "quantity"}:
        raise InvalidRequestError(
            "Send either lines or product_id and quantity, not both",
            [FieldError("lines", "not with product_id or quantity")],
        )
    request = validate_body(data, LinesOrderRequest)
    require_distinct_products([line.product_id for line in request.lines])
    return request


class CreationHeaders(BaseModel):
    """The headers order creation reads."""

    model_config = ConfigDict(frozen=True)

    idempotency_key: IdempotencyKey | None = Field(default=None, alias=IDEMPOTENCY_KEY_HEADER)


class OrderKey(BaseModel):
    """The `{order_id}` of an order's path."""

    model_config = ConfigDict(frozen=True)

    order_id: UUID


class OrderListQuery(ListQuery):
    """Query of `GET /orders`: a page, optionally of the orders in one status, or (admins)
    of one customer, by username."""

    status: OrderStatus | None = None
    customer: Username | None = None


class Account(BaseModel):
    """A Cognito user as an order names its owner: the immutable `sub` it belongs to, and
    the username shown beside it."""

    model_config = ConfigDict(frozen=True)

    sub: str
    username: str


class OrderedLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    product_id: str
    quantity: int


class NewOrder(BaseModel):
    """An order to place, once the caller's rights are applied: whose, what, how many, and
    who placed it (the owner, or an admin on their behalf)."""

    model_config = ConfigDict(frozen=True)

    owner_sub: str
    username: str
    placed_by: Account
    lines: list[OrderedLine]
    address: Address
    one_line_form: bool = False

    def product_field(self, index: int) -> str:
        """The field that names line `index`'s product, as the client sent it."""
        return "product_id" if self.one_line_form else f"lines.{index}.product_id"


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


class OrderLine(BaseModel):
    """One product of an order, as it was when ordered (a snapshot: the order survives the
    product's repricing or deletion). `stock_reserved`, stored but not shown: whether the
    order took `quantity` from the product's stock, so cancelling gives it back."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    product_id: str
    product_name: str
    unit_price: Money
    quantity: int
    line_total: Money
    stock_reserved: bool = Field(default=False, exclude=True)

    def stored(self) -> dict[str, Any]:
        """The line as the Orders table holds it."""
        return {**self.model_dump(), "stock_reserved": self.stock_reserved}


class Order(BaseModel):
    """An order as the Orders table stores it and the API returns it. It belongs to the
    Cognito user `owner_sub` (immutable); `username` is theirs when it was placed, for display.
    `address` is where it goes (None: placed before orders had one)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    order_id: str
    owner_sub: str
    username: str
    lines: list[OrderLine]
    address: Address | None = None
    total_price: Money
    currency: str
    status: OrderStatus
    created_at: str
    updated_at: str
    version: int
    history: list[StatusChange] = Field(default_factory=list)
