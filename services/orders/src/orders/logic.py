"""The orders rules, pure and typed: storage, products, idempotency records, time, ids and
metrics come in as arguments."""

from collections.abc import Callable
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
    Order,
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
from shop_common.pricing import line_total

# How long a creation's response is replayed for a retry with the same Idempotency-Key.
IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60


class OrderRepository(Protocol):
    def get(self, order_id: str) -> Order | None: ...

    def add(self, order: Order) -> None:
        """Store a new order; `ConflictError` if its id is taken."""
        ...

    def update_status(self, order: Order, change: StatusChange) -> Order:
        """Move `order` to `change.status`, adding `change` to its history, if it is still
        as read (same status and version), and return it as stored; `ConflictError` if it
        changed meanwhile."""
        ...

    def delete(self, order_id: str) -> None:
        """Remove an order; `NotFoundError` if there is none with that id."""
        ...

    def page(self, listing: Listing, *, limit: int, cursor: str | None) -> CursorPage[Order]:
        """A page of `listing` (one Query reading at most `limit` + 1 orders); a cursor
        that `listing` did not issue is an `InvalidCursorError`."""
        ...


class ProductCatalog(Protocol):
    def get(self, product_id: str) -> ProductSnapshot | None: ...


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
    ) -> None:
        self._repository = repository
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
        """A new pending order, priced from the product. With an `idempotency_key`, a retry
        of the same order gets the first response back and nothing new is stored."""
        owner = self._owner(caller, request)
        new_order = NewOrder(
            placed_by=Account(sub=caller.sub, username=caller.username),
            owner_sub=owner.sub,
            username=owner.username,
            product_id=str(request.product_id),
            quantity=request.quantity,
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
        as read: of two concurrent changes, the second gets `ConflictError`."""
        order = visible_order(caller, request.order_id, self._repository)
        _require_unchanged_fields(order, request)
        check_transition(order.status, request.status, role_of(caller, order.owner_sub))
        change = StatusChange(
            status=request.status,
            at=iso_timestamp(self._clock()),
            sub=caller.sub,
            username=caller.username,
        )
        changed = self._repository.update_status(order, change)
        self._metrics.status_changed(changed)
        return changed

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
        product = self._products.get(new_order.product_id)
        if product is None:
            raise NotFoundError(
                f"Product {new_order.product_id} not found",
                [FieldError("product_id", "no such product")],
            )
        now = iso_timestamp(self._clock())
        order = Order(
            order_id=self._new_id(),
            owner_sub=new_order.owner_sub,
            username=new_order.username,
            product_id=new_order.product_id,
            product_name=product.name,
            unit_price=product.price,
            quantity=new_order.quantity,
            total_price=line_total(product.price, new_order.quantity),
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
        self._repository.add(order)
        self._metrics.order_created(order)
        return order


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
    errors = []
    if request.product_id is not None and str(request.product_id) != order.product_id:
        errors.append(FieldError("product_id", f"is {order.product_id} on this order"))
    if request.quantity is not None and request.quantity != order.quantity:
        errors.append(FieldError("quantity", f"is {order.quantity} on this order"))
    if errors:
        raise InvalidRequestError("Only the status of an order can change", errors)
