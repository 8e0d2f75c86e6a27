"""Every transition of the order status machine, over HTTP through `make run`: each gets 200,
and no function logs an error (the 502 the Powertools metric once caused after the write)."""

from typing import Any

import pytest

from tests.e2e.stack import ApiClient, RunningStack

# (who makes each change in turn, the statuses it goes through)
TRANSITIONS = {
    "the owner cancels a pending order": [("shopper", "cancelled")],
    "an admin cancels a pending order": [("admin", "cancelled")],
    "an admin ships then delivers": [("admin", "shipped"), ("admin", "delivered")],
    "an admin cancels a shipped order": [("admin", "shipped"), ("admin", "cancelled")],
}


@pytest.mark.parametrize("changes", list(TRANSITIONS.values()), ids=list(TRANSITIONS))
def test_each_status_change_answers_200_and_is_stored(
    stack: RunningStack,
    shopper: ApiClient,
    admin: ApiClient,
    shopper_order: dict[str, Any],
    changes: list[tuple[str, str]],
) -> None:
    clients = {"shopper": shopper, "admin": admin}
    errors_before = _error_lines(stack)
    for who, status in changes:
        # When the change is made over HTTP
        response = clients[who].post(
            "/order", {"order_id": shopper_order["order_id"], "status": status}
        )
        # Then it answers 200 with the order in its new status
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status
    # And the stored order says so, and no function logged an error on the way
    listed = {order["order_id"]: order for order in shopper.get("/orders").json()}
    assert listed[shopper_order["order_id"]]["status"] == changes[-1][1]
    assert _error_lines(stack) == errors_before


def _error_lines(stack: RunningStack) -> list[str]:
    return [line for line in stack.output.lines if "[ERROR]" in line or '"level":"ERROR"' in line]
