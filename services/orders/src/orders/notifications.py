"""The shopper's e-mails about their order, pure and typed: which change of the Orders table
deserves one (an order placed, shipped, delivered or cancelled), what it says, and sending
it once. They are sent after the write, from the table's stream (handlers/notify_order.py):
a failed e-mail is retried by the stream's event source and then kept in its dead-letter
queue, and never fails or repeats the order change itself."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol

from aws_lambda_powertools.utilities.idempotency import (
    BasePersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict

from orders.models import Address, Order, OrderStatus
from shop_common.notify import Email, Notifier

# What each status tells the shopper.
HEADLINES = {
    OrderStatus.PENDING: "placed",
    OrderStatus.SHIPPED: "shipped",
    OrderStatus.DELIVERED: "delivered",
    OrderStatus.CANCELLED: "cancelled",
}
NO_ADDRESS = "no address"
# An e-mail sent is remembered this long (a stream record lives 24 hours): a batch retried
# after a later record failed does not send it again.
SENT_TTL_SECONDS = 24 * 60 * 60


class RecipientDirectory(Protocol):
    """Where a shopper's e-mails go: the current address of the account `sub`, or None."""

    def email_of(self, sub: str) -> str | None: ...


class OrderEmail(BaseModel):
    """An e-mail due about one state of one order (its `version`: one e-mail per change)."""

    model_config = ConfigDict(frozen=True)

    order_id: str
    version: int
    owner_sub: str
    subject: str
    text: str


def due_email(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> OrderEmail | None:
    """The e-mail a change of an Orders item calls for: a new order, or a new status. Other
    writes (a migration, a deletion) call for none."""
    if not new:
        return None
    order = Order.model_validate(new)
    if old and old.get("status") == order.status:
        return None
    return OrderEmail(
        order_id=order.order_id,
        version=order.version,
        owner_sub=order.owner_sub,
        subject=f"Your order {short_id(order.order_id)} is {HEADLINES[order.status]}",
        text=render(order),
    )


def short_id(order_id: str) -> str:
    return order_id.split("-", 1)[0]


def render(order: Order) -> str:
    """The e-mail's text: its status, every line, the total and where it goes."""
    lines = [
        f"Hello {order.username},",
        "",
        f"Your order {order.order_id} is {HEADLINES[order.status]}.",
        "",
    ]
    for line in order.lines:
        lines.append(
            f"  {line.quantity} x {line.product_name} at "
            f"{_money(line.unit_price, order.currency)}: {_money(line.line_total, order.currency)}"
        )
    lines += [
        "",
        f"Total: {_money(order.total_price, order.currency)}",
        "",
        "Delivery address:",
        *(f"  {text}" for text in address_lines(order.address)),
        "",
        "Thank you for shopping with us.",
    ]
    return "\n".join(lines) + "\n"


def address_lines(address: Address | None) -> list[str]:
    """The delivery address as printed on a label, or `no address` (an order placed before
    the shop asked for one)."""
    if address is None:
        return [NO_ADDRESS]
    printed = [address.name, *address.lines, f"{address.postcode} {address.city}", address.country]
    return [*printed, address.phone] if address.phone else printed


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:.2f} {currency}"


class OrderMailer:
    """Sends each due e-mail once: keyed by the order and its version in Powertools'
    idempotency records, so a stream batch retried from an earlier failed record skips what
    was sent; a failed send leaves no record, so its retry sends it."""

    def __init__(
        self,
        recipients: RecipientDirectory,
        notifier: Notifier,
        sent_store: BasePersistenceLayer,
    ) -> None:
        self._recipients = recipients
        self._notifier = notifier
        self._config = IdempotencyConfig(
            event_key_jmespath="[order_id, version]",
            expires_after_seconds=SENT_TTL_SECONDS,
            raise_on_no_idempotency_key=True,
        )
        self._send_once = idempotent_function(
            self._send,
            data_keyword_argument="email",
            persistence_store=sent_store,
            config=self._config,
        )

    def start(self, context: LambdaContext) -> None:
        """Bind an invocation: a send cut short by the function's timeout is retried once
        that invocation is over, not after the 24 hours of a sent record."""
        self._config.register_lambda_context(context)

    def on_change(self, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> None:
        email = due_email(old, new)
        if email is not None:
            self._send_once(email=email)

    def _send(self, email: OrderEmail) -> None:
        # The record keeps nothing of the e-mail (personal data): only that it was sent.
        address = self._recipients.email_of(email.owner_sub)
        if address is not None:
            self._notifier.send(Email(to=(address,), subject=email.subject, text=email.text))
