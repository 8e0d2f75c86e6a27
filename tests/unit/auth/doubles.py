"""Test doubles of the authorizer's injected dependencies: the JWKS endpoint and the clocks."""

from collections.abc import Mapping
from typing import Any

from authorizer.errors import AuthorizationRefusedError
from tests.builders.tokens import SigningKey, jwks_document

NOW = 1_900_000_000


class CountingJwksSource:
    """The user pool's JWKS endpoint, in memory: serves `keys` and counts the fetches."""

    def __init__(self, *keys: SigningKey) -> None:
        self.keys = keys
        self.fetches = 0
        self.available = True

    def __call__(self) -> Mapping[str, Any]:
        self.fetches += 1
        if not self.available:
            # What `fetch_jwks` raises when the endpoint times out or answers an error.
            raise AuthorizationRefusedError("JWKS not available: timed out")
        return jwks_document(*self.keys)


class FakeMonotonic:
    def __init__(self) -> None:
        self.seconds = 1_000.0

    def __call__(self) -> float:
        return self.seconds


class KnownSessions:
    """Cognito's view of access tokens: those in `revoked` it refuses; `asked` is what it was
    asked about."""

    def __init__(self) -> None:
        self.revoked: set[str] = set()
        self.asked: list[str] = []

    def check(self, access_token: str) -> None:
        self.asked.append(access_token)
        if access_token in self.revoked:
            raise AuthorizationRefusedError("Cognito refused the access token (revoked)")
