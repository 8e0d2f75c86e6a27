"""Which index serves which `GET /orders` listing, and the attributes that put an order in
it. Pure: the repository and the tests' in-memory table read the same definitions.

    listing                      index          partition key       sort key
    admin, newest first          Newest         kind = "order"      created_at
    admin, ?status=              ByStatus       status              created_at
    shopper, newest first        ByOwner        owner_sub           created_at
    shopper, ?status=            ByOwnerStatus  owner_status        created_at

Every listing is newest first and reads one partition (docs/ARCHITECTURE.md has the
partition arithmetic).
"""

from orders.models import Order, OrderStatus
from shop_common.pagination import Listing

NEWEST_INDEX = "Newest"
BY_STATUS_INDEX = "ByStatus"
BY_OWNER_INDEX = "ByOwner"
BY_OWNER_STATUS_INDEX = "ByOwnerStatus"
ORDER_KIND = "order"
_TABLE_KEY = ("order_id",)
_SORT_KEY = "created_at"


def owner_status(owner_sub: str, status: OrderStatus) -> str:
    return f"{owner_sub}#{status}"


def index_attributes(order: Order) -> dict[str, str]:
    """What an order stores besides its own fields so that every listing's index holds it."""
    return {"kind": ORDER_KIND, "owner_status": owner_status(order.owner_sub, order.status)}


def order_listing(owner_sub: str | None, status: OrderStatus | None) -> Listing:
    """The orders of `owner_sub` (every order when None), of one `status` if given."""
    if owner_sub is None and status is None:
        return _newest_first("orders", NEWEST_INDEX, "kind", ORDER_KIND)
    if owner_sub is None:
        return _newest_first(f"orders/status/{status}", BY_STATUS_INDEX, "status", str(status))
    if status is None:
        return _newest_first("orders/owner", BY_OWNER_INDEX, "owner_sub", owner_sub)
    return _newest_first(
        f"orders/owner/status/{status}",
        BY_OWNER_STATUS_INDEX,
        "owner_status",
        owner_status(owner_sub, status),
    )


def _newest_first(name: str, index: str, partition_key: str, partition_value: str) -> Listing:
    return Listing(
        name=name,
        index=index,
        partition_key=partition_key,
        partition_value=partition_value,
        sort_key=_SORT_KEY,
        table_key=_TABLE_KEY,
        descending=True,
    )
