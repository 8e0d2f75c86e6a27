"""Who may see orders: the listings, one order."""

from dataclasses import dataclass
from uuid import UUID

from orders.listings import order_listing
from orders.logic.ports import OrderRepository, UserDirectory
from orders.models import Order, OrderListQuery
from shop_common.caller import Caller
from shop_common.errors import FieldError, ForbiddenError, NotFoundError


@dataclass(frozen=True)
class OrderListing:
    orders: list[Order]
    next_cursor: str | None


def list_orders(
    caller: Caller, query: OrderListQuery, repository: OrderRepository, users: UserDirectory
) -> OrderListing:
    """Newest first: every order for an admin (or one customer's, `?customer=` a username),
    only their own for a shopper; of one status with `?status=`. Each is one index
    partition, so a page reads only itself (and one more)."""
    listing = order_listing(listed_owner(caller, query, users), query.status)
    page = repository.page(listing, limit=query.limit, cursor=query.cursor)
    return OrderListing(page.items, page.next_cursor)


def listed_owner(caller: Caller, query: OrderListQuery, users: UserDirectory) -> str | None:
    """The `sub` whose orders are listed (None: everybody's)."""
    if query.customer is None:
        return None if caller.is_admin else caller.sub
    if not caller.is_admin:
        raise ForbiddenError("Only an admin may list a customer's orders")
    account = users.find(query.customer)
    if account is None:
        raise NotFoundError(
            f"User {query.customer} not found", [FieldError("customer", "no such user")]
        )
    return account.sub


def get_order(caller: Caller, order_id: UUID, repository: OrderRepository) -> Order:
    """`GET /order/{order_id}`: the order with its history, for its owner or an admin."""
    return visible_order(caller, order_id, repository)


def visible_order(caller: Caller, order_id: UUID, repository: OrderRepository) -> Order:
    """The order, if the caller may see it (its owner or an admin): somebody else's is as
    absent as a missing one."""
    order = repository.get(str(order_id))
    if order is None or not (caller.is_admin or order.owner_sub == caller.sub):
        raise NotFoundError(
            f"Order {order_id} not found", [FieldError("order_id", "no such order")]
        )
    return order
