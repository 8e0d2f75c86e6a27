"""The token matrix of the contract: every header is either a policy or a refusal."""

from collections.abc import Callable

import pytest

from authorizer.errors import AuthorizationRefusedError
from authorizer.logic import authorize
from authorizer.verification import TokenVerifier
from tests.builders.callers import EDITOR, SHOPPER, VIEWER, Caller
from tests.builders.events import method_arn
from tests.builders.tokens import (
    ACCEPTED_TOKENS,
    REFUSED_AUTHORIZATIONS,
    TokenUse,
    bearer,
    mint_token,
)
from tests.unit.auth.doubles import NOW, KnownSessions
from tests.unit.auth.iam import is_allowed


@pytest.mark.parametrize(("caller", "token_use"), ACCEPTED_TOKENS.values(), ids=ACCEPTED_TOKENS)
def test_a_valid_token_gets_its_callers_policy(
    verifier: TokenVerifier, caller: Caller, token_use: TokenUse
) -> None:
    # Given a request bearing a valid token
    authorization = bearer(mint_token(caller, token_use, issued_at=NOW))

    # When it is authorized
    policy = authorize(authorization, method_arn("GET", "/orders"), verifier, KnownSessions())

    # Then the caller may list orders, and delete one only as an admin
    assert policy["principalId"] == caller.sub
    assert is_allowed(policy, method_arn("GET", "/orders"))
    assert is_allowed(policy, method_arn("DELETE", "/order/o-1")) is caller.is_admin


# Why each case is refused: the reason the log gets, which shows the intended check caught it.
REFUSAL_REASONS = {
    "expired": "expired",
    "not yet valid": "nbf .* in the future",
    "issued in the future": "iat .* in the future",
    "signed by another key": "Signature verification failed",
    "alg none": "alg",
    "HS256 keyed with the public key": "alg",
    "HS256 signature under an RS256 header": "Signature verification failed",
    "wrong iss": "Invalid issuer",
    "wrong client_id": "client_id .* is not this app client",
    "wrong aud": "aud .* is not this app client",
    "wrong token_use": "token_use",
    "no kid": "kid",
    "unknown kid": "unknown kid",
    "not three parts": "not a JWT",
    "bad base64": "not a JWT",
    "8 KiB of garbage": "not a JWT",
    "8 KiB of garbage in three parts": "not a JWT",
    "missing Bearer": "not `Bearer <token>`",
    "another scheme": "not `Bearer <token>`",
    "Bearer without a token": "not `Bearer <token>`",
    "empty header": "not `Bearer <token>`",
}


def test_every_refused_case_has_its_reason() -> None:
    assert REFUSAL_REASONS.keys() == REFUSED_AUTHORIZATIONS.keys()


@pytest.mark.parametrize("case", REFUSED_AUTHORIZATIONS)
def test_a_bad_authorization_is_refused_for_its_flaw(verifier: TokenVerifier, case: str) -> None:
    # Given a request whose Authorization header has one flaw
    authorization: Callable[[int], str] = REFUSED_AUTHORIZATIONS[case]

    # When / Then it is refused (the handler answers API Gateway's 401) because of that flaw
    with pytest.raises(AuthorizationRefusedError, match=REFUSAL_REASONS[case]):
        authorize(authorization(NOW), method_arn("GET", "/orders"), verifier, KnownSessions())


def test_a_vault_members_revoked_access_token_is_refused(verifier: TokenVerifier) -> None:
    # Given an editor's access token that Cognito has revoked (demoted, signed out)
    token = mint_token(EDITOR, "access", issued_at=NOW)
    sessions = KnownSessions()
    sessions.revoked.add(token)
    # When / Then it is refused, though its signature and lifetime are valid
    with pytest.raises(AuthorizationRefusedError, match="revoked"):
        authorize(bearer(token), method_arn("GET", "/vault/distributions"), verifier, sessions)


def test_a_shoppers_token_is_not_asked_about(verifier: TokenVerifier) -> None:
    sessions = KnownSessions()
    token = mint_token(SHOPPER, "access", issued_at=NOW)
    authorize(bearer(token), method_arn("GET", "/orders"), verifier, sessions)
    assert sessions.asked == []


def test_an_id_token_cannot_be_asked_about(verifier: TokenVerifier) -> None:
    # Cognito answers GetUser for access tokens only: a vault member's ID token is taken as is
    sessions = KnownSessions()
    token = mint_token(VIEWER, "id", issued_at=NOW)
    authorize(bearer(token), method_arn("GET", "/vault/distributions"), verifier, sessions)
    assert sessions.asked == []
