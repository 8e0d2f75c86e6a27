"""Pricing shared by orders and partner quotes: how many of a product a line may hold, one
line per product, and what a line and a basket cost, in exact `Decimal` arithmetic (never
floats)."""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field

from shop_common.errors import FieldError, InvalidRequestError

MAX_QUANTITY = 1000

Quantity = Annotated[int, Field(strict=True, ge=1, le=MAX_QUANTITY)]


def line_total(unit_price: Decimal, quantity: int) -> Decimal:
    """Exact: 19.99 x 3 is 59.97, never 59.970000000000006."""
    return unit_price * quantity


def basket_total(line_totals: Iterable[Decimal]) -> Decimal:
    """The sum of a basket's line totals, exact to the cent."""
    return sum(line_totals, Decimal(0))


def require_distinct_products(product_ids: Sequence[UUID]) -> None:
    """A 400 naming each line (`lines.<index>.product_id`) whose product an earlier line has."""
    seen: set[UUID] = set()
    repeats = []
    for index, product_id in enumerate(product_ids):
        if product_id in seen:
            repeats.append(FieldError(f"lines.{index}.product_id", "already on another line"))
        seen.add(product_id)
    if repeats:
        raise InvalidRequestError("Each product may be on one line only", repeats)
