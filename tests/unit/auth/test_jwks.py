"""The JWKS cache: one fetch per container, one rate-limited refetch for an unknown `kid`."""

from itertools import cycle, islice
from typing import Any

import pytest

from authorizer.errors import AuthorizationRefusedError
from authorizer.jwks import REFETCH_INTERVAL_SECONDS, JwksClient
from authorizer.verification import TokenVerifier
from tests.builders.tokens import ACCEPTED_TOKENS, mint_token, signing_key
from tests.unit.auth.doubles import NOW, CountingJwksSource, FakeMonotonic


def test_the_jwks_is_fetched_once_for_a_thousand_verifications(
    verifier: TokenVerifier, jwks_source: CountingJwksSource
) -> None:
    # Given tokens of every accepted kind
    tokens = [mint_token(caller, use, issued_at=NOW) for caller, use in ACCEPTED_TOKENS.values()]

    # When 1,000 of them are verified
    identities = [verifier.verify(token) for token in islice(cycle(tokens), 1000)]

    # Then all were accepted and the JWKS was fetched once
    assert len(identities) == 1000
    assert jwks_source.fetches == 1


def test_an_unknown_kid_gets_one_refetch_then_a_refusal(
    verifier: TokenVerifier, jwks_source: CountingJwksSource
) -> None:
    # Given a warm cache
    verifier.verify(mint_token(issued_at=NOW))

    # When a token names a key the pool does not publish, twice
    unknown = mint_token(issued_at=NOW, key=signing_key("retired"))
    for _ in range(2):
        with pytest.raises(AuthorizationRefusedError, match="unknown kid 'retired'"):
            verifier.verify(unknown)

    # Then the JWKS was refetched once for it, not twice
    assert jwks_source.fetches == 2


def test_refetches_are_rate_limited_then_allowed_again(
    verifier: TokenVerifier, jwks_source: CountingJwksSource, monotonic: FakeMonotonic
) -> None:
    # Given a cache that has just refetched for one unknown kid
    verifier.verify(mint_token(issued_at=NOW))
    with pytest.raises(AuthorizationRefusedError):
        verifier.verify(mint_token(issued_at=NOW, key=signing_key("retired")))

    # When another unknown kid comes within the interval, and again after it
    with pytest.raises(AuthorizationRefusedError, match="refetched 0 s ago"):
        verifier.verify(mint_token(issued_at=NOW, key=signing_key("attacker")))
    fetches_within_interval = jwks_source.fetches
    monotonic.seconds += REFETCH_INTERVAL_SECONDS
    with pytest.raises(AuthorizationRefusedError):
        verifier.verify(mint_token(issued_at=NOW, key=signing_key("attacker")))

    # Then only the one after the interval fetched
    assert (fetches_within_interval, jwks_source.fetches) == (2, 3)


def test_a_rotated_in_key_is_picked_up_by_the_refetch(
    verifier: TokenVerifier, jwks_source: CountingJwksSource
) -> None:
    # Given a warm cache, then the pool publishes a new key beside the old one
    verifier.verify(mint_token(issued_at=NOW))
    jwks_source.keys = (signing_key(), signing_key("rotated-in"))

    # When a token signed with the new key arrives
    identity = verifier.verify(mint_token(issued_at=NOW, key=signing_key("rotated-in")))

    # Then it is accepted after one refetch
    assert identity.username
    assert jwks_source.fetches == 2


def test_a_failed_first_fetch_refuses_and_the_next_request_fetches_again(
    jwks_client: JwksClient, jwks_source: CountingJwksSource
) -> None:
    # Given a JWKS endpoint that is down, then back
    jwks_source.available = False
    with pytest.raises(AuthorizationRefusedError, match="not available"):
        jwks_client.key_for(signing_key().kid)
    jwks_source.available = True

    # When the key is asked for again at once
    key = jwks_client.key_for(signing_key().kid)

    # Then it is fetched (a cold cache is not rate-limited) and found
    assert key.to_dict()["n"] == signing_key().public_jwk["n"]
    assert jwks_source.fetches == 2


def test_a_failed_refetch_keeps_the_keys_already_known(
    jwks_client: JwksClient, jwks_source: CountingJwksSource
) -> None:
    # Given a warm cache, then an endpoint that is down
    jwks_client.key_for(signing_key().kid)
    jwks_source.available = False

    # When an unknown kid forces a refetch, which fails
    with pytest.raises(AuthorizationRefusedError, match="not available"):
        jwks_client.key_for("retired")

    # Then the pool's key is still served from the cache
    assert jwks_client.key_for(signing_key().kid).to_dict()["n"] == signing_key().public_jwk["n"]
    assert jwks_source.fetches == 2


def test_keys_it_cannot_verify_with_are_left_out() -> None:
    # Given a JWKS with an EC key, an encryption key, a key without kid and the pool's key
    pool_key = signing_key().public_jwk
    unusable = [
        {"kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"},
        {**pool_key, "kid": "enc", "use": "enc"},
        {key: value for key, value in pool_key.items() if key != "kid"},
        {**pool_key, "kid": "broken", "n": "!!!"},
    ]
    client = JwksClient(lambda: {"keys": [*unusable, pool_key]})

    # When / Then the pool's key is found and the others are unknown kids
    assert client.key_for(pool_key["kid"]).to_dict()["n"] == pool_key["n"]
    for kid in ("ec", "enc", "broken"):
        with pytest.raises(AuthorizationRefusedError, match="unknown kid"):
            client.key_for(kid)


@pytest.mark.parametrize("document", [{}, {"keys": "none"}], ids=["no keys", "keys not a list"])
def test_a_document_that_is_no_jwks_is_refused(document: dict[str, Any]) -> None:
    # Given / When / Then
    with pytest.raises(AuthorizationRefusedError, match="no `keys` list"):
        JwksClient(lambda: document).key_for(signing_key().kid)
