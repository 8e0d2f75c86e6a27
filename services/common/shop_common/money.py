"""Money: a `Decimal` in the code, a JSON number on the wire, never a float in storage."""

from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, PlainSerializer

MAX_PRICE = 1_000_000  # an int: pydantic's message then reads 1000000, not Decimal('1000000')


def _require_json_number(value: object) -> object:
    # Bodies are parsed with parse_float=Decimal, so a number arrives as int or Decimal;
    # a string or a boolean is a wrong type, not something to coerce.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError("must be a number")
    return value


# JSON has no decimal type; a float prints these values (<= 2 places, < 1e12) exactly.
_AS_JSON_NUMBER = PlainSerializer(float, return_type=float, when_used="json")

Money = Annotated[Decimal, _AS_JSON_NUMBER]

Price = Annotated[
    Decimal,
    BeforeValidator(_require_json_number),
    Field(gt=0, le=MAX_PRICE, decimal_places=2, allow_inf_nan=False),
    _AS_JSON_NUMBER,
]
