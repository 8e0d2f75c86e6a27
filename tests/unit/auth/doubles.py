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
