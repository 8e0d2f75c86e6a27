"""Callers as the JWT authorizer describes them in the request context."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Caller:
    username: str
    sub: str
    is_admin: bool = False

    def authorizer_context(self) -> dict[str, Any]:
        # API Gateway passes a REST authorizer's context values to the function as strings.
        return {
            "principalId": self.sub,
            "username": self.username,
            "sub": self.sub,
            "is_admin": "true" if self.is_admin else "false",
        }


SHOPPER = Caller(username="alice", sub="11111111-1111-4111-8111-111111111111")
OTHER_SHOPPER = Caller(username="bob", sub="22222222-2222-4222-8222-222222222222")
ADMIN = Caller(username="admin", sub="33333333-3333-4333-8333-333333333333", is_admin=True)
