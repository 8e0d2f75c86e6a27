"""A stand-in for the shop's notifier (shop_common.notify.Notifier), shared by the services'
tests that e-mail (the orders' e-mails, the vault's notifications)."""

from collections.abc import Callable

from shop_common.notify import Email, MailDeliveryError


class RecordingNotifier:
    """Keeps every e-mail sent; refuses the next `failures` e-mails that `refused` picks (any,
    by default) first with `failure` (as a server that is down, by default)."""

    def __init__(
        self,
        failures: int = 0,
        refused: Callable[[Email], bool] = bool,
        failure: Exception | None = None,
    ) -> None:
        self.sent: list[Email] = []
        self.failures = failures
        self.refused = refused
        self.failure = failure or MailDeliveryError("SMTP server refused: 451")

    def send(self, email: Email) -> None:
        if self.failures and self.refused(email):
            self.failures -= 1
            raise self.failure
        self.sent.append(email)
