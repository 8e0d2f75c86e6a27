"""In-memory stand-ins for the orders service's tables, idempotency records and metrics."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aws_lambda_powertools.utilities.idempotency import BasePersistenceLayer
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyItemAlreadyExistsError,
    IdempotencyItemNotFoundError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord

from orders.listings import index_attributes
from orders.models import Account, Order, OrderLine, StatusChange
from shop_common.errors import ConflictError, FieldError, StaleReadError
from shop_common.pagination import CursorPage, Listing
from shop_common.product import Product


class InMemoryProductCatalog:
    def __init__(self, products: dict[str, Product]) -> None:
        self.products = products
        # Run inside every lookup, before and after it reads: a test's way to make something
        # happen mid-request.
        self.during_lookup: Callable[[], None] = lambda: None
        self.after_lookup: Callable[[], None] = lambda: None
        self.lookups = 0

    def get_many(self, product_ids: Sequence[str]) -> dict[str, Product]:
        self.lookups += 1
        self.during_lookup()
        read = {pid: self.products[pid] for pid in product_ids if pid in self.products}
        self.after_lookup()
        return read

    def stock(self, product_id: str) -> int | None:
        return self.products[product_id].stock

    def set_stock(self, product_id: str, stock: int | None) -> None:
        self.products[product_id] = self.products[product_id].model_copy(update={"stock": stock})


class InMemoryOrderRepository:
    """The Orders table's observable behaviour, conditional writes included, and the
    Products table's stock (in `products`) reserved and given back in the same write."""

    def __init__(self, *orders: Order, products: InMemoryProductCatalog | None = None) -> None:
        self.orders = {order.order_id: order for order in orders}
        self.products = products or InMemoryProductCatalog({})

    def get(self, order_id: str) -> Order | None:
        return self.orders.get(order_id)

    def place(self, order: Order) -> None:
        if order.order_id in self.orders:
            raise ConflictError(f"Order {order.order_id} already exists")
        short = []
        for index, line in enumerate(order.lines):
            product = self.products.products.get(line.product_id)
            tracked = product is not None and product.stock is not None
            if (
                product is None
                or product.price != line.unit_price
                or tracked != line.stock_reserved
            ):
                raise StaleReadError(f"Product {line.product_id} changed meanwhile")
            if product.stock is not None and product.stock < line.quantity:
                short.append(FieldError(f"lines.{index}.quantity", f"only {product.stock} left"))
        if short:
            raise ConflictError("Not enough stock", short)
        for line in order.lines:
            if line.stock_reserved:
                stock = self.products.stock(line.product_id)
                self.products.set_stock(line.product_id, (stock or 0) - line.quantity)
        self.orders[order.order_id] = order

    def update_status(
        self, order: Order, change: StatusChange, *, restock: Sequence[OrderLine] = ()
    ) -> Order:
        stored = self.orders.get(order.order_id)
        if stored is None or (stored.status, stored.version) != (order.status, order.version):
            raise ConflictError(f"Order {order.order_id} changed meanwhile")
        self._give_back(restock)
        changed = stored.model_copy(
            update={
                "status": change.status,
                "updated_at": change.at,
                "version": stored.version + 1,
                "history": [*stored.history, change],
            }
        )
        self.orders[order.order_id] = changed
        return changed

    def delete(self, order: Order, *, restock: Sequence[OrderLine] = ()) -> None:
        stored = self.orders.get(order.order_id)
        if stored is None or stored.version != order.version:
            raise StaleReadError(f"Order {order.order_id} changed meanwhile")
        self._give_back(restock)
        del self.orders[order.order_id]

    def _give_back(self, restock: Sequence[OrderLine]) -> None:
        """Each line's quantity back to its product, unless one no longer tracks stock."""
        if any(
            self.products.products.get(line.product_id) is None
            or self.products.stock(line.product_id) is None
            for line in restock
        ):
            raise StaleReadError("A product changed meanwhile")
        for line in restock:
            stock = self.products.stock(line.product_id)
            self.products.set_stock(line.product_id, (stock or 0) + line.quantity)

    def page(self, listing: Listing, *, limit: int, cursor: str | None) -> CursorPage[Order]:
        """As a Query on the listing's index: its partition, in (sort key, table key) order,
        after the cursor's key."""
        start = listing.start_key(cursor)
        items = sorted(
            (
                item
                for item in map(stored_item, self.orders.values())
                if item[listing.partition_key] == listing.partition_value
            ),
            key=lambda item: _position(listing, item),
            reverse=listing.descending,
        )
        if start is not None:
            after = _position(listing, start)
            items = [
                item
                for item in items
                if (
                    _position(listing, item) < after
                    if listing.descending
                    else _position(listing, item) > after
                )
            ]
        orders = [Order.model_validate(item) for item in items[:limit]]
        more = len(items) > limit
        return CursorPage(orders, listing.cursor_after(items[limit - 1]) if more else None)


def stored_item(order: Order) -> dict[str, Any]:
    """The order as the Orders table holds it, the listings' index attributes included."""
    return {
        **order.model_dump(),
        "lines": [line.stored() for line in order.lines],
        **index_attributes(order),
    }


def _position(listing: Listing, item: Mapping[str, Any]) -> tuple[str, ...]:
    return (str(item[listing.sort_key]), *(str(item[name]) for name in listing.table_key))


class StaleOrderRepository(InMemoryOrderRepository):
    """Returns every order as it was first read, as a request that read it just before a
    concurrent change would still see it."""

    def __init__(self, *orders: Order) -> None:
        super().__init__(*orders)
        self.first_reads: dict[str, Order | None] = {}

    def get(self, order_id: str) -> Order | None:
        if order_id not in self.first_reads:
            self.first_reads[order_id] = super().get(order_id)
        return self.first_reads[order_id]


class InMemoryUserDirectory:
    """A user pool's accounts, found by username whatever its case (as the bootstrap pool)."""

    def __init__(self, *accounts: Account) -> None:
        self.accounts = {account.username.lower(): account for account in accounts}

    def find(self, username: str) -> Account | None:
        return self.accounts.get(username.lower())


class InMemoryIdempotencyStore(BasePersistenceLayer):
    """Powertools idempotency records in a dict, written as DynamoDB's conditional put
    would: a key already held is refused (its record is then read and judged)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: dict[str, DataRecord] = {}

    def _get_record(self, idempotency_key: str) -> DataRecord:
        try:
            return self.records[idempotency_key]
        except KeyError as exc:
            raise IdempotencyItemNotFoundError from exc

    def _put_record(self, data_record: DataRecord) -> None:
        if data_record.idempotency_key in self.records:
            raise IdempotencyItemAlreadyExistsError
        self.records[data_record.idempotency_key] = data_record

    def _update_record(self, data_record: DataRecord) -> None:
        self.records[data_record.idempotency_key] = data_record

    def _delete_record(self, data_record: DataRecord) -> None:
        del self.records[data_record.idempotency_key]


class RecordingMetrics:
    def __init__(self) -> None:
        self.created: list[Order] = []
        self.status_changes: list[Order] = []

    def order_created(self, order: Order) -> None:
        self.created.append(order)

    def status_changed(self, order: Order) -> None:
        self.status_changes.append(order)


class KnownRecipients:
    """The user pool's e-mail addresses by `sub`."""

    def __init__(self, addresses: Mapping[str, str]) -> None:
        self.addresses = dict(addresses)

    def email_of(self, sub: str) -> str | None:
        return self.addresses.get(sub)
