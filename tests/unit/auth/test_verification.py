"""Token verification: what is accepted, what is refused, and on which claim."""

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authorizer.errors import AuthorizationRefusedError
from authorizer.jwks import JwksClient
from authorizer.verification import CLOCK_SKEW_SECONDS, Identity, TokenVerifier, bearer_token
from tests.builders.callers import ADMIN, SHOPPER, Caller
from tests.builders.tokens import (
    ACCEPTED_TOKENS,
    ISSUER,
    TOKEN_LIFETIME_SECONDS,
    USER_POOL_CLIENT_ID,
    TokenUse,
    mint_token,
)
from tests.unit.auth.doubles import NOW, CountingJwksSource

EXPIRED_AT_NOW = NOW - TOKEN_LIFETIME_SECONDS


@pytest.mark.parametrize(("caller", "token_use"), ACCEPTED_TOKENS.values(), ids=ACCEPTED_TOKENS)
def test_a_valid_token_yields_its_callers_identity(
    verifier: TokenVerifier, caller: Caller, token_use: TokenUse
) -> None:
    # Given a token Cognito issued to the caller
    token = mint_token(caller, token_use, issued_at=NOW)

    # When it is verified
    identity = verifier.verify(token)

    # Then it speaks for that caller, an admin only through the `admin` group, a vault role
    # through its group
    assert identity == Identity(
        sub=caller.sub,
        username=caller.username,
        is_admin=caller.is_admin,
        vault_role=caller.vault_role,
        from_access_token=token_use == "access",
    )


@pytest.mark.parametrize(
    ("issued_at", "accepted"),
    [
        (EXPIRED_AT_NOW - CLOCK_SKEW_SECONDS, True),
        (EXPIRED_AT_NOW - CLOCK_SKEW_SECONDS - 1, False),
    ],
    ids=["expired within the clock skew", "expired beyond the clock skew"],
)
def test_expiry_allows_the_clock_skew_and_no_more(
    verifier: TokenVerifier, issued_at: int, accepted: bool
) -> None:
    # Given a token that expired around now
    token = mint_token(issued_at=issued_at)

    # When / Then it is accepted only within the allowed skew
    assert _is_accepted(verifier, token) is accepted


@pytest.mark.parametrize("claim", ["nbf", "iat"])
@pytest.mark.parametrize(
    ("seconds_ahead", "accepted"),
    [(CLOCK_SKEW_SECONDS, True), (CLOCK_SKEW_SECONDS + 1, False)],
    ids=["within the clock skew", "beyond the clock skew"],
)
def test_a_future_start_allows_the_clock_skew_and_no_more(
    verifier: TokenVerifier, claim: str, seconds_ahead: int, accepted: bool
) -> None:
    # Given a token whose `nbf` or `iat` is a little ahead of the authorizer's clock
    token = mint_token(issued_at=NOW, claims={claim: NOW + seconds_ahead})

    # When / Then it is accepted only within the allowed skew
    assert _is_accepted(verifier, token) is accepted


def test_an_id_token_with_at_hash_is_accepted(verifier: TokenVerifier) -> None:
    # Given an ID token from the hosted UI, which binds it to its access token with `at_hash`
    token = mint_token(SHOPPER, "id", issued_at=NOW, claims={"at_hash": "x2P8aNs0qk3QFnHXcZ3dNw"})

    # When / Then it verifies without the access token
    assert verifier.verify(token).username == SHOPPER.username


@pytest.mark.parametrize(
    ("token_use", "claims", "reason"),
    [
        ("access", {"username": None}, "names no user"),
        ("id", {"cognito:username": None}, "names no user"),
        ("id", {"username": SHOPPER.username, "cognito:username": None}, "names no user"),
        ("access", {"client_id": None, "aud": USER_POOL_CLIENT_ID}, "client_id None"),
        ("id", {"aud": None, "client_id": USER_POOL_CLIENT_ID}, "aud None"),
        ("id", {"aud": [USER_POOL_CLIENT_ID]}, "aud"),
        ("access", {"exp": str(NOW + 60)}, "exp"),
        ("access", {"sub": None}, "sub"),
        ("access", {"cognito:groups": "admin"}, "cognito:groups"),
        ("access", {"iss": None}, "issuer"),
    ],
    ids=[
        "access token without username",
        "ID token without cognito:username",
        "ID token naming its user the access token's way",
        "access token with aud instead of client_id",
        "ID token with client_id instead of aud",
        "aud as a list",
        "exp as a string",
        "no sub",
        "cognito:groups not a list",
        "no iss",
    ],
)
def test_a_token_missing_or_misplacing_a_claim_is_refused(
    verifier: TokenVerifier, token_use: TokenUse, claims: dict[str, object], reason: str
) -> None:
    # Given a well-signed token whose claims are not the shape Cognito gives them
    token = mint_token(ADMIN, token_use, issued_at=NOW, claims=claims)

    # When / Then it is refused, and the reason names the claim
    with pytest.raises(AuthorizationRefusedError, match=reason):
        verifier.verify(token)


def test_a_group_other_than_admin_grants_nothing(verifier: TokenVerifier) -> None:
    # Given a shopper in some other groups, one of them merely resembling `admin`
    token = mint_token(SHOPPER, issued_at=NOW, claims={"cognito:groups": ["Admin", "admins"]})

    # When / Then the shopper is no admin
    assert verifier.verify(token).is_admin is False


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda: mint_token(issued_at=NOW, alg="none"), id="alg none"),
        pytest.param(lambda: mint_token(issued_at=NOW, alg="HS256"), id="alg HS256"),
        pytest.param(lambda: mint_token(issued_at=NOW, headers={"kid": None}), id="no kid"),
    ],
)
def test_a_token_refused_by_its_header_costs_no_jwks_fetch(
    verifier: TokenVerifier, jwks_source: CountingJwksSource, token: Callable[[], str]
) -> None:
    # Given a token whose header alone disqualifies it
    # When it is verified
    with pytest.raises(AuthorizationRefusedError, match="header"):
        verifier.verify(token())

    # Then the JWKS endpoint was not bothered
    assert jwks_source.fetches == 0


BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
CLAIM_NAMES = st.sampled_from(
    [
        "sub",
        "iss",
        "token_use",
        "exp",
        "iat",
        "nbf",
        "client_id",
        "aud",
        "username",
        "cognito:username",
        "cognito:groups",
        "jti",
        "at_hash",
    ]
)


def _fresh_verifier() -> TokenVerifier:
    # Built per example: hypothesis runs a test many times with one set of fixtures.
    return TokenVerifier(
        issuer=ISSUER,
        client_id=USER_POOL_CLIENT_ID,
        signing_keys=JwksClient(CountingJwksSource()),
        clock=lambda: NOW,
    )


@given(
    st.text(max_size=600)
    | st.lists(st.text(alphabet=BASE64URL, max_size=200), min_size=3, max_size=3).map(".".join)
)
def test_any_text_is_refused_and_nothing_else_is_raised(text: str) -> None:
    # Given / When / Then arbitrary text is refused the one way the handler turns into a 401
    with pytest.raises(AuthorizationRefusedError):
        _fresh_verifier().verify(text)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(CLAIM_NAMES, JSON_VALUES, min_size=1, max_size=3))
def test_well_signed_odd_claims_are_refused_or_accepted_and_nothing_else(
    claims: dict[str, object],
) -> None:
    # Given a well-signed token with some claims replaced by arbitrary JSON
    token = mint_token(ADMIN, "id", issued_at=NOW, claims=claims)

    # When it is verified
    try:
        identity = _fresh_verifier().verify(token)
    except AuthorizationRefusedError:
        return

    # Then, if accepted, it is the subject the issuer signed: the admin's, or the one put in
    # its place
    assert identity.sub == claims.get("sub", ADMIN.sub)


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_the_bearer_scheme_is_case_insensitive(scheme: str) -> None:
    # Given / When / Then the token is what follows the scheme
    assert bearer_token(f"{scheme} abc.def.ghi") == "abc.def.ghi"


def _is_accepted(verifier: TokenVerifier, token: str) -> bool:
    try:
        verifier.verify(token)
    except AuthorizationRefusedError:
        return False
    return True
