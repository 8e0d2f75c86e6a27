"""A stand-in for the shop's notifier (shop_common.notify.Notifier), shared by the services'
tests that e-mail (the orders' e-mails, the vault's notifications)."""

from collections.abc import Callable

from shop_common.notify import Email, MailDeliveryError


class RecordingNotifier:
    """Keeps every e-mail sent; refuses the next `failures` e-mails that `refused` picks (any,
    by default) first, as a server that is down."""

    def __init__(self, failures: int = 0, refused: Callable[[Email], bool] = bool) -> None:
        self.sent: list[Email] = []
        self.failures = failures
        self.refused = refused

    def send(self, email: Email) -> None:
        if self.failures and self.refused(email):
            self.failures -= 1
            raise MailDeliveryError("SMTP server refused: 451")
        self.sent.append(email)
