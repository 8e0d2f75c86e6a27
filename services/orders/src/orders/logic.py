"""The orders rules, pure and typed: storage, products, idempotency records, time, ids and
metrics come in as arguments."""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from aws_lambda_powertools.utilities.idempotency import (
    BasePersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import (
    PydanticSerializer,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders.listings import order_listing
from orders.metrics import CLOUDWATCH_ORDER_METRICS
from orders.models import (
    IDEMPOTENCY_KEY_HEADER,
    Account,
    CreationAttempt,
    NewOrder,
    NewOrderRequest,
    OneLineOrderRequest,
    Order,
    OrderedLine,
    OrderLine,
    OrderListQuery,
    OrderRequest,
    OrderStatus,
    ProductSnapshot,
    StatusChange,
    StatusChangeRequest,
)
from orders.status import check_transition, role_of
from shop_common.caller import Caller
from shop_common.clock import Clock, IdFactory, iso_timestamp, new_id, utc_now
from shop_common.errors import (
    ConflictError,
    FieldError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
)
from shop_common.pagination import CursorPage, Listing
from shop_common.pricing import basket_total, line_total
from shop_common.retry import retrying_stale_reads

# How long a creation's response is replayed for a retry with the same Idempotency-Key.
IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60
# A write based on products that changed meanwhile (a price, whether the stock is tracked,
# a deletion) reads them again and retries, at most this many times in all.
MAX_WRITE_ATTEMPTS = 3


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

    def delete(self, order_id: str) -> None:
        """Remove an order; `NotFoundError` if there is none with that id."""
        ...

    def page(self, listing: Listing, *, limit: int, cursor: str | None) -> CursorPage[Order]:
        """A page of `listing` (one Query reading at most `limit` + 1 orders); a cursor
        that `listing` did not issue is an `InvalidCursorError`."""
        ...


class ProductCatalog(Protocol):
    def get_many(self, product_ids: Sequence[str]) -> dict[str, ProductSnapshot]:
        """The products among `product_ids` (at most 50) that exist, by id, as they are now."""
        ...


class UserDirectory(Protocol):
    def find(self, username: str) -> Account | None:
        """The existing user of that name (as the user pool spells it), or None."""
        ...


class OrderMetrics(Protocol):
    def order_created(self, order: Order) -> None: ...

    def status_changed(self, order: Order) -> None: ...


@dataclass(frozen=True)
class OrderListing:
    orders: list[Order]
    next_cursor: str | None


@dataclass(frozen=True)
class UpsertedOrder:
    order: Order
    created: bool


def list_orders(caller: Caller, query: OrderListQuery, repository: OrderRepository) -> OrderListing:
    """Newest first: every order for an admin, only their own for a shopper; of one status
    with `?status=`. Each is one index partition, so a page reads only itself (and one more)."""
    listing = order_listing(None if caller.is_admin else caller.sub, query.status)
    page = repository.page(listing, limit=query.limit, cursor=query.cursor)
    return OrderListing(page.items, page.next_cursor)


def get_order(caller: Caller, order_id: UUID, repository: OrderRepository) -> Order:
    """`GET /order/{order_id}`: the order with its history, for its owner or an admin."""
    return visible_order(caller, order_id, repository)


def delete_order(caller: Caller, order_id: UUID, repository: OrderRepository) -> None:
    if not caller.is_admin:
        raise ForbiddenError("Only an admin may delete orders")
    repository.delete(str(order_id))


class OrderDesk:
    """Places orders (once per Idempotency-Key when the client sends one) and moves them
    through the status machine."""

    def __init__(
        self,
        repository: OrderRepository,
        products: ProductCatalog,
        idempotency_store: BasePersistenceLayer,
        users: UserDirectory,
        *,
        clock: Clock = utc_now,
        id_factory: IdFactory = new_id,
        metrics: OrderMetrics = CLOUDWATCH_ORDER_METRICS,
        pause: Callable[[float], None] = time.sleep,
        currency: str,
    ) -> None:
        """`currency`: the shop's (ISO 4217), the one every order is priced in; `pause`
        waits between the attempts of a write that lost a race."""
        self._pause = pause
        self._repository = repository
        self._currency = currency
        self._products = products
        self._users = users
        self._clock = clock
        self._new_id = id_factory
        self._metrics = metrics
        self._idempotency = IdempotencyConfig(
            event_key_jmespath="[caller, idempotency_key]",
            payload_validation_jmespath="order",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=IDEMPOTENCY_TTL_SECONDS,
        )
        self._place_once: Callable[..., Order] = idempotent_function(
            self._place_attempt,
            data_keyword_argument="attempt",
            persistence_store=idempotency_store,
            config=self._idempotency,
            output_serializer=PydanticSerializer(Order),
        )

    def upsert(
        self,
        caller: Caller,
        request: OrderRequest,
        *,
        idempotency_key: str | None,
        lambda_context: LambdaContext,
    ) -> UpsertedOrder:
        """`POST /order`: a status change, or a new order (`created`)."""
        if isinstance(request, StatusChangeRequest):
            return UpsertedOrder(self.change_status(caller, request), created=False)
        order = self.place(
            caller, request, idempotency_key=idempotency_key, lambda_context=lambda_context
        )
        return UpsertedOrder(order, created=True)

    def place(
        self,
        caller: Caller,
        request: NewOrderRequest,
        *,
        idempotency_key: str | None,
        lambda_context: LambdaContext,
    ) -> Order:
        """A new pending order, each line priced from its product, its stock reserved.
        With an `idempotency_key`, a retry of the same order gets the first response back
        and nothing new is stored (nor reserved)."""
        owner = self._owner(caller, request)
        new_order = NewOrder(
            placed_by=Account(sub=caller.sub, username=caller.username),
            owner_sub=owner.sub,
            username=owner.username,
            lines=[
                OrderedLine(product_id=str(line.product_id), quantity=line.quantity)
                for line in request.order_lines()
            ],
            one_line_form=isinstance(request, OneLineOrderRequest),
        )
        if idempotency_key is None:
            return self._place(new_order)
        # The in-progress record expires with this invocation if it is cut short.
        self._idempotency.register_lambda_context(lambda_context)
        attempt = CreationAttempt(
            caller=caller.sub, idempotency_key=idempotency_key, order=new_order
        )
        try:
            return self._place_once(attempt=attempt)
        except IdempotencyValidationError as exc:
            raise ConflictError(
                f"This {IDEMPOTENCY_KEY_HEADER} was already used for a different order",
                [FieldError(IDEMPOTENCY_KEY_HEADER, "already used with another request body")],
            ) from exc
        except IdempotencyAlreadyInProgressError as exc:
            raise ConflictError(
                f"A request with this {IDEMPOTENCY_KEY_HEADER} is still in progress",
                [FieldError(IDEMPOTENCY_KEY_HEADER, "in progress: retry later")],
            ) from exc

    def change_status(self, caller: Caller, request: StatusChangeRequest) -> Order:
        """Move an order along the status machine, as a write conditional on the order being
        as read: of two concurrent changes, the second gets `ConflictError`. Cancelling
        gives the reserved stock back in the same write."""
        order = visible_order(caller, request.order_id, self._repository)
        _require_unchanged_fields(order, request)
        check_transition(order.status, request.status, role_of(caller, order.owner_sub))
        change = StatusChange(
            status=request.status,
            at=iso_timestamp(self._clock()),
            sub=caller.sub,
            username=caller.username,
        )
        if change.status is OrderStatus.CANCELLED:
            changed = self._cancel(order, change)
        else:
            changed = self._repository.update_status(order, change)
        self._metrics.status_changed(changed)
        return changed

    def _cancel(self, order: Order, change: StatusChange) -> Order:
        """The stock its lines reserved goes back to the products that still track it (a
        deleted product's line is a snapshot: nothing to give back)."""
        return retrying_stale_reads(
            lambda: self._repository.update_status(order, change, restock=self._restockable(order)),
            self._pause,
            MAX_WRITE_ATTEMPTS,
        )

    def _restockable(self, order: Order) -> list[OrderLine]:
        reserved = [line for line in order.lines if line.stock_reserved]
        if not reserved:
            return []
        products = self._products.get_many([line.product_id for line in reserved])
        return [
            line
            for line in reserved
            if (product := products.get(line.product_id)) and product.stock is not None
        ]

    def _owner(self, caller: Caller, request: NewOrderRequest) -> Account:
        """The caller, or for an admin naming one, the existing user they order for."""
        if not (caller.is_admin and request.username):
            return Account(sub=caller.sub, username=caller.username)
        account = self._users.find(request.username)
        if account is None:
            raise NotFoundError(
                f"User {request.username} not found", [FieldError("username", "no such user")]
            )
        return account

    def _place_attempt(self, attempt: CreationAttempt) -> Order:
        return self._place(attempt.order)

    def _place(self, new_order: NewOrder) -> Order:
        """Priced from the products as they are; placed if they are still so when written
        (else read again, a bounded number of times)."""
        order_id = self._new_id()
        now = iso_timestamp(self._clock())

        def place_as_priced_now() -> Order:
            order = self._priced(new_order, order_id, now)
            self._repository.place(order)
            return order

        order = retrying_stale_reads(place_as_priced_now, self._pause, MAX_WRITE_ATTEMPTS)
        self._metrics.order_created(order)
        return order

    def _priced(self, new_order: NewOrder, order_id: str, now: str) -> Order:
        products = self._products.get_many([line.product_id for line in new_order.lines])
        _require_known_products(new_order, products)
        lines = [_priced_line(products[line.product_id], line.quantity) for line in new_order.lines]
        return Order(
            order_id=order_id,
            owner_sub=new_order.owner_sub,
            username=new_order.username,
            lines=lines,
            total_price=basket_total(line.line_total for line in lines),
            currency=self._currency,
            status=OrderStatus.PENDING,
            created_at=now,
            updated_at=now,
            version=1,
            history=[
                StatusChange(
                    status=OrderStatus.PENDING,
                    at=now,
                    sub=new_order.placed_by.sub,
                    username=new_order.placed_by.username,
                )
            ],
        )


def _priced_line(product: ProductSnapshot, quantity: int) -> OrderLine:
    """A line as ordered now: the product's name and price copied, its stock reserved if
    the product tracks stock."""
    return OrderLine(
        product_id=product.product_id,
        product_name=product.name,
        unit_price=product.price,
        quantity=quantity,
        line_total=line_total(product.price, quantity),
        stock_reserved=product.stock is not None,
    )


def _require_known_products(new_order: NewOrder, products: dict[str, ProductSnapshot]) -> None:
    unknown = [
        (index, line.product_id)
        for index, line in enumerate(new_order.lines)
        if line.product_id not in products
    ]
    if unknown:
        raise NotFoundError(
            f"Product {', '.join(product_id for _, product_id in unknown)} not found",
            [FieldError(new_order.product_field(index), "no such product") for index, _ in unknown],
        )


def visible_order(caller: Caller, order_id: UUID, repository: OrderRepository) -> Order:
    """The order, if the caller may see it (its owner or an admin): somebody else's is as
    absent as a missing one."""
    order = repository.get(str(order_id))
    if order is None or not (caller.is_admin or order.owner_sub == caller.sub):
        raise NotFoundError(
            f"Order {order_id} not found", [FieldError("order_id", "no such order")]
        )
    return order


def _require_unchanged_fields(order: Order, request: StatusChangeRequest) -> None:
    """What a status change echoes of the order's lines must be the order's own."""
    ordered = {line.product_id: line.quantity for line in order.lines}
    errors = []
    if request.lines is not None:
        echoed = {str(line.product_id): line.quantity for line in request.lines}
        if echoed != ordered or len(request.lines) != len(order.lines):
            errors.append(FieldError("lines", "are not this order's lines"))
    if request.product_id is not None or request.quantity is not None:
        errors.extend(_seed_fields_errors(order, request))
    if errors:
        raise InvalidRequestError("Only the status of an order can change", errors)


def _seed_fields_errors(order: Order, request: StatusChangeRequest) -> list[FieldError]:
    """A seed client's echoed `product_id` and `quantity`: a one-line order's line."""
    if len(order.lines) != 1:
        lines = f"this order has {len(order.lines)} lines"
        return [
            FieldError(field, lines)
            for field, value in (("product_id", request.product_id), ("quantity", request.quantity))
            if value is not None
        ]
    (line,) = order.lines
    errors = []
    if request.product_id is not None and str(request.product_id) != line.product_id:
        errors.append(FieldError("product_id", f"is {line.product_id} on this order"))
    if request.quantity is not None and request.quantity != line.quantity:
        errors.append(FieldError("quantity", f"is {line.quantity} on this order"))
    return errors
