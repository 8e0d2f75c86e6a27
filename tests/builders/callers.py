"""Callers as the JWT authorizer describes them in the request context."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Caller:
    username: str
    sub: str
    is_admin: bool = False
    # The config vault's role ("admin", "editor", "viewer"), from the same Cognito groups.
    vault_role: str | None = None

    def authorizer_context(self) -> dict[str, Any]:
        # API Gateway passes a REST authorizer's context values to the function as strings.
        return {
            "principalId": self.sub,
            "username": self.username,
            "sub": self.sub,
            "is_admin": "true" if self.is_admin else "false",
            "vault_role": self.vault_role or "",
        }


SHOPPER = Caller(username="alice", sub="11111111-1111-4111-8111-111111111111")
OTHER_SHOPPER = Caller(username="bob", sub="22222222-2222-4222-8222-222222222222")
ADMIN = Caller(
    username="admin", sub="33333333-3333-4333-8333-333333333333", is_admin=True, vault_role="admin"
)
EDITOR = Caller(username="edith", sub="44444444-4444-4444-8444-444444444444", vault_role="editor")
VIEWER = Caller(username="vic", sub="55555555-5555-4555-8555-555555555555", vault_role="viewer")
