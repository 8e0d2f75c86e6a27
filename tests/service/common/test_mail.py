"""The shop's notifier delivering: to a real SMTP server (the local stack's), and to SES v2
(moto); a refusal is a MailDeliveryError that names no address."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from aiosmtpd.controller import Controller
from moto import mock_aws
from moto.backends import get_backend
from moto.core import DEFAULT_ACCOUNT_ID as ACCOUNT_ID

from local.ses.mail_server import LOOPBACK, MailServer, kept_messages
from shop_common.mail import SesMailer, SmtpMailer
from shop_common.notify import Email, MailDeliveryError, MailSettings
from tests.e2e.stack import free_port

SENDER = "shop@example.com"
EMAIL = Email(to=("alice@example.com",), subject="Your order 1234 is placed", text="Hello\n")


def smtp_settings(port: int, **overrides: str) -> MailSettings:
    return MailSettings.model_validate(
        {
            "MAIL_SENDER": SENDER,
            "MAIL_TRANSPORT": "smtp",
            "SMTP_HOST": LOOPBACK,
            "SMTP_PORT": str(port),
            "SMTP_SECURITY": "none",
            **overrides,
        }
    )


@pytest.fixture
def mail_server(tmp_path: Path) -> Iterator[MailServer]:
    announced: list[str] = []
    with MailServer(tmp_path / "mail", announced.append) as server:
        server.announced = announced  # type: ignore[attr-defined]
        yield server


class RefusingRecipients:
    """An SMTP server that refuses every recipient (550), naming them as servers do."""

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return f"550 5.1.1 <{address}>: mailbox unavailable"


def test_smtp_delivers_the_message_to_the_server_which_keeps_and_announces_it(
    mail_server: MailServer,
) -> None:
    SmtpMailer(smtp_settings(mail_server.port)).send(EMAIL)
    (message,) = kept_messages(mail_server.mail_dir)
    assert message["Subject"] == EMAIL.subject
    assert message["From"] == SENDER
    assert message.get_content() == EMAIL.text
    assert mail_server.announced == [  # type: ignore[attr-defined]
        "Mail to alice@example.com: Your order 1234 is placed"
    ]


def test_smtp_signs_in_with_the_password_read_from_secrets_manager(mail_server: MailServer) -> None:
    # Given the password in a secret (the local server takes no AUTH: the sign-in fails
    # after the secret was read, which proves it was asked for by name)
    with mock_aws():
        secrets = boto3.client("secretsmanager")
        secrets.create_secret(Name="shop-dev-smtp", SecretString="s3cret-pass")
        settings = smtp_settings(
            mail_server.port, SMTP_USERNAME="shop", SMTP_PASSWORD_SECRET="shop-dev-smtp"
        )
        mailer = SmtpMailer(settings, secrets)
        with pytest.raises(MailDeliveryError) as refused:
            mailer.send(EMAIL)
    assert "s3cret-pass" not in str(refused.value)
    assert mailer._password == "s3cret-pass"


def test_a_refused_recipient_is_an_error_that_names_no_address() -> None:
    port = free_port()
    controller = Controller(RefusingRecipients(), hostname=LOOPBACK, port=port)
    controller.start()
    try:
        with pytest.raises(MailDeliveryError) as refused:
            SmtpMailer(smtp_settings(port)).send(EMAIL)
    finally:
        controller.stop()
    assert "alice" not in str(refused.value)
    assert refused.value.__cause__ is None
    assert refused.value.__suppress_context__


def test_an_unreachable_server_is_a_delivery_error() -> None:
    with pytest.raises(MailDeliveryError, match="SMTP failed: ConnectionRefusedError"):
        SmtpMailer(smtp_settings(free_port())).send(EMAIL)


def test_ses_sends_the_same_message_as_raw_content() -> None:
    with mock_aws():
        ses = boto3.client("sesv2")
        ses.create_email_identity(EmailIdentity="example.com")
        SesMailer(SENDER, ses).send(EMAIL)
        (sent,) = get_backend("ses")[ACCOUNT_ID]["eu-west-1"].sent_messages
    assert set(sent.destinations) == {"alice@example.com"}  # moto lists the To header too
    assert b"Subject: Your order 1234 is placed" in sent.raw_data.encode()


def test_ses_refusing_is_a_delivery_error_naming_its_code() -> None:
    # No identity verified: SES refuses the sender.
    refused = pytest.raises(MailDeliveryError, match="SES refused the e-mail: MessageRejected")
    with mock_aws(), refused:
        SesMailer(SENDER, boto3.client("sesv2")).send(EMAIL)
