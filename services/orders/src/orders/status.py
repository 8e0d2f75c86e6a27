"""The order status machine: which transitions exist and whose they are to make. Pure.

    pending --(admin)--> shipped --(admin)--> delivered
    pending --(owner or admin)--> cancelled
    shipped --(admin)--> cancelled

`delivered` and `cancelled` are final.
"""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from orders.models import OrderStatus
from shop_common.caller import Caller
from shop_common.errors import ConflictError, FieldError, ForbiddenError


class Role(StrEnum):
    """What the caller is to the order: the machine grants transitions to roles."""

    OWNER = "owner"
    ADMIN = "admin"
    OTHER_SHOPPER = "other shopper"


TRANSITIONS: Mapping[tuple[OrderStatus, OrderStatus], frozenset[Role]] = MappingProxyType(
    {
        (OrderStatus.PENDING, OrderStatus.SHIPPED): frozenset({Role.ADMIN}),
        (OrderStatus.SHIPPED, OrderStatus.DELIVERED): frozenset({Role.ADMIN}),
        (OrderStatus.PENDING, OrderStatus.CANCELLED): frozenset({Role.OWNER, Role.ADMIN}),
        (OrderStatus.SHIPPED, OrderStatus.CANCELLED): frozenset({Role.ADMIN}),
    }
)


def role_of(caller: Caller, owner_sub: str) -> Role:
    if caller.is_admin:
        return Role.ADMIN
    return Role.OWNER if caller.sub == owner_sub else Role.OTHER_SHOPPER


def next_statuses(current: OrderStatus) -> list[OrderStatus]:
    return [target for source, target in TRANSITIONS if source == current]


def check_transition(current: OrderStatus, target: OrderStatus, role: Role) -> None:
    """`ConflictError` when the machine has no such transition (staying put included),
    `ForbiddenError` when it has one that is not `role`'s to make."""
    allowed = TRANSITIONS.get((current, target))
    if allowed is None:
        reachable = ", ".join(next_statuses(current)) or f"nothing: {current} is final"
        raise ConflictError(
            f"An order cannot go from {current} to {target}",
            [FieldError("status", f"a {current} order can become {reachable}")],
        )
    if role not in allowed:
        who = " or ".join(role for role in Role if role in allowed)
        raise ForbiddenError(f"Only the {who} may move an order from {current} to {target}")
