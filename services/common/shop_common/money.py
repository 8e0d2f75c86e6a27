"""Money: a `Decimal` in the code, a JSON number on the wire, never a float in storage."""

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer

MAX_PRICE = 1_000_000  # an int: pydantic's message then reads 1000000, not Decimal('1000000')


def _require_json_number(value: object) -> object:
    # Bodies are parsed with parse_float=Decimal, so a number arrives as int or Decimal;
    # a string or a boolean is a wrong type, not something to coerce.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError("must be a number")
    return value


CENT = Decimal("0.01")


def _whole_cents(value: Decimal) -> Decimal:
    """The price in cents, written with 2 places: 12.5 followed by 40 zeros is 12.50 (DynamoDB
    holds a number of at most 38 digits, and boto3 refused it as written)."""
    # pydantic's decimal_places reads the value rounded to the context's 28 digits: it took
    # 5.00000000000000000000000000001 as 5, and 1E-999999999 as 0 places.
    cents = value.quantize(CENT)
    if value != cents:
        raise ValueError("at most 2 decimal places")
    return cents


# JSON has no decimal type; a float prints these values (<= 2 places, < 1e12) exactly.
_AS_JSON_NUMBER = PlainSerializer(float, return_type=float, when_used="json")

Money = Annotated[Decimal, _AS_JSON_NUMBER]

Price = Annotated[
    Decimal,
    BeforeValidator(_require_json_number),
    Field(gt=0, le=MAX_PRICE, decimal_places=2, allow_inf_nan=False),
    AfterValidator(_whole_cents),
    _AS_JSON_NUMBER,
]
