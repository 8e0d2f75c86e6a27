"""`POST /order`'s desk: places orders (once per Idempotency-Key when the client sends
one) and moves them through the status machine."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from aws_lambda_powertools.utilities.typing import LambdaContext

from orders.logic.placing import OrderPlacing
from orders.logic.ports import OrderMetrics, OrderRepository, ProductCatalog, UserDirectory
from orders.logic.retries import Pause
from orders.logic.status_changes import StatusChanges
from orders.metrics import CLOUDWATCH_ORDER_METRICS
from orders.models import CreationAttempt, NewOrderRequest, Order, OrderRequest, StatusChangeRequest
from shop_common.caller import Caller
from shop_common.clock import Clock, IdFactory, new_id, utc_now

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import BasePersistenceLayer

    from orders.logic.idempotency import OncePerKey


@dataclass(frozen=True)
class UpsertedOrder:
    order: Order
    created: bool


class OrderDesk:
    def __init__(
        self,
        repository: OrderRepository,
        products: ProductCatalog,
        idempotency_store: Callable[[], "BasePersistenceLayer"],
        users: UserDirectory,
        *,
        clock: Clock = utc_now,
        id_factory: IdFactory = new_id,
        metrics: OrderMetrics = CLOUDWATCH_ORDER_METRICS,
        pause: Pause = time.sleep,
        currency: str,
    ) -> None:
        """`currency`: the shop's (ISO 4217), the one every order is priced in; `pause`
        waits between the attempts of a write that lost a race; `idempotency_store` makes
        the idempotency records' store, at the first order placed with an Idempotency-Key."""
        self._placing = OrderPlacing(
            repository,
            products,
            users,
            clock=clock,
            id_factory=id_factory,
            metrics=metrics,
            pause=pause,
            currency=currency,
        )
        self._idempotency_store = idempotency_store
        self._status_changes = StatusChanges(
            repository, products, clock=clock, metrics=metrics, pause=pause
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
        new_order = self._placing.new_order(caller, request)
        if idempotency_key is None:
            return self._placing.place(new_order)
        attempt = CreationAttempt(
            caller=caller.sub, idempotency_key=idempotency_key, order=new_order
        )
        return self._once.place(attempt, lambda_context)

    @cached_property
    def _once(self) -> "OncePerKey":
        # Imported and made here, not at cold start: Powertools' idempotency utility, its
        # pydantic serializer and the store's client serve only orders sent with a key.
        from orders.logic.idempotency import OncePerKey

        return OncePerKey(self._placing.place, self._idempotency_store())

    def change_status(self, caller: Caller, request: StatusChangeRequest) -> Order:
        """Move an order along the status machine (`status_changes`)."""
        return self._status_changes.change(caller, request)
