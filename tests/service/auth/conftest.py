"""The authorizer's handler at cold start, its JWKS served over HTTP by a local server."""

from collections.abc import Iterator
from types import ModuleType

import pytest

from stacks.templates import AUTH_TEMPLATE
from tests.builders.environments import function_module
from tests.builders.tokens import USER_POOL_ID
from tests.service.auth.jwks_server import JwksServer


@pytest.fixture(scope="session")
def pool_jwks_server() -> Iterator[JwksServer]:
    with JwksServer() as server:
        yield server


@pytest.fixture(scope="session")
def authorizer_handler(pool_jwks_server: JwksServer) -> ModuleType:
    """`authorizer.handler`, imported (a cold start) with the environment its template sets."""
    # The pool's keys (and Cognito's GetUser) are served locally, as the local stack points
    # JWKS_URL and COGNITO_ENDPOINT at its emulator.
    handler = function_module(
        AUTH_TEMPLATE,
        "AuthorizerFunction",
        local={"JWKS_URL": pool_jwks_server.url, "COGNITO_ENDPOINT": pool_jwks_server.cognito_url},
        user_pool_id=USER_POOL_ID,  # the pool tests/builders/tokens.py signs for
    )
    assert handler.settings.jwks_url == pool_jwks_server.url, "imported before this fixture"
    return handler


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    with JwksServer() as server:
        yield server
