"""Placing an order: whose it is, each line priced from its product as it is now and its
stock reserved, written if the products are still so (else priced again)."""

from orders.logic.ports import OrderMetrics, OrderRepository, ProductCatalog, UserDirectory
from orders.logic.retries import Pause, retrying_stale_reads
from orders.models import (
    Account,
    NewOrder,
    NewOrderRequest,
    OneLineOrderRequest,
    Order,
    OrderedLine,
    OrderLine,
    OrderStatus,
    StatusChange,
)
from shop_common.caller import Caller
from shop_common.clock import Clock, IdFactory, iso_timestamp
from shop_common.errors import FieldError, NotFoundError
from shop_common.pricing import basket_total, line_total
from shop_common.product import Product


class OrderPlacing:
    """New pending orders in the shop's `currency` (ISO 4217); `pause` waits between the
    attempts of a write that lost a race."""

    def __init__(
        self,
        repository: OrderRepository,
        products: ProductCatalog,
        users: UserDirectory,
        *,
        clock: Clock,
        id_factory: IdFactory,
        metrics: OrderMetrics,
        pause: Pause,
        currency: str,
    ) -> None:
        self._repository = repository
        self._products = products
        self._users = users
        self._clock = clock
        self._new_id = id_factory
        self._metrics = metrics
        self._pause = pause
        self._currency = currency

    def new_order(self, caller: Caller, request: NewOrderRequest) -> NewOrder:
        """The order to place: the caller's rights applied to what they asked for."""
        owner = self._owner(caller, request)
        return NewOrder(
            placed_by=Account(sub=caller.sub, username=caller.username),
            owner_sub=owner.sub,
            username=owner.username,
            lines=[
                OrderedLine(product_id=str(line.product_id), quantity=line.quantity)
                for line in request.order_lines()
            ],
            address=request.address,
            one_line_form=isinstance(request, OneLineOrderRequest),
        )

    def place(self, new_order: NewOrder) -> Order:
        """Priced from the products as they are; placed if they are still so when written
        (else read again, a bounded number of times)."""
        order_id = self._new_id()
        now = iso_timestamp(self._clock())

        def place_as_priced_now() -> Order:
            order = self._priced(new_order, order_id, now)
            self._repository.place(order)
            return order

        order = retrying_stale_reads(place_as_priced_now, self._pause)
        self._metrics.order_created(order)
        return order

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

    def _priced(self, new_order: NewOrder, order_id: str, now: str) -> Order:
        products = self._products.get_many([line.product_id for line in new_order.lines])
        _require_known_products(new_order, products)
        lines = [_priced_line(products[line.product_id], line.quantity) for line in new_order.lines]
        return Order(
            order_id=order_id,
            owner_sub=new_order.owner_sub,
            username=new_order.username,
            lines=lines,
            address=new_order.address,
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


def _priced_line(product: Product, quantity: int) -> OrderLine:
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


def _require_known_products(new_order: NewOrder, products: dict[str, Product]) -> None:
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
