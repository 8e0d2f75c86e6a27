"""What the orders rules need from outside: the Orders table, the products, the user pool
and the metrics (the repository module and the tests' fakes implement them)."""

from collections.abc import Sequence
from typing import Protocol

from orders.models import Account, Order, OrderLine, StatusChange
from shop_common.pagination import CursorPage, Listing
from shop_common.product import Product


class OrderRepository(Protocol):
    def get(self, order_id: str) -> Order | None: ...

    def place(self, order: Order) -> None:
        """Store a new order and, in the same transaction, take each line that reserves
        stock from its product's stock, if every product is still as the order was priced
        (same price, stock still tracked or untracked as read) and has enough. Nothing is
        written otherwise: `ConflictError` naming each short line and what it has left,
        `StaleReadError` if a product changed meanwhile, `ConflictError` if the id is taken."""
        ...

    def update_status(
        self, order: Order, change: StatusChange, *, restock: Sequence[OrderLine] = ()
    ) -> Order:
        """Move `order` to `change.status`, adding `change` to its history, if it is still
        as read (same status and version), and return it as stored; `ConflictError` if it
        changed meanwhile. Each line of `restock` gives its quantity back to its product's
        stock in the same transaction, if the product still tracks stock (`StaleReadError`
        if one no longer does)."""
        ...

    def delete(self, order: Order, *, restock: Sequence[OrderLine] = ()) -> None:
        """Remove the order if it is still as read, giving each `restock` line's quantity
        back to its product in the same write; `StaleReadError` if the order (changed or gone)
        or one of those products changed meanwhile."""
        ...

    def page(self, listing: Listing, *, limit: int, cursor: str | None) -> CursorPage[Order]:
        """A page of `listing` (one Query reading at most `limit` + 1 orders); a cursor
        that `listing` did not issue is an `InvalidCursorError`."""
        ...


class ProductCatalog(Protocol):
    def get_many(self, product_ids: Sequence[str]) -> dict[str, Product]:
        """The products among `product_ids` (at most 50) that exist, by id, as they are now."""
        ...


class UserDirectory(Protocol):
    def find(self, username: str) -> Account | None:
        """The existing user of that name (as the user pool spells it), or None."""
        ...


class OrderMetrics(Protocol):
    def order_created(self, order: Order) -> None: ...

    def status_changed(self, order: Order) -> None: ...
