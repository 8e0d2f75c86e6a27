"""Delivering the shop's e-mails: Amazon SES v2 or an SMTP server (data access: the only
module that talks to them). Errors become `MailDeliveryError` naming the failure's code,
never the recipients: SMTP's refusals carry the addresses in their text, so the cause is
not chained (a traceback in the logs would print it)."""

import smtplib
import ssl
from functools import cached_property
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from shop_common.dynamodb import CLIENT_CONFIG, error_code
from shop_common.notify import (
    Email,
    MailDeliveryError,
    MailSettings,
    MailTransport,
    Notifier,
    SmtpSecurity,
    mime_message,
)

SMTP_TIMEOUT_SECONDS = 10


class SesMailer:
    """SES v2 `SendEmail` with the function's role (`ses:SendEmail` on the stage's identity)."""

    def __init__(self, sender: str, client: Any = None) -> None:
        self._sender = sender
        self._client = client

    @cached_property
    def _ses(self) -> Any:
        return self._client or boto3.client("sesv2", config=CLIENT_CONFIG)

    def send(self, email: Email) -> None:
        raw = mime_message(self._sender, email).as_bytes()
        try:
            self._ses.send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": list(email.to)},
                Content={"Raw": {"Data": raw}},
            )
        except ClientError as exc:
            raise MailDeliveryError(f"SES refused the e-mail: {error_code(exc)}") from None
        except BotoCoreError as exc:
            raise MailDeliveryError(f"SES unreachable: {type(exc).__name__}") from None


class SmtpMailer:
    """An SMTP server (STARTTLS or TLS; plain only for the local stack's own server), signed
    in with the password read once per container from Secrets Manager."""

    def __init__(self, settings: MailSettings, secrets: Any = None) -> None:
        self._settings = settings
        self._secrets = secrets

    @cached_property
    def _password(self) -> str:
        secrets = self._secrets or boto3.client("secretsmanager", config=CLIENT_CONFIG)
        try:
            secret = secrets.get_secret_value(SecretId=self._settings.smtp_password_secret)
        except ClientError as exc:
            raise MailDeliveryError(f"SMTP password unreadable: {error_code(exc)}") from None
        return str(secret["SecretString"])

    def send(self, email: Email) -> None:
        settings = self._settings
        try:
            with self._connect() as smtp:
                if settings.smtp_username:
                    smtp.login(settings.smtp_username, self._password)
                smtp.send_message(mime_message(settings.sender, email))
        except smtplib.SMTPResponseException as exc:
            raise MailDeliveryError(f"SMTP server refused: {exc.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise MailDeliveryError(f"SMTP failed: {type(exc).__name__}") from None

    def _connect(self) -> smtplib.SMTP:
        settings = self._settings
        host, port = settings.smtp_host, settings.smtp_port
        if settings.smtp_security is SmtpSecurity.TLS:
            context = ssl.create_default_context()
            return smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS)
        if settings.smtp_security is SmtpSecurity.STARTTLS:
            try:
                smtp.starttls(context=ssl.create_default_context())
            except BaseException:
                smtp.close()
                raise
        return smtp


def notifier(settings: MailSettings) -> Notifier:
    """The transport the settings choose (SES unless MAIL_TRANSPORT is smtp)."""
    if settings.transport is MailTransport.SMTP:
        return SmtpMailer(settings)
    return SesMailer(settings.sender)
