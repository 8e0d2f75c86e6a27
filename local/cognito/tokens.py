"""Access and ID tokens that live as long as the pool's app client says, for local/cognito/proxy.py.

moto 5.2.5 stores an app client's AccessTokenValidity, IdTokenValidity and TokenValidityUnits
(DescribeUserPoolClient returns them) but signs every access and ID token for 60 minutes:
`CognitoIdpUserPool.create_access_token` and `create_id_token` call `create_jwt` without
`expires_in`, whose default is 3600 s, and nothing passes the client's validity. Cognito
issues them for the client's validity (bootstrap/template.yaml's UserPoolClient).

So each token moto issues is signed again with the same key (moto's own, which the pool's JWKS
publishes and the authorizer checks), `exp` set to `iat` plus the client's validity read from
the template, and `ExpiresIn` with it. moto knows its tokens by their text: a call that carries
a token issued here reaches moto with moto's own. A token that moto's key did not sign (an
external emulator with keys of its own) is passed on as it is.
"""

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jose import jwt
from jose.exceptions import JOSEError
from moto.utilities.utils import load_resource

from stacks.intrinsics import Scope, resolve
from stacks.templates import resources_of_type

_SIGNING_KEY: dict[str, Any] = load_resource("cognitoidp/resources/jwks-private.json")
_VERIFYING_KEYS: dict[str, Any] = load_resource("cognitoidp/resources/jwks-public.json")
# The claims are checked by whoever receives the token; here only the signature matters.
_SIGNATURE_ONLY = {
    "verify_aud": False,
    "verify_iat": False,
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
    "verify_at_hash": False,
}
# The tokens of an AuthenticationResult: field, `token_use` (a TokenLifetimes field), and
# the claim that names the app client.
_TOKENS = (("AccessToken", "access", "client_id"), ("IdToken", "id", "aud"))
# What an app client says about its tokens' lifetimes.
_READ = {"AccessTokenValidity", "IdTokenValidity", "TokenValidityUnits"}
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# Cognito's defaults: a validity in hours when TokenValidityUnits names none, 60 minutes when
# the client sets no validity.
_DEFAULT_UNIT = "hours"
_DEFAULT_SECONDS = 3600


@dataclass(frozen=True)
class TokenLifetimes:
    """How long an app client's tokens live, in seconds."""

    access: int
    id: int


def client_token_lifetimes(template: Mapping[str, Any], scope: Scope) -> dict[str, TokenLifetimes]:
    """The lifetimes each app client of `template` sets, by client id (`Ref` in `scope`)."""
    lifetimes = {}
    for logical_id, client in resources_of_type(
        dict(template), "AWS::Cognito::UserPoolClient"
    ).items():
        properties = resolve(
            {name: value for name, value in client.get("Properties", {}).items() if name in _READ},
            scope,
        )
        lifetimes[str(scope.ref(logical_id))] = TokenLifetimes(
            access=_seconds(properties, "AccessToken"), id=_seconds(properties, "IdToken")
        )
    return lifetimes


def _seconds(properties: Mapping[str, Any], token: str) -> int:
    validity = properties.get(f"{token}Validity")
    if validity is None:
        return _DEFAULT_SECONDS
    unit = (properties.get("TokenValidityUnits") or {}).get(token, _DEFAULT_UNIT)
    return int(validity) * _UNIT_SECONDS[unit]


class ReissuedTokens:
    """The tokens signed again here, each with moto's original. Thread-safe; `snapshot()`
    and the constructor carry it across `--persist` restarts."""

    def __init__(self, initial: Mapping[str, str] | None = None) -> None:
        self._originals: dict[str, str] = dict(initial or {})
        self._lock = threading.Lock()

    def reissue(
        self, result: Mapping[str, Any], lifetimes: Mapping[str, TokenLifetimes]
    ) -> dict[str, Any]:
        """An AuthenticationResult with its access and ID tokens living as their client says."""
        reissued = dict(result)
        for field, use, client_claim in _TOKENS:
            claims = _moto_claims(result.get(field))
            client = lifetimes.get(str(claims.get(client_claim))) if claims else None
            if claims is None or client is None or claims.get("token_use") != use:
                continue
            lifetime: int = getattr(client, use)
            reissued[field] = self._sign(str(result[field]), claims, lifetime)
            if field == "AccessToken":
                reissued["ExpiresIn"] = lifetime  # Cognito's ExpiresIn is the access token's
        return reissued

    def emulator_token(self, token: str) -> str:
        """The token moto issued for `token` (itself if it was not signed again here)."""
        with self._lock:
            return self._originals.get(token, token)

    def snapshot(self) -> dict[str, str]:
        with self._lock:
            return dict(self._originals)

    def _sign(self, original: str, claims: dict[str, Any], lifetime: int) -> str:
        claims = {**claims, "exp": int(claims["iat"]) + lifetime}
        headers = jwt.get_unverified_header(original)
        signed: str = jwt.encode(claims, _SIGNING_KEY, algorithm="RS256", headers=headers)
        with self._lock:
            self._originals[signed] = original
        return signed


def _moto_claims(token: object) -> dict[str, Any] | None:
    """The token's claims if it is one moto's key signed, else None."""
    if not isinstance(token, str):
        return None
    try:
        claims: dict[str, Any] = jwt.decode(
            token, _VERIFYING_KEYS, algorithms=["RS256"], options=_SIGNATURE_ONLY
        )
    except JOSEError:
        return None
    return claims
