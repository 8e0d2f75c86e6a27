"""Opaque pagination cursors: a DynamoDB key, validated on the way back in."""

import base64
import binascii
import json
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shop_common.errors import InvalidCursorError

NEXT_CURSOR_HEADER = "X-Next-Cursor"
DEFAULT_LIMIT = 50
MAX_LIMIT = 100

Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]


class ListQuery(BaseModel):
    """The query of a paginated listing (`?limit=&cursor=`); parameters it does not know
    are ignored. A listing with filters extends it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    limit: Limit = DEFAULT_LIMIT
    cursor: str | None = None


class CursorKey(BaseModel):
    """Base of a listing's key model: only string key attributes, nothing else."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def encode_cursor(key: CursorKey) -> str:
    raw = json.dumps(key.model_dump(), separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor[K: CursorKey](cursor: str, key_model: type[K]) -> K:
    """The key a cursor stands for; any cursor that is not one of ours is a 400."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return key_model.model_validate(json.loads(raw))
    except (binascii.Error, ValueError, ValidationError, UnicodeDecodeError) as exc:
        raise InvalidCursorError from exc


class Page[T](BaseModel):
    items: list[T]
    next_key: dict[str, str] | None = None
