"""Which index serves which `GET /orders` listing; no two listings share a cursor."""

from itertools import permutations

import pytest

from orders.listings import index_attributes, order_listing
from orders.models import Order, OrderStatus
from shop_common.errors import InvalidCursorError
from shop_common.pagination import Listing
from tests.builders.callers import OTHER_SHOPPER, SHOPPER
from tests.builders.data import order_item, owned_by

LISTINGS = {
    "admin": order_listing(None, None),
    "admin shipped": order_listing(None, OrderStatus.SHIPPED),
    "admin pending": order_listing(None, OrderStatus.PENDING),
    "alice": order_listing(SHOPPER.sub, None),
    "alice shipped": order_listing(SHOPPER.sub, OrderStatus.SHIPPED),
    "alice pending": order_listing(SHOPPER.sub, OrderStatus.PENDING),
    "bob": order_listing(OTHER_SHOPPER.sub, None),
    "bob shipped": order_listing(OTHER_SHOPPER.sub, OrderStatus.SHIPPED),
}


@pytest.mark.parametrize(
    ("owner", "status", "index"),
    [
        (None, None, "Newest"),
        (None, OrderStatus.SHIPPED, "ByStatus"),
        (SHOPPER.sub, None, "ByOwner"),
        (SHOPPER.sub, OrderStatus.SHIPPED, "ByOwnerStatus"),
    ],
)
def test_each_listing_is_newest_first_on_its_own_index(
    owner: str | None, status: OrderStatus | None, index: str
) -> None:
    listing = order_listing(owner, status)

    assert (listing.index, listing.sort_key, listing.descending) == (index, "created_at", True)


def test_an_order_carries_the_partition_of_every_listing_it_belongs_to() -> None:
    order = Order.model_validate(order_item(**owned_by(SHOPPER), status="shipped"))
    item = {**order.model_dump(mode="json"), **index_attributes(order)}

    belongs = {name for name, listing in LISTINGS.items() if _in(listing, item)}

    assert belongs == {"admin", "admin shipped", "alice", "alice shipped"}


@pytest.mark.parametrize(("issuer", "reader"), list(permutations(LISTINGS, 2)))
def test_a_cursor_of_one_listing_is_refused_by_every_other(issuer: str, reader: str) -> None:
    order = Order.model_validate(order_item(**owned_by(SHOPPER)))
    item = {**order.model_dump(mode="json"), **index_attributes(order)}
    item[LISTINGS[issuer].partition_key] = LISTINGS[issuer].partition_value
    cursor = LISTINGS[issuer].cursor_after(item)

    with pytest.raises(InvalidCursorError):
        LISTINGS[reader].start_key(cursor)


def _in(listing: Listing, item: dict[str, object]) -> bool:
    return item.get(listing.partition_key) == listing.partition_value
