"""The authorizer's settings: the issuer and JWKS URL follow from the pool, or are overridden."""

import pytest
from msgspec import ValidationError

from authorizer.settings import AuthorizerSettings
from tests.builders.tokens import ISSUER, REGION, USER_POOL_CLIENT_ID, USER_POOL_ID

ENVIRONMENT = {
    "USER_POOL_ID": USER_POOL_ID,
    "USER_POOL_CLIENT_ID": USER_POOL_CLIENT_ID,
    "AWS_REGION": REGION,
    "POWERTOOLS_SERVICE_NAME": "authorizer",
}


def test_the_issuer_and_jwks_url_are_the_pools() -> None:
    # Given / When
    settings = AuthorizerSettings.from_env(ENVIRONMENT)

    # Then
    assert settings.issuer == ISSUER
    assert settings.jwks_url == f"{ISSUER}/.well-known/jwks.json"


def test_jwks_url_overrides_where_the_keys_are_fetched_but_not_the_issuer() -> None:
    # Given the local stack's emulated Cognito
    local_jwks = f"http://127.0.0.1:8000/{USER_POOL_ID}/.well-known/jwks.json"

    # When
    settings = AuthorizerSettings.from_env({**ENVIRONMENT, "JWKS_URL": local_jwks})

    # Then
    assert (settings.jwks_url, settings.issuer) == (local_jwks, ISSUER)


def test_a_blank_jwks_url_means_the_pools() -> None:
    # Given / When
    settings = AuthorizerSettings.from_env({**ENVIRONMENT, "JWKS_URL": ""})

    # Then
    assert settings.jwks_url == f"{ISSUER}/.well-known/jwks.json"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("USER_POOL_ID", None),
        ("USER_POOL_CLIENT_ID", None),
        ("AWS_REGION", None),
        ("USER_POOL_ID", "no-underscore"),
        ("USER_POOL_ID", "eu-west-1_pool/../../evil"),
        ("USER_POOL_ID", "eu-west-1_pool\n"),
        ("JWKS_URL", "file:///etc/passwd"),
        ("JWKS_URL", "http://"),
    ],
)
def test_a_missing_or_malformed_setting_fails_the_cold_start(
    variable: str, value: str | None
) -> None:
    # Given an environment with one setting missing or wrong
    environment = {**ENVIRONMENT, variable: value}
    if value is None:
        del environment[variable]

    # When / Then
    with pytest.raises(ValidationError, match=variable):
        AuthorizerSettings.from_env(environment)
