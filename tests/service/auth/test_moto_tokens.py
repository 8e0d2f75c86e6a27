"""Tokens from moto's Cognito (the local stack's identity provider) pass the real verifier."""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import boto3
import msgspec
import pytest
import requests
from moto import mock_aws
from moto.server import ThreadedMotoServer

from authorizer.jwks import JwksClient, JwksSource, fetch_jwks
from authorizer.settings import AuthorizerSettings
from authorizer.verification import TokenVerifier
from tests.builders.callers import ADMIN, SHOPPER, Caller
from tests.builders.tokens import REGION, TokenUse

PASSWORD = "Moto-Test-Passw0rd!"

# (username, token use) -> token
Tokens = dict[tuple[str, TokenUse], str]


@dataclass(frozen=True)
class MotoPool:
    settings: AuthorizerSettings
    tokens: Tokens
    jwks_source: JwksSource


def sign_in_everyone(cognito: Any) -> tuple[AuthorizerSettings, Tokens]:
    """A pool, its app client and `admin` group, and the tokens of a shopper and an admin."""
    pool_id = cognito.create_user_pool(PoolName="shop")["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito.create_group(UserPoolId=pool_id, GroupName="admin")
    tokens: Tokens = {}
    for caller in (SHOPPER, ADMIN):
        cognito.admin_create_user(UserPoolId=pool_id, Username=caller.username)
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=caller.username, Password=PASSWORD, Permanent=True
        )
        if caller.is_admin:
            cognito.admin_add_user_to_group(
                UserPoolId=pool_id, Username=caller.username, GroupName="admin"
            )
        result = cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": caller.username, "PASSWORD": PASSWORD},
        )["AuthenticationResult"]
        tokens[caller.username, "access"] = result["AccessToken"]
        tokens[caller.username, "id"] = result["IdToken"]
    settings = AuthorizerSettings.from_env(
        {"USER_POOL_ID": pool_id, "USER_POOL_CLIENT_ID": client_id, "AWS_REGION": REGION}
    )
    return settings, tokens


CASES = [(caller, use) for caller in (SHOPPER, ADMIN) for use in ("access", "id")]
CASE_IDS = [f"{caller.username} {use} token" for caller, use in CASES]


@pytest.fixture(scope="module")
def mocked_pool() -> Iterator[MotoPool]:
    """moto in-process: the JWKS at the URL the authorizer derives from the pool id.

    moto answers that URL when it is asked through `requests`, not urllib.
    """
    with mock_aws():
        settings, tokens = sign_in_everyone(boto3.client("cognito-idp", region_name=REGION))
        url = settings.jwks_url
        yield MotoPool(settings, tokens, lambda: requests.get(url, timeout=5).json())


@pytest.fixture(scope="module")
def served_pool() -> Iterator[MotoPool]:
    """moto's server, as the local stack runs it, with JWKS_URL pointing at it (urllib)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    cognito = boto3.client("cognito-idp", region_name=REGION, endpoint_url=endpoint)
    settings, tokens = sign_in_everyone(cognito)
    local_jwks_url = f"{endpoint}/{settings.user_pool_id}/.well-known/jwks.json"
    settings = msgspec.structs.replace(settings, jwks_url_override=local_jwks_url)
    yield MotoPool(settings, tokens, partial(fetch_jwks, settings.jwks_url))
    server.stop()


@pytest.mark.parametrize("pool_fixture", ["mocked_pool", "served_pool"])
@pytest.mark.parametrize(("caller", "token_use"), CASES, ids=CASE_IDS)
def test_a_moto_token_verifies_against_the_jwks_moto_serves(
    request: pytest.FixtureRequest, pool_fixture: str, caller: Caller, token_use: TokenUse
) -> None:
    # Given a token from moto's Cognito, and the verifier the settings describe
    pool: MotoPool = request.getfixturevalue(pool_fixture)
    verifier = TokenVerifier(
        issuer=pool.settings.issuer,
        client_id=pool.settings.user_pool_client_id,
        signing_keys=JwksClient(pool.jwks_source),
    )

    # When it is verified
    identity = verifier.verify(pool.tokens[caller.username, token_use])

    # Then it is the caller, an admin through the `admin` group
    assert (identity.username, identity.is_admin) == (caller.username, caller.is_admin)
    assert identity.sub
