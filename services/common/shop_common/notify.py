"""The shop's one notifier: what an e-mail is, how it is sent, and the settings that choose.

Every service that e-mails (the orders' e-mails to shoppers, the config vault's
notifications) builds an `Email` and hands it to a `Notifier`. Delivery is
`shop_common.mail` (Amazon SES v2 through the function's role, or an SMTP server whose
password is in Secrets Manager), the only module that talks to them. Addresses are
personal data: nothing here puts one in an exception's message or a log line.
"""

import os
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from enum import StrEnum
from typing import Annotated, Protocol, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from shop_common.text import EMAIL_ADDRESS

# A subject is one line: Python's e-mail headers break lines at \x1c-\x1e and \x85 too.
_NO_LINE_BREAK = r"\x00-\x1f\x7f\x85\u2028\u2029"
# One recipient, as SES and SMTP take it: no spaces, commas or line breaks (header injection).
Address = Annotated[str, StringConstraints(max_length=254), EMAIL_ADDRESS]


class Email(BaseModel):
    """One plain-text e-mail to one or more recipients."""

    model_config = ConfigDict(frozen=True)

    to: tuple[Address, ...] = Field(min_length=1, max_length=50)
    subject: Annotated[
        str,
        StringConstraints(min_length=1, max_length=200, pattern=rf"^[^{_NO_LINE_BREAK}]+$"),
    ]
    text: str = Field(min_length=1)


class MailTransport(StrEnum):
    SES = "ses"
    SMTP = "smtp"


class SmtpSecurity(StrEnum):
    STARTTLS = "starttls"
    TLS = "tls"
    # Plain SMTP: the local stack's mail server on 127.0.0.1 only (a local-only setting; the
    # templates allow starttls and tls).
    NONE = "none"


class MailSettings(BaseModel):
    """Who the shop's e-mails come from and how they leave. The SMTP password is never a
    setting: `SMTP_PASSWORD_SECRET` names the Secrets Manager secret that holds it."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    sender: Address = Field(alias="MAIL_SENDER")
    transport: MailTransport = Field(default=MailTransport.SES, alias="MAIL_TRANSPORT")
    smtp_host: str = Field(default="", alias="SMTP_HOST")
    smtp_port: int = Field(default=587, alias="SMTP_PORT", ge=1, le=65535)
    smtp_username: str = Field(default="", alias="SMTP_USERNAME")
    smtp_password_secret: str = Field(default="", alias="SMTP_PASSWORD_SECRET")
    smtp_security: SmtpSecurity = Field(default=SmtpSecurity.STARTTLS, alias="SMTP_SECURITY")

    @model_validator(mode="after")
    def smtp_needs_a_host(self) -> Self:
        if self.transport is MailTransport.SMTP and not self.smtp_host:
            raise ValueError("SMTP_HOST is required when MAIL_TRANSPORT is smtp")
        if self.smtp_username and not self.smtp_password_secret:
            raise ValueError("SMTP_USERNAME needs SMTP_PASSWORD_SECRET (the password's secret)")
        return self

    @classmethod
    def from_env(cls) -> Self:
        return cls.model_validate(dict(os.environ))


class Notifier(Protocol):
    """Sends one e-mail, or raises `MailDeliveryError` (the caller retries later)."""

    def send(self, email: Email) -> None: ...


class MailDeliveryError(Exception):
    """The e-mail was not accepted. Its message names what failed (an error code, an SMTP
    status), never an address."""


def mime_message(sender: str, email: Email) -> EmailMessage:
    """The message as both transports send it (SES v2 as raw content, SMTP as it is)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(email.to)
    message["Subject"] = email.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    message.set_content(email.text)
    return message
