"""The authorizer's logic with its JWKS served from memory and the clock fixed."""

import pytest

from authorizer.jwks import JwksClient
from authorizer.verification import TokenVerifier
from tests.builders.tokens import ISSUER, USER_POOL_CLIENT_ID
from tests.unit.auth.doubles import NOW, CountingJwksSource, FakeMonotonic


@pytest.fixture
def jwks_source() -> CountingJwksSource:
    return CountingJwksSource()


@pytest.fixture
def monotonic() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def jwks_client(jwks_source: CountingJwksSource, monotonic: FakeMonotonic) -> JwksClient:
    return JwksClient(jwks_source, monotonic=monotonic)


@pytest.fixture
def verifier(jwks_client: JwksClient) -> TokenVerifier:
    return TokenVerifier(
        issuer=ISSUER,
        client_id=USER_POOL_CLIENT_ID,
        signing_keys=jwks_client,
        clock=lambda: NOW,
    )
