"""The products service's boundaries: the request bodies, the query and the image upload
(the product itself is `shop_common.product.Product`, which orders and partners read too)."""

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from shop_common.catalogue import name_words
from shop_common.errors import FieldError, InvalidRequestError
from shop_common.money import Price
from shop_common.pagination import ListQuery
from shop_common.text import COMPOSED, LINES, ONE_LINE

MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2000
MAX_STOCK = 1_000_000_000
MAX_SEARCH_LENGTH = MAX_NAME_LENGTH
IMAGE_MAX_BYTES = 2 * 1024 * 1024
# The image types an admin may upload, and the extension each is stored under.
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
# Where an uploaded image lives in the images bucket and under the site's address.
IMAGE_KEY = re.compile(r"images/[0-9a-f]{32}\.(?:jpg|png|webp)")

ProductName = Annotated[
    str,
    Field(strict=True),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_LENGTH),
    ONE_LINE,
]
# Plain text: line breaks and tabs, no other control or invisible characters.
Description = Annotated[
    str,
    Field(strict=True),
    StringConstraints(strip_whitespace=True, max_length=MAX_DESCRIPTION_LENGTH),
    LINES,
]
Stock = Annotated[int, Field(strict=True, ge=0, le=MAX_STOCK)]
# A stock as read: cancelled orders give their stock back, so it may be over MAX_STOCK (never
# over what a DynamoDB number holds: 38 digits).
MAX_READ_STOCK = 10**18
ReadStock = Annotated[int, Field(strict=True, ge=0, le=MAX_READ_STOCK)]
ImageUrl = Annotated[str, Field(strict=True, max_length=2048)]


@dataclass(frozen=True)
class StockRead:
    """The stock a change was based on (None: not tracked, or no product yet)."""

    stock: int | None


class ProductIn(BaseModel):
    """Body of `POST /product`: without `product_id` a new product, with it a create or
    replace at that id. A body that sets `stock` of a product at a given id says the stock
    it read in `expected_stock` (null: none), so an admin's change never overwrites what
    orders reserved meanwhile."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    product_id: UUID | None = None
    name: ProductName
    price: Price
    description: Description | None = None
    image: ImageUrl | None = None
    stock: Stock | None = None
    expected_stock: ReadStock | None = None

    def check_stock_is_conditional(self) -> None:
        """A stock set at a given id says what it read (`InvalidRequestError` otherwise)."""
        if (
            self.product_id is not None
            and "stock" in self.model_fields_set
            and "expected_stock" not in self.model_fields_set
        ):
            raise InvalidRequestError(
                "Invalid request body",
                [
                    FieldError(
                        "expected_stock",
                        "required with stock and product_id: the stock you read (null if"
                        " none), so that orders placed meanwhile are not overwritten",
                    )
                ],
            )

    def stock_read(self) -> StockRead | None:
        """What the write is conditional on: None, unconditional."""
        if "expected_stock" not in self.model_fields_set:
            return None
        return StockRead(self.expected_stock)

    def given_fields(self) -> frozenset[str]:
        """The product fields this body sets (a field it does not name is kept on replace)."""
        return frozenset(self.model_fields_set) - {"product_id", "expected_stock"}

    def image_key(self, base_url: str) -> str | None:
        """The uploaded image's key, if `image` is one of the shop's (`InvalidRequestError`
        otherwise): an image is uploaded through `POST /images`, then named here."""
        if self.image is None:
            return None
        key = self.image.removeprefix(base_url)
        if key == self.image or not IMAGE_KEY.fullmatch(key):
            raise InvalidRequestError(
                "Invalid request body",
                [FieldError("image", f"not an image uploaded to this shop ({base_url}images/...)")],
            )
        return key


class ProductKey(BaseModel):
    """The `{product_id}` of a product's path."""

    model_config = ConfigDict(frozen=True)

    product_id: UUID


class ProductSort(StrEnum):
    NAME = "name"
    NEWEST = "newest"


# Composed as names are (shop_common.text), so a word finds its twin however it was typed.
SearchText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SEARCH_LENGTH),
    COMPOSED,
]


class ProductListQuery(ListQuery):
    """Query of `GET /products`: by name (default) or newest first; `q` finds the products
    with a word starting with each of its words (case-insensitive, composed), by name."""

    sort: ProductSort = ProductSort.NAME
    q: SearchText | None = None

    @field_validator("q")
    @classmethod
    def search_by_name_only(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("sort") == ProductSort.NEWEST:
            raise ValueError("a search lists by name: leave out sort=newest")
        if value is not None and not name_words(value):
            raise ValueError("a search needs a letter or a digit")
        return value


class ImageUploadIn(BaseModel):
    """Body of `POST /images`: the type of the image about to be uploaded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    content_type: Annotated[str, Field(strict=True)]

    @field_validator("content_type")
    @classmethod
    def an_image_type(cls, value: str) -> str:
        if value not in IMAGE_TYPES:
            raise ValueError(f"must be one of {', '.join(IMAGE_TYPES)}")
        return value


class ImageUpload(BaseModel):
    """A presigned upload: POST `fields` and then the file (as `file`) to `url` as
    multipart/form-data before `expires_at`; then set the product's `image` to `image`."""

    model_config = ConfigDict(frozen=True)

    url: str
    fields: dict[str, str]
    image: str
    content_type: str
    max_bytes: int
    expires_at: str
