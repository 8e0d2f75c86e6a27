"""The orders rules, pure and typed, one module per job: who may see and remove orders
(`access`), placing them (`placing`, once per Idempotency-Key: `idempotency`), moving them
through the status machine (`status_changes`), retrying a write that lost a race
(`retries`); `desk` puts placing and status changes behind `POST /order`. Storage,
products, users, idempotency records, time, ids and metrics come in as arguments
(`ports`)."""

from orders.logic.access import OrderListing, get_order, list_orders
from orders.logic.desk import OrderDesk, UpsertedOrder
from orders.logic.ports import OrderMetrics, OrderRepository, ProductCatalog, UserDirectory
from orders.logic.status_changes import delete_order

__all__ = [
    "OrderDesk",
    "OrderListing",
    "OrderMetrics",
    "OrderRepository",
    "ProductCatalog",
    "UpsertedOrder",
    "UserDirectory",
    "delete_order",
    "get_order",
    "list_orders",
]
