"""NotifyOrder: the Orders stream's batches, e-mailed record by record in the function's own
environment; a failed e-mail is reported for the stream to retry, and no address is logged."""

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from local.ses.mail_server import LOOPBACK, MailServer, kept_messages
from orders.notifications import OrderMailer
from orders.repository import CognitoUserDirectory, idempotency_store
from shop_common.mail import SmtpMailer
from shop_common.notify import MailSettings
from stacks.templates import SERVICE_TEMPLATES
from tests.builders.data import address, order_item
from tests.builders.environments import Handler, as_invoked, deployed_handler
from tests.builders.events import LambdaContext, stream_event
from tests.builders.mail import RecordingNotifier
from tests.builders.tables import TEST_TABLE_NAMES
from tests.builders.users import known_user_pool_id
from tests.e2e.stack import free_port
from tests.service.orders.conftest import handler_module

FUNCTION = "NotifyOrderFunction"


def notify_order_with(notifier: Any) -> Handler:
    """The stream's handler sending through `notifier`, the rest real, in its environment."""
    mailer = OrderMailer(
        CognitoUserDirectory(known_user_pool_id()),
        notifier,
        idempotency_store(TEST_TABLE_NAMES["IdempotencyTable"]),
    )
    handler = handler_module(FUNCTION).build_handler(mailer)
    return as_invoked(SERVICE_TEMPLATES["orders"], FUNCTION, handler)


@pytest.fixture
def shopper(dynamodb: Any, users: Callable[..., str]) -> dict[str, Any]:
    """An order of a shopper whose account has an address (their `sub` owns it)."""
    sub = users("carol", email="carol@example.com")
    return order_item(owner_sub=sub, username="carol", address=address(name="Carol Dupont"))


def test_the_deployed_function_sends_each_change_as_its_template_configures_it(
    shopper: dict[str, Any], tmp_path: Path
) -> None:
    # Given the function as deployed, its template pointed at an SMTP server (the local stack's)
    with MailServer(tmp_path / "mail", lambda line: None) as server:
        local = {
            "MAIL_TRANSPORT": "smtp",
            "SMTP_HOST": LOOPBACK,
            "SMTP_PORT": str(server.port),
            "SMTP_SECURITY": "none",
        }
        handler = deployed_handler(SERVICE_TEMPLATES["orders"], FUNCTION, local)
        # When the stream brings an order placed then shipped
        event = stream_event(
            (None, shopper), (shopper, {**shopper, "status": "shipped", "version": 2})
        )
        result = handler(event, LambdaContext())
    # Then both e-mails reached the shopper, nothing failed
    assert result == {"batchItemFailures": []}
    messages = kept_messages(tmp_path / "mail")
    assert sorted(message["Subject"].rsplit(" ", 1)[-1] for message in messages) == [
        "placed",
        "shipped",
    ]
    assert {message["To"] for message in messages} == {"carol@example.com"}


def test_a_failed_email_is_reported_alone_and_sent_when_the_stream_retries(
    shopper: dict[str, Any],
) -> None:
    # Given a batch of three changes whose second e-mail fails once
    second = order_item(owner_sub=shopper["owner_sub"], username="carol")
    third = order_item(owner_sub=shopper["owner_sub"], username="carol")
    notifier = RecordingNotifier(failures=1, refused=lambda email: second["order_id"] in email.text)
    handler = notify_order_with(notifier)
    event = stream_event((None, shopper), (None, second), (None, third))
    # When the stream delivers it, then retries it (Lambda retries from the failed record)
    first = handler(event, LambdaContext())
    retried = handler(event, LambdaContext())
    # Then only the second record was reported, and each order's e-mail went exactly once
    assert first == {"batchItemFailures": [{"itemIdentifier": f"{2:021d}"}]}
    assert retried == {"batchItemFailures": []}
    sent_for = sorted(
        order["order_id"]
        for email in notifier.sent
        for order in (shopper, second, third)
        if order["order_id"] in email.text
    )
    assert sent_for == sorted(order["order_id"] for order in (shopper, second, third))


def test_no_address_or_name_reaches_the_logs_when_the_server_refuses(
    shopper: dict[str, Any], log_lines: io.StringIO
) -> None:
    # Given an SMTP server that is down
    settings = MailSettings.model_validate(
        {
            "MAIL_SENDER": "shop@example.com",
            "MAIL_TRANSPORT": "smtp",
            "SMTP_HOST": LOOPBACK,
            "SMTP_PORT": str(free_port()),
            "SMTP_SECURITY": "none",
        }
    )
    handler = notify_order_with(SmtpMailer(settings))
    # When an order's e-mail fails
    result = handler(stream_event((None, shopper)), LambdaContext())
    # Then it is reported, logged by its order and code, and nothing personal was printed
    assert len(result["batchItemFailures"]) == 1
    printed = log_lines.getvalue()
    (warning,) = [
        json.loads(line) for line in printed.splitlines() if line.startswith('{"level":"WARNING"')
    ]
    assert warning["order_id"] == shopper["order_id"]
    assert warning["failure"] == "SMTP failed: ConnectionRefusedError"
    for personal in ("carol@example.com", "Carol Dupont", "rue de la Paix", "carol"):
        assert personal not in printed + str(result)
