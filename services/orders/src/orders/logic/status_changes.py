"""Moving an order along the status machine, as a write conditional on the order being as
read; cancelling gives the reserved stock back in the same write, and so does deleting a
pending order (an admin's)."""

from uuid import UUID

from orders.logic.access import visible_order
from orders.logic.ports import OrderMetrics, OrderRepository, ProductCatalog
from orders.logic.retries import Pause, retrying_stale_reads
from orders.models import Order, OrderLine, OrderStatus, StatusChange, StatusChangeRequest
from orders.status import check_transition, role_of
from shop_common.caller import Caller
from shop_common.clock import Clock, iso_timestamp
from shop_common.errors import FieldError, ForbiddenError, InvalidRequestError


class StatusChanges:
    def __init__(
        self,
        repository: OrderRepository,
        products: ProductCatalog,
        *,
        clock: Clock,
        metrics: OrderMetrics,
        pause: Pause,
    ) -> None:
        self._repository = repository
        self._products = products
        self._clock = clock
        self._metrics = metrics
        self._pause = pause

    def change(self, caller: Caller, request: StatusChangeRequest) -> Order:
        """Of two concurrent changes, the second gets `ConflictError`."""
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
        return retrying_stale_reads(
            lambda: self._repository.update_status(
                order, change, restock=restockable(order, self._products)
            ),
            self._pause,
        )


def delete_order(
    caller: Caller,
    order_id: UUID,
    repository: OrderRepository,
    products: ProductCatalog,
    pause: Pause,
) -> None:
    """An admin removes an order. A pending one gives its reserved stock back in the same
    write, as a cancel would (a shipped one's stock has left, a cancelled one's is back);
    one that changed between the read and the delete is read again."""
    if not caller.is_admin:
        raise ForbiddenError("Only an admin may delete orders")

    def attempt() -> None:
        order = visible_order(caller, order_id, repository)
        pending = order.status is OrderStatus.PENDING
        repository.delete(order, restock=restockable(order, products) if pending else [])

    retrying_stale_reads(attempt, pause)


def restockable(order: Order, products: ProductCatalog) -> list[OrderLine]:
    """The lines whose reserved stock goes back: those of products that still track it (a
    deleted product's line is a snapshot: nothing to give back)."""
    reserved = [line for line in order.lines if line.stock_reserved]
    if not reserved:
        return []
    found = products.get_many([line.product_id for line in reserved])
    return [
        line
        for line in reserved
        if (product := found.get(line.product_id)) and product.stock is not None
    ]


def _require_unchanged_fields(order: Order, request: StatusChangeRequest) -> None:
    """What a status change echoes of the order (its lines, its address) must be the
    order's own."""
    ordered = {line.product_id: line.quantity for line in order.lines}
    errors = []
    if request.lines is not None:
        echoed = {str(line.product_id): line.quantity for line in request.lines}
        if echoed != ordered or len(request.lines) != len(order.lines):
            errors.append(FieldError("lines", "are not this order's lines"))
    if request.product_id is not None or request.quantity is not None:
        errors.extend(_one_line_form_errors(order, request))
    if request.address is not None and request.address != order.address:
        errors.append(FieldError("address", "is not this order's address"))
    if errors:
        raise InvalidRequestError("Only the status of an order can change", errors)


def _one_line_form_errors(order: Order, request: StatusChangeRequest) -> list[FieldError]:
    """An echoed `product_id` and `quantity` (the one-line form of an order): a one-line
    order's line."""
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
