"""Pricing shared by orders and partner quotes: how many of a product a line may hold, and
what a line and a basket cost, in exact `Decimal` arithmetic (never floats)."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated

from pydantic import Field

MAX_QUANTITY = 1000

Quantity = Annotated[int, Field(strict=True, ge=1, le=MAX_QUANTITY)]


def line_total(unit_price: Decimal, quantity: int) -> Decimal:
    """Exact: 19.99 x 3 is 59.97, never 59.970000000000006."""
    return unit_price * quantity


def basket_total(line_totals: Iterable[Decimal]) -> Decimal:
    """The sum of a basket's line totals, exact to the cent."""
    return sum(line_totals, Decimal(0))
