"""The shopper's order e-mails: which change calls for one, what it says, sent once."""

from decimal import Decimal

import pytest

from orders.notifications import NO_ADDRESS, OrderMailer, due_email
from shop_common.notify import MailDeliveryError
from tests.builders.callers import SHOPPER
from tests.builders.data import address, order_item, order_line
from tests.builders.mail import RecordingNotifier
from tests.unit.orders.fakes import InMemoryIdempotencyStore, KnownRecipients

SHOPPER_EMAIL = "alice@example.com"


def mailer(notifier: RecordingNotifier) -> OrderMailer:
    return OrderMailer(
        KnownRecipients({SHOPPER.sub: SHOPPER_EMAIL}), notifier, InMemoryIdempotencyStore()
    )


def shipped(order: dict[str, object]) -> dict[str, object]:
    return {**order, "status": "shipped", "version": 2}


def test_a_new_order_calls_for_a_placed_email_with_its_lines_total_and_address() -> None:
    # Given an order of two lines placed with an address
    order = order_item(
        order_line(product_name="Espresso cup", unit_price=Decimal("12.50"), quantity=3),
        order_line(product_name="Hand grinder", unit_price=Decimal("89.99"), quantity=1),
        address=address(),
    )
    # When its insertion is seen
    email = due_email(None, order)
    # Then the e-mail says it is placed, with each line, the total and the address
    assert email is not None
    assert email.subject == f"Your order {order['order_id'][:8]} is placed"
    assert "  3 x Espresso cup at 12.50 EUR: 37.50 EUR" in email.text
    assert "  1 x Hand grinder at 89.99 EUR: 89.99 EUR" in email.text
    assert "Total: 127.49 EUR" in email.text
    printed = "  Alice Martin\n  12 rue de la Paix\n  Bâtiment B\n  75002 Paris\n  FR\n  +33 1"
    assert printed in email.text


@pytest.mark.parametrize("status", ["shipped", "delivered", "cancelled"])
def test_a_status_change_calls_for_an_email_naming_the_new_status(status: str) -> None:
    order = order_item()
    email = due_email(order, {**order, "status": status, "version": 2})
    assert email is not None
    assert email.subject.endswith(f" is {status}")
    assert f"is {status}." in email.text


def test_an_order_placed_before_addresses_reads_no_address() -> None:
    order = order_item()
    del order["address"]
    email = due_email(None, order)
    assert email is not None
    assert f"Delivery address:\n  {NO_ADDRESS}\n" in email.text


def test_a_write_that_keeps_the_status_calls_for_no_email() -> None:
    # Given a migration that adds attributes to an order without changing its status
    order = order_item()
    assert due_email(order, {**order, "kind": "order", "version": 2}) is None


def test_a_deleted_order_calls_for_no_email() -> None:
    assert due_email(order_item(), None) is None


def test_the_email_goes_to_the_owners_address_once_per_change() -> None:
    # Given an order placed and shipped
    notifier = RecordingNotifier()
    orders = mailer(notifier)
    order = order_item()
    # When the same changes are seen twice (a stream batch retried after a later failure)
    for _ in range(2):
        orders.on_change(None, order)
        orders.on_change(order, shipped(order))
    # Then the shopper got one e-mail per change
    assert [email.to for email in notifier.sent] == [(SHOPPER_EMAIL,), (SHOPPER_EMAIL,)]
    assert [email.subject.rsplit(" ", 1)[-1] for email in notifier.sent] == ["placed", "shipped"]


def test_a_failed_send_is_sent_when_retried() -> None:
    # Given a mail server that refuses the first attempt
    notifier = RecordingNotifier(failures=1)
    orders = mailer(notifier)
    order = order_item()
    # When the change fails, then is retried
    with pytest.raises(MailDeliveryError):
        orders.on_change(None, order)
    orders.on_change(None, order)
    # Then the e-mail is sent on the retry
    assert len(notifier.sent) == 1


def test_an_order_whose_account_is_gone_sends_nothing() -> None:
    notifier = RecordingNotifier()
    mailer(notifier).on_change(None, order_item(owner_sub="no-account:carol"))
    assert notifier.sent == []
