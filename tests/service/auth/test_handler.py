"""The authorizer's Lambda handler: a policy for a valid token, `Unauthorized` for the rest."""

import logging
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from authorizer.policy import ROUTES
from authorizer.verification import Identity
from tests.builders.callers import EDITOR, Caller
from tests.builders.events import LambdaContext, method_arn, token_authorizer_event
from tests.builders.tokens import (
    ACCEPTED_TOKENS,
    REFUSED_AUTHORIZATIONS,
    TokenUse,
    bearer,
    mint_token,
)
from tests.service.auth.jwks_server import JWKS_PATH, JwksServer


@pytest.fixture
def log_records(authorizer_handler: ModuleType) -> Iterator[list[logging.LogRecord]]:
    """What the handler logs, at WARNING and above (the level the tests run at)."""
    records: list[logging.LogRecord] = []
    collector = logging.Handler()
    collector.emit = records.append  # type: ignore[method-assign]
    authorizer_handler.logger.addHandler(collector)
    yield records
    authorizer_handler.logger.removeHandler(collector)


def invoke(handler: ModuleType, event: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = handler.lambda_handler(event, LambdaContext())
    return result


@pytest.mark.parametrize(("caller", "token_use"), ACCEPTED_TOKENS.values(), ids=ACCEPTED_TOKENS)
def test_a_valid_token_gets_a_policy_for_every_route_of_its_role(
    authorizer_handler: ModuleType, caller: Caller, token_use: TokenUse
) -> None:
    # Given API Gateway's event for a request bearing a valid token
    event = token_authorizer_event(bearer(mint_token(caller, token_use)), "GET", "/orders")

    # When the authorizer runs
    response = invoke(authorizer_handler, event)

    # Then it allows the role's routes on this API's stage, and tells the functions who calls
    (statement,) = response["policyDocument"]["Statement"]
    assert statement["Effect"] == "Allow"
    identity = Identity(
        sub=caller.sub,
        username=caller.username,
        is_admin=caller.is_admin,
        vault_role=caller.vault_role,
    )
    routes = [route for route in ROUTES if route.allows(identity)]
    assert len(statement["Resource"]) == len(routes)
    assert all(arn.startswith(method_arn("", "")) for arn in statement["Resource"])
    assert response["principalId"] == caller.sub
    assert response["context"] == {
        "username": caller.username,
        "sub": caller.sub,
        "is_admin": "true" if caller.is_admin else "false",
        "vault_role": caller.vault_role or "",
    }


@pytest.mark.parametrize("case", REFUSED_AUTHORIZATIONS)
def test_a_bad_authorization_is_api_gateways_401(authorizer_handler: ModuleType, case: str) -> None:
    # Given API Gateway's event for a request whose Authorization header has one flaw
    authorization = REFUSED_AUTHORIZATIONS[case](int(time.time()))
    event = token_authorizer_event(authorization, "DELETE", "/order/o-1")

    # When the authorizer runs
    with pytest.raises(Exception) as raised:  # noqa: PT011 - API Gateway reads the message
        invoke(authorizer_handler, event)

    # Then it raises exactly what API Gateway turns into a 401, with nothing else attached
    assert type(raised.value) is Exception
    assert raised.value.args == ("Unauthorized",)
    assert raised.value.__cause__ is None
    assert raised.value.__context__ is None


def test_the_reason_goes_to_the_log_and_the_token_does_not(
    authorizer_handler: ModuleType, log_records: list[logging.LogRecord]
) -> None:
    # Given an expired token
    token = mint_token(issued_at=int(time.time()) - 7200)

    # When the authorizer refuses it
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        invoke(authorizer_handler, token_authorizer_event(bearer(token), "GET", "/orders"))

    # Then the log says why, and holds no copy of the credential
    (record,) = log_records
    assert record.levelno == logging.WARNING
    assert "expired" in record.__dict__["reason"]
    assert not any(token in str(value) for value in record.__dict__.values())


def test_a_fault_fails_closed(
    authorizer_handler: ModuleType, log_records: list[logging.LogRecord]
) -> None:
    # Given an event that is not a TOKEN authorizer's (no authorizationToken)
    event = {"type": "REQUEST", "methodArn": method_arn("GET", "/orders")}

    # When / Then the request is refused as unauthorized, never let through nor a 500
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        invoke(authorizer_handler, event)
    (record,) = log_records
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None


def test_the_handler_fetches_the_jwks_from_its_url(
    authorizer_handler: ModuleType, pool_jwks_server: JwksServer
) -> None:
    # Given / When a valid token is authorized
    invoke(authorizer_handler, token_authorizer_event(bearer(mint_token()), "GET", "/orders"))

    # Then the keys came over HTTP from JWKS_URL
    assert pool_jwks_server.requests
    assert set(pool_jwks_server.requests) == {JWKS_PATH}


def test_an_access_token_cognito_revoked_is_refused(
    authorizer_handler: ModuleType, pool_jwks_server: JwksServer
) -> None:
    # Given an editor's access token that Cognito revoked (signed out, or demoted by an admin)
    token = mint_token(EDITOR, "access")
    pool_jwks_server.revoked.add(token)
    event = token_authorizer_event(bearer(token), "GET", "/vault/distributions")
    # When / Then the authorizer asks Cognito and refuses it (API Gateway's 401)
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        invoke(authorizer_handler, event)
    assert pool_jwks_server.asked[-1] == token
