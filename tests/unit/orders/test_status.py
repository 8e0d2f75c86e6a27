"""The order status machine, judged for every (from, to, role) triple."""

import pytest

from orders.models import OrderStatus
from orders.status import Role, check_transition, next_statuses, role_of
from shop_common.caller import Caller
from shop_common.errors import ConflictError, DomainError, ForbiddenError
from tests.builders import callers
from tests.builders.callers import ADMIN, OTHER_SHOPPER, SHOPPER

# What each caller gets for each change: ok, 403 (the machine has the transition but it is
# not theirs to make) or 409 (the machine has no such transition, staying put included).
EXPECTED = """
from        to          owner   admin   other-shopper
pending     pending     409     409     409
pending     shipped     403     ok      403
pending     delivered   409     409     409
pending     cancelled   ok      ok      403
shipped     pending     409     409     409
shipped     shipped     409     409     409
shipped     delivered   403     ok      403
shipped     cancelled   403     ok      403
delivered   pending     409     409     409
delivered   shipped     409     409     409
delivered   delivered   409     409     409
delivered   cancelled   409     409     409
cancelled   pending     409     409     409
cancelled   shipped     409     409     409
cancelled   delivered   409     409     409
cancelled   cancelled   409     409     409
"""
ROLES = (Role.OWNER, Role.ADMIN, Role.OTHER_SHOPPER)
ERROR_BY_OUTCOME: dict[str, type[DomainError] | None] = {
    "ok": None,
    "403": ForbiddenError,
    "409": ConflictError,
}


def _cases() -> list[tuple[OrderStatus, OrderStatus, Role, str]]:
    _header, *rows = EXPECTED.strip().splitlines()
    return [
        (OrderStatus(current), OrderStatus(target), role, outcome)
        for current, target, *outcomes in (row.split() for row in rows)
        for role, outcome in zip(ROLES, outcomes, strict=True)
    ]


def test_the_table_covers_every_triple_once() -> None:
    triples = {(current, target, role) for current, target, role, _ in _cases()}
    assert len(_cases()) == len(triples) == len(OrderStatus) ** 2 * len(ROLES)


@pytest.mark.parametrize(("current", "target", "role", "outcome"), _cases())
def test_each_transition_for_each_role(
    current: OrderStatus, target: OrderStatus, role: Role, outcome: str
) -> None:
    expected_error = ERROR_BY_OUTCOME[outcome]
    if expected_error is None:
        check_transition(current, target, role)
    else:
        with pytest.raises(expected_error):
            check_transition(current, target, role)


def test_a_refused_transition_says_where_the_order_can_go() -> None:
    with pytest.raises(ConflictError) as refused:
        check_transition(OrderStatus.SHIPPED, OrderStatus.PENDING, Role.ADMIN)

    assert refused.value.message == "An order cannot go from shipped to pending"
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("status", "a shipped order can become delivered, cancelled")
    ]


def test_a_final_status_is_said_to_be_final() -> None:
    with pytest.raises(ConflictError) as refused:
        check_transition(OrderStatus.DELIVERED, OrderStatus.CANCELLED, Role.ADMIN)

    assert (
        refused.value.errors[0].message
        == "a delivered order can become nothing: delivered is final"
    )


def test_a_forbidden_transition_says_who_may_make_it() -> None:
    with pytest.raises(ForbiddenError) as refused:
        check_transition(OrderStatus.PENDING, OrderStatus.SHIPPED, Role.OWNER)

    assert refused.value.message == "Only the admin may move an order from pending to shipped"


@pytest.mark.parametrize(
    ("status", "reachable"),
    [
        (OrderStatus.PENDING, [OrderStatus.SHIPPED, OrderStatus.CANCELLED]),
        (OrderStatus.SHIPPED, [OrderStatus.DELIVERED, OrderStatus.CANCELLED]),
        (OrderStatus.DELIVERED, []),
        (OrderStatus.CANCELLED, []),
    ],
)
def test_next_statuses(status: OrderStatus, reachable: list[OrderStatus]) -> None:
    assert next_statuses(status) == reachable


@pytest.mark.parametrize(
    ("caller", "role"),
    [
        (SHOPPER, Role.OWNER),
        (OTHER_SHOPPER, Role.OTHER_SHOPPER),
        (ADMIN, Role.ADMIN),
    ],
)
def test_the_callers_role_towards_alices_order(caller: callers.Caller, role: Role) -> None:
    as_caller = Caller.model_validate(caller.authorizer_context())
    assert role_of(as_caller, owner_sub=SHOPPER.sub) == role


def test_an_admin_who_owns_the_order_acts_as_admin() -> None:
    admin = Caller.model_validate(ADMIN.authorizer_context())
    assert role_of(admin, owner_sub=admin.sub) == Role.ADMIN
