"""Line and basket totals (orders and partner quotes): exact to the cent, Decimal, never float."""

from decimal import Decimal

import pytest

from shop_common.pricing import basket_total, line_total


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
    result = line_total(Decimal(unit_price), quantity)

    assert result == Decimal(total)
    assert isinstance(result, Decimal)


def test_the_total_keeps_the_cents_of_the_unit_price() -> None:
    assert str(line_total(Decimal("19.90"), 3)) == "59.70"


def test_a_basket_total_is_the_exact_sum_of_its_lines() -> None:
    total = basket_total([Decimal("0.10"), Decimal("0.20"), Decimal("59.97")])

    assert total == Decimal("60.27")
    assert isinstance(total, Decimal)


def test_an_empty_basket_costs_nothing() -> None:
    assert basket_total([]) == Decimal(0)
