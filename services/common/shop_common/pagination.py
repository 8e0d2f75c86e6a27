"""Paginated listings: `Listing`, the one description of a paginated Query that every
service's listings share, and its opaque cursors, validated on the way back in."""

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shop_common.errors import InvalidCursorError
from shop_common.validation import DIGITS

NEXT_CURSOR_HEADER = "X-Next-Cursor"
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
# DynamoDB refuses a sort key of more (a ValidationException: a forged cursor's 5xx).
MAX_KEY_BYTES = 1024

Limit = Annotated[int, DIGITS, Field(ge=1, le=MAX_LIMIT)]


class ListQuery(BaseModel):
    """The query of a paginated listing (`?limit=&cursor=`); parameters it does not know
    are ignored. A listing with filters extends it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    limit: Limit = DEFAULT_LIMIT
    cursor: str | None = None


@dataclass(frozen=True)
class Listing:
    """One listing: one partition of a DynamoDB table or index, read in sort-key order.

    Its cursors carry its `name` and the key of the last item returned. A cursor is accepted
    only by the listing that issued it (same name, same key attributes, same partition), so
    one listing's or sort's cursor is a 400 in another, and a caller cannot move a cursor
    into somebody else's partition. `name` says what the listing is ("orders/status/shipped"):
    listings of different parameters have different names.
    """

    name: str
    partition_key: str
    partition_value: str
    sort_key: str
    table_key: tuple[str, ...]
    index: str | None = None
    descending: bool = False
    # Only the items whose sort key starts with this (one kind of item among others in a
    # partition); its cursors start with it too.
    sort_key_prefix: str | None = None
    # Only the items whose attribute holds each substring: (attribute, substring) pairs,
    # a filter on the items the Query reads (it still reads at most a page and one more).
    contains: tuple[tuple[str, str], ...] = ()

    @property
    def key_attributes(self) -> tuple[str, ...]:
        """The attributes of the key DynamoDB continues from (LastEvaluatedKey)."""
        return tuple(dict.fromkeys((*self.table_key, self.partition_key, self.sort_key)))

    def cursor_after(self, item: Mapping[str, Any]) -> str:
        """The cursor of the page that follows `item` (the last one returned)."""
        key = {name: str(item[name]) for name in self.key_attributes}
        raw = json.dumps({"listing": self.name, "key": key}, separators=(",", ":"), sort_keys=True)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def start_key(self, cursor: str | None) -> dict[str, str] | None:
        """The key to continue from: None for the first page; a 400 for a cursor that this
        listing did not issue."""
        if cursor is None:
            return None
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            decoded = _ListingCursor.model_validate_json(raw)
        except (binascii.Error, ValueError, ValidationError) as exc:
            raise InvalidCursorError from exc
        if (
            decoded.listing != self.name
            or set(decoded.key) != set(self.key_attributes)
            or decoded.key[self.partition_key] != self.partition_value
            or not decoded.key[self.sort_key].startswith(self.sort_key_prefix or "")
            or not all(decoded.key.values())
            or any(len(value.encode()) > MAX_KEY_BYTES for value in decoded.key.values())
        ):
            raise InvalidCursorError
        return decoded.key


class _ListingCursor(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    listing: str
    key: dict[str, str]


@dataclass(frozen=True)
class CursorPage[T]:
    """One page of a listing, and the cursor of the next (None on the last page)."""

    items: list[T]
    next_cursor: str | None
