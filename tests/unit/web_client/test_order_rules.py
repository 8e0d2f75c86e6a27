"""The web client's copy of the order status machine (order-rules.js) against the service's
(orders/status.py): for every status and every kind of caller, the page offers exactly the
moves the service allows. The page's module runs in Node, as the browser runs it."""

import json
import shutil
import subprocess
from functools import cache

import pytest

from orders.models import OrderStatus
from orders.status import TRANSITIONS, Role
from stacks.templates import REPO_ROOT

ORDER_RULES = REPO_ROOT / "web_client" / "site" / "assets" / "js" / "order-rules.js"
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
    node = shutil.which("node")
    assert node, "Node.js runs the web client's modules in tests (make setup needs it too)"
    cases = [
        {"status": status.value, "role": role.value, "user": user}
        for status in OrderStatus
        for role, user in USERS.items()
    ]
    script = (
        f"import {{ transitionsFor }} from {json.dumps(ORDER_RULES.as_uri())};\n"
        f"const cases = {json.dumps(cases)};\n"
        "const order = (status) => ({ status, owner_sub: "
        f"{json.dumps(OWNER_SUB)}, username: 'alice' }});\n"
        "console.log(JSON.stringify(cases.map((c) => "
        "[c.status, c.role, transitionsFor(order(c.status), c.user).map((m) => m.to)])));"
    )
    result = subprocess.run(
        [node, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return {(status, role): moves for status, role, moves in json.loads(result.stdout)}


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
