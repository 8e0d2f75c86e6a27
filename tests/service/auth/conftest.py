"""The authorizer's handler at cold start, its JWKS served over HTTP by a local server."""

import importlib
from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.builders.tokens import REGION, USER_POOL_CLIENT_ID, USER_POOL_ID
from tests.service.auth.jwks_server import JwksServer


@pytest.fixture(scope="session")
def pool_jwks_server() -> Iterator[JwksServer]:
    with JwksServer() as server:
        yield server


@pytest.fixture(scope="session")
def authorizer_handler(pool_jwks_server: JwksServer) -> ModuleType:
    """`authorizer.handler`, imported (a cold start) with the environment its template sets."""
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("USER_POOL_ID", USER_POOL_ID)
        environment.setenv("USER_POOL_CLIENT_ID", USER_POOL_CLIENT_ID)
        environment.setenv("AWS_REGION", REGION)
        environment.setenv("JWKS_URL", pool_jwks_server.url)
        handler = importlib.import_module("authorizer.handler")
    assert handler.settings.jwks_url == pool_jwks_server.url, "imported before this fixture"
    return handler


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    with JwksServer() as server:
        yield server
