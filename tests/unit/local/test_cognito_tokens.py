"""The local Cognito's token lifetimes (local/cognito/tokens.py): as the app client says."""

from jose import jwt
from moto.utilities.utils import load_resource

from local.cognito.tokens import (
    ReissuedTokens,
    TokenLifetimes,
    client_token_lifetimes,
)
from stacks.intrinsics import Scope
from stacks.templates import BOOTSTRAP_TEMPLATE, load_template, resources_of_type
from tests.builders.tokens import SHOPPER, USER_POOL_CLIENT_ID, TokenUse, cognito_claims, mint_token

CLIENT_ID = USER_POOL_CLIENT_ID
MOTO_KEY = load_resource("cognitoidp/resources/jwks-private.json")
LIFETIMES = {CLIENT_ID: TokenLifetimes(access=900, id=600)}


def moto_token(use: TokenUse, client_id: str = CLIENT_ID) -> str:
    """A token as moto 5.2.5 signs it: its key and kid, valid for 60 minutes."""
    claims = cognito_claims(SHOPPER, use)
    claims["client_id" if use == "access" else "aud"] = client_id
    token: str = jwt.encode(claims, MOTO_KEY, algorithm="RS256", headers={"kid": "dummy"})
    return token


def lifetime(token: str) -> int:
    claims = jwt.get_unverified_claims(token)
    return int(claims["exp"]) - int(claims["iat"])


def test_the_bootstrap_templates_client_gives_fifteen_minute_access_and_id_tokens() -> None:
    template = load_template(BOOTSTRAP_TEMPLATE)
    [logical_id] = resources_of_type(template, "AWS::Cognito::UserPoolClient")

    assert client_token_lifetimes(template, Scope({logical_id: CLIENT_ID})) == {
        CLIENT_ID: TokenLifetimes(access=900, id=900)
    }


def test_without_units_a_validity_is_in_hours_and_without_validity_an_hour() -> None:
    template = {
        "Resources": {
            "Client": {
                "Type": "AWS::Cognito::UserPoolClient",
                "Properties": {"AccessTokenValidity": 2},
            }
        }
    }

    lifetimes = client_token_lifetimes(template, Scope({"Client": CLIENT_ID}))

    assert lifetimes == {CLIENT_ID: TokenLifetimes(access=7200, id=3600)}


def test_moto_tokens_are_signed_again_for_their_clients_lifetimes() -> None:
    tokens = ReissuedTokens()
    result = {"AccessToken": moto_token("access"), "IdToken": moto_token("id"), "ExpiresIn": 3600}

    reissued = tokens.reissue(result, LIFETIMES)

    assert (lifetime(reissued["AccessToken"]), lifetime(reissued["IdToken"])) == (900, 600)
    assert reissued["ExpiresIn"] == 900
    for field in ("AccessToken", "IdToken"):
        claims = jwt.decode(
            reissued[field],
            load_resource("cognitoidp/resources/jwks-public.json"),
            algorithms=["RS256"],
            options={"verify_aud": False, "verify_at_hash": False},
        )
        assert claims | {"exp": 0} == jwt.get_unverified_claims(result[field]) | {"exp": 0}


def test_calls_carrying_a_reissued_token_reach_moto_with_its_own() -> None:
    tokens = ReissuedTokens()
    original = moto_token("access")
    reissued = tokens.reissue({"AccessToken": original}, LIFETIMES)["AccessToken"]

    assert tokens.emulator_token(reissued) == original
    assert ReissuedTokens(tokens.snapshot()).emulator_token(reissued) == original
    assert tokens.emulator_token("unknown") == "unknown"


def test_tokens_of_another_key_or_an_unknown_client_are_left_as_they_are() -> None:
    tokens = ReissuedTokens()
    foreign = mint_token(SHOPPER, "id")
    unknown_client = moto_token("access", client_id="other")

    result = {"AccessToken": unknown_client, "IdToken": foreign, "ExpiresIn": 3600}

    assert tokens.reissue(result, LIFETIMES) == result
