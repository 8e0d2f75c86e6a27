"""An order's total: unit price times quantity, exact to the cent (Decimal, never float)."""

from decimal import Decimal

import pytest

from orders.logic import total_price


@pytest.mark.parametrize(
    ("unit_price", "quantity", "total"),
    [
        ("19.99", 3, "59.97"),  # a float gives 59.97000000000000...
        ("0.10", 3, "0.30"),  # a float gives 0.30000000000000004
        ("0.01", 1000, "10.00"),
        ("24.99", 1, "24.99"),
        ("1000000", 1000, "1000000000"),  # the largest order there can be
        ("999999.99", 1000, "999999990.00"),
    ],
)
def test_the_total_is_exact(unit_price: str, quantity: int, total: str) -> None:
    result = total_price(Decimal(unit_price), quantity)

    assert result == Decimal(total)
    assert isinstance(result, Decimal)


def test_the_total_keeps_the_cents_of_the_unit_price() -> None:
    assert str(total_price(Decimal("19.90"), 3)) == "59.70"
