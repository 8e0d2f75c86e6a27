"""The orders rules with in-memory tables and idempotency records, a fixed clock and ids."""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from itertools import count
from typing import Any
from uuid import UUID

import pytest

from orders.logic import (
    OrderDesk,
    delete_order,
    get_order,
    list_orders,
)
from orders.logic.retries import FIRST_RETRY_PAUSE_SECONDS
from orders.models import (
    Account,
    Address,
    LinesOrderRequest,
    OneLineOrderRequest,
    Order,
    OrderLine,
    OrderListQuery,
    OrderStatus,
    StatusChange,
    StatusChangeRequest,
)
from shop_common.caller import Caller
from shop_common.errors import (
    ConflictError,
    ForbiddenError,
    InvalidCursorError,
    InvalidRequestError,
    NotFoundError,
    StaleReadError,
)
from shop_common.product import Product
from tests.builders.callers import ADMIN, OTHER_SHOPPER, SHOPPER
from tests.builders.data import (
    address,
    lines_request,
    order_item,
    order_line,
    owned_by,
    product_item,
)
from tests.builders.events import LambdaContext
from tests.unit.orders.fakes import (
    InMemoryIdempotencyStore,
    InMemoryOrderRepository,
    InMemoryProductCatalog,
    InMemoryUserDirectory,
    RecordingMetrics,
    StaleOrderRepository,
)

NOW = datetime(2026, 11, 21, 6, 33, tzinfo=UTC)
LAMP_ID = "5f0c9c6e-8a43-4b8e-9a59-3f1f4f0d8a11"
LAMP = Product.model_validate(
    product_item(product_id=LAMP_ID, name="Desk lamp", price=Decimal("19.99"))
)
MUG_ID = "0b6f0c3e-3c1b-4b51-a3a2-6b0e4f3c9d01"
MUG = Product.model_validate(
    product_item(product_id=MUG_ID, name="Mug", price=Decimal("7.50"), stock=5)
)
ALICE = Caller.model_validate(SHOPPER.authorizer_context())
BOB = Caller.model_validate(OTHER_SHOPPER.authorizer_context())
THE_ADMIN = Caller.model_validate(ADMIN.authorizer_context())
CAROL = Account(sub="55555555-5555-4555-8555-555555555555", username="carol")
# The user pool's accounts as the listings look customers up.
USERS = InMemoryUserDirectory(
    Account(sub=SHOPPER.sub, username=SHOPPER.username),
    Account(sub=OTHER_SHOPPER.sub, username=OTHER_SHOPPER.username),
)


class Desk:
    """An OrderDesk on in-memory parts, and those parts, to look at after a call."""

    def __init__(self, *orders: Order, stale_reads: bool = False) -> None:
        repository_type = StaleOrderRepository if stale_reads else InMemoryOrderRepository
        self.repository = repository_type(*orders)
        self.products = InMemoryProductCatalog({LAMP_ID: LAMP, MUG_ID: MUG})
        self.repository.products = self.products
        self.idempotency = InMemoryIdempotencyStore()
        self.metrics = RecordingMetrics()
        self.users = InMemoryUserDirectory(CAROL)
        self.pauses: list[float] = []
        ids = count(1)
        self.desk = OrderDesk(
            self.repository,
            self.products,
            lambda: self.idempotency,
            self.users,
            clock=lambda: NOW,
            id_factory=lambda: str(UUID(int=next(ids))),
            metrics=self.metrics,
            pause=self.pauses.append,
            currency="EUR",
        )

    def place(self, caller: Caller, key: str | None = None, **fields: Any) -> Order:
        """A one-line order in its one-line form: 3 lamps unless `fields` say otherwise."""
        request = OneLineOrderRequest.model_validate(
            {"product_id": LAMP_ID, "quantity": 3, "address": address(), **fields}
        )
        return self.desk.place(caller, request, idempotency_key=key, lambda_context=LambdaContext())

    def place_lines(self, *lines: tuple[str, int], key: str | None = None) -> Order:
        request = LinesOrderRequest.model_validate(lines_request(*lines))
        return self.desk.place(ALICE, request, idempotency_key=key, lambda_context=LambdaContext())

    def delete(self, caller: Caller, order: Order) -> None:
        delete_order(
            caller, UUID(order.order_id), self.repository, self.products, self.pauses.append
        )

    def change(self, caller: Caller, order: Order, status: str, **fields: Any) -> Order:
        request = StatusChangeRequest.model_validate(
            {"order_id": order.order_id, "status": status, **fields}
        )
        return self.desk.change_status(caller, request)


def stored(*lines: dict[str, Any], **overrides: Any) -> Order:
    return Order.model_validate(order_item(*lines, **overrides))


# ---------------------------------------------------------------- placing an order


def test_an_order_copies_the_product_and_is_priced_exactly() -> None:
    desk = Desk()

    order = desk.place(ALICE)

    assert order == Order(
        order_id=str(UUID(int=1)),
        owner_sub=ALICE.sub,
        username="alice",
        lines=[
            OrderLine(
                product_id=LAMP_ID,
                product_name="Desk lamp",
                unit_price=Decimal("19.99"),
                quantity=3,
                line_total=Decimal("59.97"),
                stock_reserved=False,
            )
        ],
        address=Address.model_validate(address()),
        total_price=Decimal("59.97"),
        currency="EUR",
        status=OrderStatus.PENDING,
        created_at="2026-11-21T06:33:00Z",
        updated_at="2026-11-21T06:33:00Z",
        version=1,
        history=[
            StatusChange(
                status=OrderStatus.PENDING,
                at="2026-11-21T06:33:00Z",
                sub=ALICE.sub,
                username="alice",
            )
        ],
    )
    assert desk.repository.orders == {order.order_id: order}
    assert desk.metrics.created == [order]


def test_a_shoppers_order_is_theirs_whatever_the_body_says() -> None:
    order = Desk().place(ALICE, username="carol")

    assert (order.owner_sub, order.username) == (ALICE.sub, "alice")


def test_an_admin_orders_for_an_existing_user_who_then_owns_it_by_sub() -> None:
    order = Desk().place(THE_ADMIN, username="Carol")

    assert (order.owner_sub, order.username) == (CAROL.sub, "carol")


def test_an_admin_ordering_for_an_unknown_user_gets_not_found_and_nothing_is_stored() -> None:
    desk = Desk()

    with pytest.raises(NotFoundError) as refused:
        desk.place(THE_ADMIN, username="mallory")

    assert [error.field for error in refused.value.errors] == ["username"]
    assert desk.repository.orders == {}


def test_an_admin_without_a_username_orders_for_themselves() -> None:
    order = Desk().place(THE_ADMIN)

    assert (order.owner_sub, order.username) == (THE_ADMIN.sub, "admin")


def test_an_order_placed_on_a_users_behalf_records_the_admin_who_placed_it() -> None:
    order = Desk().place(THE_ADMIN, username="carol")

    (placed,) = order.history
    assert (placed.status, placed.sub, placed.username) == ("pending", THE_ADMIN.sub, "admin")


def test_each_status_change_is_added_to_the_history_with_who_made_it() -> None:
    desk = Desk()
    order = desk.place(ALICE)

    shipped = desk.change(THE_ADMIN, order, "shipped")
    delivered = desk.change(THE_ADMIN, shipped, "delivered")

    assert [(c.status, c.sub, c.username) for c in delivered.history] == [
        ("pending", ALICE.sub, "alice"),
        ("shipped", THE_ADMIN.sub, "admin"),
        ("delivered", THE_ADMIN.sub, "admin"),
    ]
    assert all(change.at == "2026-11-21T06:33:00Z" for change in delivered.history)


@pytest.mark.parametrize("caller", [ALICE, THE_ADMIN], ids=["owner", "admin"])
def test_the_owner_and_an_admin_get_one_order(caller: Caller) -> None:
    order = stored(**owned_by(SHOPPER))

    assert get_order(caller, UUID(order.order_id), InMemoryOrderRepository(order)) == order


def test_anybody_else_gets_one_order_as_absent_as_a_missing_one() -> None:
    order = stored(**owned_by(SHOPPER))
    repository = InMemoryOrderRepository(order)

    with pytest.raises(NotFoundError):
        get_order(BOB, UUID(order.order_id), repository)
    with pytest.raises(NotFoundError):
        get_order(THE_ADMIN, UUID(int=7), repository)


def test_a_new_account_with_a_reused_username_does_not_own_the_old_orders() -> None:
    # Given alice's order, and a new account that took the name "alice" after hers was deleted
    order = stored(**owned_by(SHOPPER))
    new_alice = Caller(username="alice", sub="44444444-4444-4444-8444-444444444444")
    desk = Desk(order)

    # Then the new account neither sees nor lists it
    with pytest.raises(NotFoundError):
        desk.change(new_alice, order, "cancelled")
    assert list_orders(new_alice, OrderListQuery(), desk.repository, desk.users).orders == []


def test_an_unknown_product_is_not_found_and_nothing_is_stored() -> None:
    desk = Desk()
    desk.products.products.clear()

    with pytest.raises(NotFoundError) as refused:
        desk.place(ALICE)

    assert [error.field for error in refused.value.errors] == ["product_id"]
    assert desk.repository.orders == {}
    assert desk.metrics.created == []


def test_each_line_is_priced_from_its_product_and_the_total_is_their_sum() -> None:
    order = Desk().place_lines((LAMP_ID, 3), (MUG_ID, 2))

    assert [(line.product_name, line.line_total) for line in order.lines] == [
        ("Desk lamp", Decimal("59.97")),
        ("Mug", Decimal("15.00")),
    ]
    assert order.total_price == Decimal("74.97")


def test_each_line_naming_an_unknown_product_is_named_in_the_not_found() -> None:
    desk = Desk()
    gone = str(UUID(int=99))

    with pytest.raises(NotFoundError) as refused:
        desk.place_lines((LAMP_ID, 1), (gone, 1), (MUG_ID, 1))

    assert [error.field for error in refused.value.errors] == ["lines.1.product_id"]
    assert desk.repository.orders == {}


def test_a_tracked_line_reserves_its_stock_and_an_untracked_one_none() -> None:
    desk = Desk()

    order = desk.place_lines((LAMP_ID, 3), (MUG_ID, 2))

    assert [line.stock_reserved for line in order.lines] == [False, True]
    assert (desk.products.stock(MUG_ID), desk.products.stock(LAMP_ID)) == (3, None)


def test_short_stock_is_a_conflict_naming_the_line_and_nothing_is_stored() -> None:
    desk = Desk()

    with pytest.raises(ConflictError) as refused:
        desk.place_lines((LAMP_ID, 3), (MUG_ID, 6))

    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("lines.1.quantity", "only 5 left")
    ]
    assert desk.repository.orders == {}
    assert desk.products.stock(MUG_ID) == 5


def test_a_product_repriced_while_ordering_is_read_again_and_the_new_price_charged() -> None:
    # Given the mug repriced once, between the order's read and its write
    desk = Desk()

    def reprice_once() -> None:
        desk.products.after_lookup = lambda: None
        desk.products.products[MUG_ID] = MUG.model_copy(update={"price": Decimal(8)})

    desk.products.after_lookup = reprice_once

    # When the mug is ordered
    order = desk.place_lines((MUG_ID, 2))

    # Then it was read again and charged as it is now
    assert desk.products.lookups == 2
    assert order.total_price == Decimal(16)


def desk_repricing_the_mug_after_every_read() -> Desk:
    desk = Desk()
    prices = iter(range(1, 100))

    def reprice() -> None:
        desk.products.products[MUG_ID] = MUG.model_copy(update={"price": Decimal(next(prices))})

    desk.products.after_lookup = reprice
    return desk


def test_a_product_that_keeps_changing_is_a_conflict_after_three_reads() -> None:
    # Given the mug repriced after every read
    desk = desk_repricing_the_mug_after_every_read()

    # When the mug is ordered  Then it gives up with a 409 after three attempts
    with pytest.raises(StaleReadError):
        desk.place_lines((MUG_ID, 2))
    assert desk.products.lookups == 3
    assert desk.repository.orders == {}
    assert desk.products.stock(MUG_ID) == 5


def test_each_new_attempt_waits_a_random_pause_whose_bound_doubles() -> None:
    # Given the mug repriced after every read
    desk = desk_repricing_the_mug_after_every_read()

    # When the mug is ordered (and the order gives up after three attempts)
    with pytest.raises(StaleReadError):
        desk.place_lines((MUG_ID, 2))

    # Then it paused before the second and the third attempt, within 50 ms then 100 ms
    first, second = desk.pauses
    assert 0 <= first <= FIRST_RETRY_PAUSE_SECONDS
    assert 0 <= second <= 2 * FIRST_RETRY_PAUSE_SECONDS


# ---------------------------------------------------------------- idempotent creation


def test_a_retry_with_the_same_key_gets_the_first_order_back() -> None:
    desk = Desk()
    first = desk.place(ALICE, key="retry-1")

    again = desk.place(ALICE, key="retry-1")

    assert again == first
    assert list(desk.repository.orders) == [first.order_id]
    assert desk.metrics.created == [first]


def test_a_retry_with_the_same_key_reserves_no_more_stock() -> None:
    desk = Desk()
    desk.place_lines((MUG_ID, 2), key="retry-1")

    desk.place_lines((MUG_ID, 2), key="retry-1")

    assert desk.products.stock(MUG_ID) == 3


def test_the_same_key_with_another_order_is_a_conflict() -> None:
    desk = Desk()
    desk.place(ALICE, key="retry-1")

    with pytest.raises(ConflictError) as refused:
        desk.place(ALICE, key="retry-1", quantity=4)

    assert [error.field for error in refused.value.errors] == ["Idempotency-Key"]
    assert len(desk.repository.orders) == 1


def test_the_same_key_with_another_address_is_a_conflict() -> None:
    desk = Desk()
    desk.place(ALICE, key="retry-1")

    with pytest.raises(ConflictError) as refused:
        desk.place(ALICE, key="retry-1", address=address(city="Lyon"))

    assert [error.field for error in refused.value.errors] == ["Idempotency-Key"]
    assert len(desk.repository.orders) == 1


def test_an_order_is_delivered_where_its_request_says() -> None:
    order = Desk().place(ALICE, address=address(phone=None, lines=["1 Main Street"]))

    assert order.address == Address.model_validate(address(phone=None, lines=["1 Main Street"]))


def test_keys_are_never_shared_between_users() -> None:
    desk = Desk()

    alices = desk.place(ALICE, key="retry-1")
    bobs = desk.place(BOB, key="retry-1")

    assert (alices.username, bobs.username) == ("alice", "bob")
    assert len(desk.repository.orders) == len(desk.idempotency.records) == 2


def test_without_a_key_every_request_places_an_order() -> None:
    desk = Desk()

    desk.place(ALICE)
    desk.place(ALICE)

    assert len(desk.repository.orders) == 2
    assert desk.idempotency.records == {}


def test_a_failed_creation_leaves_no_record_so_a_retry_can_succeed() -> None:
    desk = Desk()
    desk.products.products.clear()
    with pytest.raises(NotFoundError):
        desk.place(ALICE, key="retry-1")
    assert desk.idempotency.records == {}

    desk.products.products[LAMP_ID] = LAMP
    order = desk.place(ALICE, key="retry-1")

    assert list(desk.repository.orders) == [order.order_id]


def test_a_request_still_in_progress_with_the_key_is_a_conflict() -> None:
    # Given a product lookup during which the same request arrives again
    desk = Desk()
    refusals: list[ConflictError] = []

    def the_same_request_again() -> None:
        with pytest.raises(ConflictError) as refused:
            desk.place(ALICE, key="retry-1")
        refusals.append(refused.value)

    desk.products.during_lookup = the_same_request_again

    # When the first request runs
    order = desk.place(ALICE, key="retry-1")

    # Then the second was refused while the first was in progress, and the first completed
    assert [r.message for r in refusals] == [
        "A request with this Idempotency-Key is still in progress"
    ]
    assert list(desk.repository.orders) == [order.order_id]


# ---------------------------------------------------------------- changing the status


def test_the_owner_cancels_a_pending_order() -> None:
    order = stored(**owned_by(SHOPPER), status="pending", version=1)
    desk = Desk(order)

    changed = desk.change(ALICE, order, "cancelled")

    assert (changed.status, changed.version, changed.updated_at) == (
        OrderStatus.CANCELLED,
        2,
        "2026-11-21T06:33:00Z",
    )
    assert desk.repository.orders[order.order_id] == changed
    assert desk.metrics.status_changes == [changed]


def test_an_admin_ships_then_delivers() -> None:
    order = stored(status="pending")
    desk = Desk(order)

    shipped = desk.change(THE_ADMIN, order, "shipped")
    delivered = desk.change(THE_ADMIN, shipped, "delivered")

    assert (delivered.status, delivered.version) == (OrderStatus.DELIVERED, 3)


@pytest.mark.parametrize("exists", [True, False])
def test_somebody_elses_order_is_as_absent_as_a_missing_one(exists: bool) -> None:
    order = stored(**owned_by(SHOPPER))
    desk = Desk(order) if exists else Desk()

    with pytest.raises(NotFoundError) as refused:
        desk.change(BOB, order, "cancelled")

    assert refused.value.message == f"Order {order.order_id} not found"


@pytest.mark.parametrize(
    ("fields", "refused_fields"),
    [
        ({"quantity": 5}, ["quantity"]),
        ({"product_id": "0b6f0c3e-3c1b-4b51-a3a2-6b0e4f3c9d01"}, ["product_id"]),
        (
            {"quantity": 5, "product_id": "0b6f0c3e-3c1b-4b51-a3a2-6b0e4f3c9d01"},
            ["product_id", "quantity"],
        ),
    ],
)
def test_a_status_change_cannot_change_the_product_or_quantity(
    fields: dict[str, Any], refused_fields: list[str]
) -> None:
    order = stored(quantity=2)
    desk = Desk(order)

    with pytest.raises(InvalidRequestError) as refused:
        desk.change(ALICE, order, "cancelled", **fields)

    assert [error.field for error in refused.value.errors] == refused_fields
    assert desk.repository.orders[order.order_id] == order


def test_a_one_line_orders_own_product_and_quantity_may_be_echoed() -> None:
    order = stored()
    (line,) = order.lines

    changed = Desk(order).change(
        ALICE, order, "cancelled", quantity=line.quantity, product_id=line.product_id
    )

    assert changed.status == OrderStatus.CANCELLED


def test_a_several_line_order_refuses_an_echoed_product_and_quantity() -> None:
    order = stored(order_line(), order_line())
    (first, _) = order.lines

    with pytest.raises(InvalidRequestError) as refused:
        Desk(order).change(ALICE, order, "cancelled", product_id=first.product_id, quantity=2)

    assert [error.field for error in refused.value.errors] == ["product_id", "quantity"]


def test_the_orders_own_lines_may_be_echoed_in_any_order() -> None:
    order = stored(order_line(quantity=1), order_line(quantity=2))
    echoed = [line.model_dump(mode="json") for line in reversed(order.lines)]

    changed = Desk(order).change(ALICE, order, "cancelled", lines=echoed)

    assert changed.status == OrderStatus.CANCELLED


@pytest.mark.parametrize(
    "change",
    [
        lambda lines: [{**lines[0], "quantity": 3}, lines[1]],
        lambda lines: lines[:1],
        lambda lines: [*lines, {"product_id": str(UUID(int=9)), "quantity": 1}],
    ],
    ids=["another quantity", "a line missing", "a line more"],
)
def test_echoed_lines_other_than_the_orders_are_refused_naming_lines(change: Any) -> None:
    order = stored(order_line(quantity=1), order_line(quantity=2))
    echoed = [line.model_dump(mode="json") for line in order.lines]
    desk = Desk(order)

    with pytest.raises(InvalidRequestError) as refused:
        desk.change(ALICE, order, "cancelled", lines=change(echoed))

    assert [error.field for error in refused.value.errors] == ["lines"]
    assert desk.repository.orders[order.order_id] == order


# ---------------------------------------------------------------- stock given back


def test_cancelling_gives_the_reserved_stock_back_in_the_status_change() -> None:
    desk = Desk()
    order = desk.place_lines((LAMP_ID, 1), (MUG_ID, 2))

    desk.change(ALICE, order, "cancelled")

    assert (desk.products.stock(MUG_ID), desk.products.stock(LAMP_ID)) == (5, None)


def test_cancelling_a_shipped_order_gives_its_stock_back() -> None:
    desk = Desk()
    shipped = desk.change(THE_ADMIN, desk.place_lines((MUG_ID, 2)), "shipped")

    desk.change(THE_ADMIN, shipped, "cancelled")

    assert desk.products.stock(MUG_ID) == 5


@pytest.mark.parametrize("status", ["shipped", "delivered"])
def test_shipping_and_delivering_keep_the_stock_taken(status: str) -> None:
    desk = Desk()
    order = desk.change(THE_ADMIN, desk.place_lines((MUG_ID, 2)), "shipped")

    if status == "delivered":
        desk.change(THE_ADMIN, order, "delivered")

    assert desk.products.stock(MUG_ID) == 3


def test_a_deleted_products_line_gets_nothing_back_and_the_order_is_cancelled() -> None:
    desk = Desk()
    order = desk.place_lines((MUG_ID, 2), (LAMP_ID, 1))
    del desk.products.products[MUG_ID]

    cancelled = desk.change(ALICE, order, "cancelled")

    assert cancelled.status == OrderStatus.CANCELLED
    assert MUG_ID not in desk.products.products


def test_a_product_no_longer_tracked_gets_nothing_back() -> None:
    desk = Desk()
    order = desk.place_lines((MUG_ID, 2))
    desk.products.set_stock(MUG_ID, None)

    desk.change(ALICE, order, "cancelled")

    assert desk.products.stock(MUG_ID) is None


def test_a_product_tracked_since_the_order_gets_nothing_it_never_gave() -> None:
    # Given the lamp ordered while untracked, then tracked with 10
    desk = Desk()
    order = desk.place_lines((LAMP_ID, 2))
    desk.products.set_stock(LAMP_ID, 10)

    # When the order is cancelled  Then the lamp keeps 10
    desk.change(ALICE, order, "cancelled")
    assert desk.products.stock(LAMP_ID) == 10


def test_a_product_untracked_while_cancelling_is_read_again() -> None:
    # Given the mug untracked between the cancel's read of it and its write
    desk = Desk()
    order = desk.place_lines((MUG_ID, 2))

    def untrack_once() -> None:
        desk.products.after_lookup = lambda: None
        desk.products.set_stock(MUG_ID, None)

    desk.products.after_lookup = untrack_once

    # When the order is cancelled
    cancelled = desk.change(ALICE, order, "cancelled")

    # Then it is, once, and the untracked mug got nothing
    assert (cancelled.status, cancelled.version) == (OrderStatus.CANCELLED, 2)
    assert desk.products.lookups == 3  # placing, the cancel's first read and its second
    assert desk.products.stock(MUG_ID) is None


def test_a_cancel_made_on_a_stale_read_loses_and_gives_nothing_back_twice() -> None:
    # Given an order read as pending by both alice and an admin
    desk = Desk(stale_reads=True)
    order = desk.place_lines((MUG_ID, 2))

    # When both cancel it
    desk.change(THE_ADMIN, order, "cancelled")
    with pytest.raises(ConflictError):
        desk.change(ALICE, order, "cancelled")

    # Then the stock came back once
    assert desk.products.stock(MUG_ID) == 5


@pytest.mark.parametrize(
    ("caller", "status", "error"),
    [
        (ALICE, "shipped", ForbiddenError),
        (ALICE, "pending", ConflictError),
        (THE_ADMIN, "delivered", ConflictError),
    ],
)
def test_the_status_machine_decides(caller: Caller, status: str, error: type[Exception]) -> None:
    order = stored(status="pending")
    desk = Desk(order)

    with pytest.raises(error):
        desk.change(caller, order, status)

    assert desk.repository.orders[order.order_id] == order
    assert desk.metrics.status_changes == []


def test_a_change_made_on_a_stale_read_loses() -> None:
    # Given an order read as pending by both alice and an admin
    order = stored(status="pending")
    desk = Desk(order, stale_reads=True)

    # When the admin ships it, then alice cancels what she read
    desk.change(THE_ADMIN, order, "shipped")
    with pytest.raises(ConflictError):
        desk.change(ALICE, order, "cancelled")

    # Then the admin's change stands
    assert desk.repository.orders[order.order_id].status == OrderStatus.SHIPPED


# ---------------------------------------------------------------- listing and deleting


def test_a_shopper_lists_only_their_own_orders_newest_first() -> None:
    alices = [
        stored(**owned_by(SHOPPER), created_at=f"2026-11-2{day}T00:00:00Z") for day in (1, 3, 2)
    ]
    repository = InMemoryOrderRepository(*alices, stored(**owned_by(OTHER_SHOPPER)))

    listing = list_orders(ALICE, OrderListQuery(), repository, USERS)

    assert [o.created_at[:10] for o in listing.orders] == ["2026-11-23", "2026-11-22", "2026-11-21"]
    assert listing.next_cursor is None


def test_an_admin_lists_every_order_newest_first() -> None:
    repository = InMemoryOrderRepository(
        stored(**owned_by(SHOPPER), created_at="2026-11-21T00:00:00Z"),
        stored(**owned_by(OTHER_SHOPPER), created_at="2026-11-22T00:00:00Z"),
    )

    listing = list_orders(THE_ADMIN, OrderListQuery(), repository, USERS)

    assert [o.username for o in listing.orders] == ["bob", "alice"]


@pytest.mark.parametrize("caller", [ALICE, THE_ADMIN], ids=["shopper", "admin"])
def test_a_status_listing_holds_only_that_status_newest_first(caller: Caller) -> None:
    shipped = [
        stored(**owned_by(SHOPPER), status="shipped", created_at=f"2026-11-2{day}T00:00:00Z")
        for day in (1, 2)
    ]
    repository = InMemoryOrderRepository(*shipped, stored(**owned_by(SHOPPER)))

    listing = list_orders(caller, OrderListQuery(status=OrderStatus.SHIPPED), repository, USERS)

    assert listing.orders == shipped[::-1]


def test_a_shopper_cannot_page_through_somebody_elses_orders() -> None:
    # Given a cursor into bob's orders
    repository = InMemoryOrderRepository(
        stored(**owned_by(OTHER_SHOPPER)), stored(**owned_by(OTHER_SHOPPER))
    )
    bobs_cursor = list_orders(BOB, OrderListQuery(limit=1), repository, USERS).next_cursor

    # Then alice cannot use it
    with pytest.raises(InvalidCursorError):
        list_orders(ALICE, OrderListQuery(cursor=bobs_cursor), repository, USERS)


def test_a_cursor_of_one_listing_is_refused_by_another() -> None:
    repository = InMemoryOrderRepository(stored(), stored())
    admins_cursor = list_orders(THE_ADMIN, OrderListQuery(limit=1), repository, USERS).next_cursor

    with pytest.raises(InvalidCursorError):
        list_orders(
            THE_ADMIN,
            OrderListQuery(limit=1, cursor=admins_cursor, status=OrderStatus.PENDING),
            repository,
            USERS,
        )


def test_a_shoppers_next_cursor_continues_their_listing() -> None:
    repository = InMemoryOrderRepository(*(stored(**owned_by(SHOPPER)) for _ in range(3)))

    first = list_orders(ALICE, OrderListQuery(limit=2), repository, USERS)
    rest = list_orders(ALICE, OrderListQuery(limit=2, cursor=first.next_cursor), repository, USERS)

    assert len(first.orders) == 2
    assert len(rest.orders) == 1
    assert rest.next_cursor is None


def test_an_admin_lists_one_customers_orders_by_username() -> None:
    alices = [stored(**owned_by(SHOPPER), created_at=f"2026-11-2{day}T00:00:00Z") for day in (1, 2)]
    repository = InMemoryOrderRepository(*alices, stored(**owned_by(OTHER_SHOPPER)))

    listing = list_orders(THE_ADMIN, OrderListQuery(customer="Alice"), repository, USERS)

    assert listing.orders == alices[::-1]


def test_a_customer_the_pool_does_not_have_is_a_404_naming_customer() -> None:
    with pytest.raises(NotFoundError) as refused:
        list_orders(THE_ADMIN, OrderListQuery(customer="nobody"), InMemoryOrderRepository(), USERS)

    assert [error.field for error in refused.value.errors] == ["customer"]


def test_a_shopper_cannot_list_a_customers_orders() -> None:
    with pytest.raises(ForbiddenError):
        list_orders(ALICE, OrderListQuery(customer="bob"), InMemoryOrderRepository(), USERS)


def test_only_an_admin_deletes_orders() -> None:
    desk = Desk(stored())
    (order,) = desk.repository.orders.values()

    with pytest.raises(ForbiddenError):
        desk.delete(ALICE, order)
    desk.delete(THE_ADMIN, order)

    assert desk.repository.orders == {}


def test_deleting_a_pending_order_gives_its_reserved_stock_back() -> None:
    desk = Desk()
    order = desk.place_lines((LAMP_ID, 1), (MUG_ID, 2))

    desk.delete(THE_ADMIN, order)

    assert desk.repository.orders == {}
    assert (desk.products.stock(MUG_ID), desk.products.stock(LAMP_ID)) == (5, None)


@pytest.mark.parametrize("status", ["shipped", "cancelled"])
def test_deleting_a_shipped_or_cancelled_order_leaves_the_stock_as_it_is(status: str) -> None:
    desk = Desk()
    order = desk.change(THE_ADMIN, desk.place_lines((MUG_ID, 2)), status)
    stock_before = desk.products.stock(MUG_ID)

    desk.delete(THE_ADMIN, order)

    assert desk.products.stock(MUG_ID) == stock_before


class CancelledMeanwhile(InMemoryOrderRepository):
    """The desk's orders, where a cancel lands between a delete's read and its write, once."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(products=desk.products)
        self.orders = desk.repository.orders
        self._cancel: Callable[[Order], object] | None = lambda order: desk.change(
            THE_ADMIN, order, "cancelled"
        )

    def delete(self, order: Order, *, restock: Sequence[OrderLine] = ()) -> None:
        if self._cancel is not None:
            cancel, self._cancel = self._cancel, None
            cancel(order)
        super().delete(order, restock=restock)


def test_an_order_cancelled_while_it_is_deleted_gives_its_stock_back_once() -> None:
    # Given a pending order of 2 mugs (3 left), cancelled by someone between the read and
    # the write of its deletion
    desk = Desk()
    order = desk.place_lines((MUG_ID, 2))
    racing = CancelledMeanwhile(desk)
    # When the admin deletes it
    delete_order(THE_ADMIN, UUID(order.order_id), racing, desk.products, desk.pauses.append)
    # Then it is gone, and the 2 mugs came back once (by the cancel), not twice
    assert racing.orders == {}
    assert desk.products.stock(MUG_ID) == 5
