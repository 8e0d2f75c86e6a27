"""The one way a request is refused: API Gateway answers 401, the reason goes to the log."""


class AuthorizationRefusedError(Exception):
    """A token (or the keys to check it) failed a check; `reason` is for the log only."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
