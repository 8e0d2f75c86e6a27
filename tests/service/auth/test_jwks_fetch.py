"""The JWKS fetched over real HTTP with urllib: once per container, refused when unusable."""

import socket
from collections.abc import Iterator
from http import HTTPStatus
from itertools import cycle, islice

import pytest

from authorizer.errors import AuthorizationRefusedError
from authorizer.jwks import JwksClient, fetch_jwks
from authorizer.verification import TokenVerifier
from tests.builders.tokens import (
    ACCEPTED_TOKENS,
    ISSUER,
    USER_POOL_CLIENT_ID,
    mint_token,
    signing_key,
)
from tests.service.auth.jwks_server import JwksServer


def test_the_jwks_is_fetched_once_over_http_for_a_thousand_verifications(
    jwks_server: JwksServer,
) -> None:
    # Given a verifier whose keys come from the JWKS URL, and tokens of every accepted kind
    verifier = TokenVerifier(
        issuer=ISSUER,
        client_id=USER_POOL_CLIENT_ID,
        signing_keys=JwksClient.from_url(jwks_server.url),
    )
    tokens = [mint_token(caller, use) for caller, use in ACCEPTED_TOKENS.values()]

    # When 1,000 tokens are verified
    identities = [verifier.verify(token) for token in islice(cycle(tokens), 1000)]

    # Then every one was accepted with a single request to the endpoint
    assert len(identities) == 1000
    assert len(jwks_server.requests) == 1


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (HTTPStatus.INTERNAL_SERVER_ERROR, b"{}", "HTTP Error 500"),
        (HTTPStatus.OK, b"<html>maintenance</html>", "not available"),
        (HTTPStatus.OK, b"[]", "not a JSON object"),
    ],
    ids=["server error", "not JSON", "not an object"],
)
def test_an_unusable_answer_refuses_the_token(
    jwks_server: JwksServer, status: HTTPStatus, body: bytes, reason: str
) -> None:
    # Given a JWKS endpoint answering something unusable
    jwks_server.status, jwks_server.body = status, body

    # When / Then the key cannot be had, and the token is refused
    with pytest.raises(AuthorizationRefusedError, match=reason):
        JwksClient.from_url(jwks_server.url).key_for(signing_key().kid)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield listener.getsockname()[1]


def test_a_silent_endpoint_times_out(silent_port: int) -> None:
    # Given / When / Then
    with pytest.raises(AuthorizationRefusedError, match="timed out"):
        fetch_jwks(f"http://127.0.0.1:{silent_port}/jwks.json", timeout=0.2)


def test_an_unreachable_endpoint_refuses_the_token() -> None:
    # Given a port nobody listens on
    with socket.create_server(("127.0.0.1", 0)) as listener:
        closed_port = listener.getsockname()[1]

    # When / Then
    with pytest.raises(AuthorizationRefusedError, match="not available"):
        fetch_jwks(f"http://127.0.0.1:{closed_port}/jwks.json")
