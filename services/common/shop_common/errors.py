"""Domain exceptions. Logic and data access raise these; `shop_common.api` maps them to HTTP."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One invalid field of a request: where it is and why it was refused."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every error a client can cause; its message is safe to show to the client."""

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class InvalidRequestError(DomainError):
    """Malformed JSON or invalid fields (400)."""


class InvalidCursorError(InvalidRequestError):
    """A pagination cursor that this service did not issue or that does not fit the query."""

    def __init__(self) -> None:
        super().__init__("Invalid cursor", [FieldError("cursor", "not a cursor from this listing")])


class UnauthorizedError(DomainError):
    """No authenticated caller (401)."""


class ForbiddenError(DomainError):
    """Authenticated but not allowed (403)."""


class NotFoundError(DomainError):
    """Unknown resource, or one the caller may not know exists (404)."""


class ConflictError(DomainError):
    """A state change that is invalid now or lost a race (409)."""


class UnprocessableError(DomainError):
    """Well-formed, but it cannot be done as things are (422): what it names no longer exists."""


class PayloadTooLargeError(DomainError):
    """A request body over the limit (413)."""


class StaleReadError(ConflictError):
    """A conditional write lost a race with a change to what it was based on (409 if it is
    not retried): read again and retry."""
