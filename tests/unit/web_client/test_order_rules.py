"""The web client's copy of the order status machine (order-rules.js) against the service's
(orders/status.py): for every status and every kind of caller, the page offers exactly the
moves the service allows. The page's module runs in Node, as the browser runs it."""

import json
from functools import cache

import pytest

from orders.models import OrderStatus
from orders.status import TRANSITIONS, Role
from tests.builders.javascript import evaluate

OWNER_SUB = "sub-of-alice"
# Each kind of caller as the page knows them (from the ID token), for an order of OWNER_SUB.
USERS = {
    Role.OWNER: {"username": "Alice", "sub": OWNER_SUB, "isAdmin": False},
    Role.OTHER_SHOPPER: {"username": "alice", "sub": "sub-of-another-alice", "isAdmin": False},
    Role.ADMIN: {"username": "admin", "sub": "sub-of-admin", "isAdmin": True},
}


@cache
def offered_moves() -> dict[tuple[str, str], list[str]]:
    """(status, role) -> the statuses the page offers to move to, computed by Node."""
    cases = [
        {"status": status.value, "role": role.value, "user": user}
        for status in OrderStatus
        for role, user in USERS.items()
    ]
    order = f"(status) => ({{ status, owner_sub: {json.dumps(OWNER_SUB)}, username: 'alice' }})"
    moves = evaluate(
        "order-rules.js",
        ["transitionsFor"],
        f"{json.dumps(cases)}.map((c) => [c.status, c.role, "
        f"transitionsFor(({order})(c.status), c.user).map((m) => m.to)])",
    )
    return {(status, role): targets for status, role, targets in moves}


@pytest.mark.parametrize("status", list(OrderStatus))
@pytest.mark.parametrize("role", list(USERS))
def test_the_page_offers_exactly_the_moves_the_service_allows(
    status: OrderStatus, role: Role
) -> None:
    allowed = sorted(
        target
        for (source, target), roles in TRANSITIONS.items()
        if source == status and role in roles
    )
    assert sorted(offered_moves()[status.value, role.value]) == allowed
