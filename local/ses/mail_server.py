"""The local stack's mail server: a real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every
message in a Maildir and announces each one's subject and recipients on the console.

Locally the shop's notifier sends over SMTP to it (`smtp_settings`), where a deployed stage
sends through Amazon SES: the message is the same (shop_common.notify.mime_message)."""

import mailbox
import socket
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

LOOPBACK = "127.0.0.1"


class _AnnouncingMailbox(Mailbox):
    def __init__(self, mail_dir: Path, announce: Callable[[str], None]) -> None:
        super().__init__(mail_dir)
        self._announce = announce

    def handle_message(self, message: Any) -> None:
        super().handle_message(message)
        self._announce(f"Mail to {message['X-RcptTo']}: {message['Subject']}")


class MailServer:
    """Start with `with MailServer(mail_dir, announce, port) as server:` (port 0: a free one)."""

    def __init__(self, mail_dir: Path, announce: Callable[[str], None], port: int = 0) -> None:
        self.mail_dir = mail_dir
        mail_dir.parent.mkdir(parents=True, exist_ok=True)
        handler = _AnnouncingMailbox(mail_dir, announce)
        self._controller = Controller(handler, hostname=LOOPBACK, port=port or _free_port())

    @property
    def port(self) -> int:
        return int(self._controller.port)

    def __enter__(self) -> "MailServer":
        self._controller.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._controller.stop()

    def smtp_settings(self) -> dict[str, str]:
        """The orders template's parameters that point the notifier at this server."""
        return {"MailTransport": "smtp", "SmtpHost": LOOPBACK, "SmtpPort": str(self.port)}


def kept_messages(mail_dir: Path) -> list[EmailMessage]:
    """Every message the server kept."""
    box = mailbox.Maildir(mail_dir, create=False)
    return [message_from_bytes(box.get_bytes(key), policy=policy.default) for key in box.iterkeys()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])
