"""Cognito-shaped JWTs signed with RSA keys the tests generate, and the JWKS that verifies them.

`mint_token(caller, token_use)` makes the access or ID token Cognito would issue to a caller
of tests/builders/callers.py; keyword arguments override claims, headers, the key or the
algorithm. `REFUSED_AUTHORIZATIONS` builds every `Authorization` header the API answers
with 401, for the authorizer's tests and the end-to-end authorization matrix.
"""

import hashlib
import hmac
import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal
from uuid import uuid4

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt
from jose.backends.base import Key
from jose.utils import base64url_encode

from tests.builders.callers import ADMIN, EDITOR, SHOPPER, VIEWER, Caller

REGION = "eu-west-1"
USER_POOL_ID = f"{REGION}_TestPool1"
USER_POOL_CLIENT_ID = "4tcl1entid0fthetestpoolapp"
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{USER_POOL_ID}"
TOKEN_LIFETIME_SECONDS = 3600

TokenUse = Literal["access", "id"]
Algorithm = Literal["RS256", "HS256", "none"]


@dataclass(frozen=True)
class SigningKey:
    """An RSA key pair as the user pool holds it: the private key signs, the public JWK verifies."""

    kid: str
    private_key: Key
    public_pem: str
    public_jwk: dict[str, str]


@cache
def signing_key(kid: str = "test-key-1") -> SigningKey:
    """A fresh 2048-bit RSA key per `kid`, generated once per test session."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    public_jwk = jwk.construct(public_pem, algorithm="RS256").to_dict()
    return SigningKey(
        kid=kid,
        # Parsed once: loading an RSA private key is far slower than signing with it.
        private_key=jwk.construct(private_pem, algorithm="RS256"),
        public_pem=public_pem,
        public_jwk={**public_jwk, "kid": kid, "use": "sig"},
    )


def jwks_document(*keys: SigningKey) -> dict[str, Any]:
    """The JWKS a user pool publishes for `keys` (the default test key if none)."""
    return {"keys": [key.public_jwk for key in keys or (signing_key(),)]}


def cognito_claims(
    caller: Caller = SHOPPER, token_use: TokenUse = "access", *, issued_at: int | None = None
) -> dict[str, Any]:
    """The claims Cognito puts in an access or ID token of the test pool's app client."""
    now = int(time.time()) if issued_at is None else issued_at
    claims: dict[str, Any] = {
        "sub": caller.sub,
        "iss": ISSUER,
        "token_use": token_use,
        "auth_time": now,
        "iat": now,
        "exp": now + TOKEN_LIFETIME_SECONDS,
        "jti": str(uuid4()),
        "origin_jti": str(uuid4()),
    }
    groups = ["admin"] if caller.is_admin else []
    if caller.vault_role and caller.vault_role not in groups:
        groups.append(caller.vault_role)
    if groups:
        claims["cognito:groups"] = groups
    if token_use == "access":
        claims |= {
            "client_id": USER_POOL_CLIENT_ID,
            "scope": "aws.cognito.signin.user.admin",
            "username": caller.username,
        }
    else:
        claims |= {
            "aud": USER_POOL_CLIENT_ID,
            "cognito:username": caller.username,
            "email": f"{caller.username}@example.com",
            "email_verified": True,
        }
    return claims


def mint_token(
    caller: Caller = SHOPPER,
    token_use: TokenUse = "access",
    *,
    key: SigningKey | None = None,
    alg: Algorithm = "RS256",
    issued_at: int | None = None,
    claims: Mapping[str, Any] | None = None,
    headers: Mapping[str, Any] | None = None,
) -> str:
    """A compact JWT for `caller`.

    `claims` and `headers` are merged over the defaults; a `None` value removes that entry.
    `alg="HS256"` signs with HMAC keyed by the public key's PEM (the key-confusion forgery),
    `alg="none"` leaves the signature empty.
    """
    key = key or signing_key()
    header = _merged({"alg": alg, "typ": "JWT", "kid": key.kid}, headers)
    payload = _merged(cognito_claims(caller, token_use, issued_at=issued_at), claims)
    if alg == "RS256":
        token: str = jwt.encode(payload, key.private_key, algorithm=alg, headers=header)
        return token
    # python-jose refuses to make these forgeries, so they are assembled by hand.
    signing_input = f"{_segment(header)}.{_segment(payload)}"
    signature = (
        b""
        if alg == "none"
        else hmac.digest(key.public_pem.encode(), signing_input.encode(), hashlib.sha256)
    )
    return f"{signing_input}.{base64url_encode(signature).decode()}"


def bearer(token: str) -> str:
    return f"Bearer {token}"


# The token of every caller and kind the API accepts, by case name.
ACCEPTED_TOKENS: dict[str, tuple[Caller, TokenUse]] = {
    "shopper access token": (SHOPPER, "access"),
    "shopper ID token": (SHOPPER, "id"),
    "admin access token": (ADMIN, "access"),
    "admin ID token": (ADMIN, "id"),
    "vault editor access token": (EDITOR, "access"),
    "vault viewer ID token": (VIEWER, "id"),
}

OTHER_POOL_ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{REGION}_OtherPool"
OTHER_CLIENT_ID = "0therappc1ientofthesamep00l"


def _garbage(size: int) -> str:
    """`size` characters of base64url noise (the same on every run)."""
    noise: bytes = base64url_encode(random.Random(size).randbytes(size))
    return noise.decode()[:size]


# Every Authorization header the contract answers with 401, by case name; each builder
# takes the current time (epoch seconds) so that only the case's own flaw is wrong.
REFUSED_AUTHORIZATIONS: dict[str, Callable[[int], str]] = {
    "expired": lambda now: bearer(mint_token(issued_at=now - 2 * TOKEN_LIFETIME_SECONDS)),
    "not yet valid": lambda now: bearer(mint_token(issued_at=now, claims={"nbf": now + 600})),
    "issued in the future": lambda now: bearer(mint_token(issued_at=now + 600)),
    "signed by another key": lambda now: bearer(
        mint_token(issued_at=now, key=signing_key("attacker"), headers={"kid": signing_key().kid})
    ),
    "alg none": lambda now: bearer(mint_token(issued_at=now, alg="none")),
    "HS256 keyed with the public key": lambda now: bearer(mint_token(issued_at=now, alg="HS256")),
    "HS256 signature under an RS256 header": lambda now: bearer(
        mint_token(issued_at=now, alg="HS256", headers={"alg": "RS256"})
    ),
    "wrong iss": lambda now: bearer(mint_token(issued_at=now, claims={"iss": OTHER_POOL_ISSUER})),
    "wrong client_id": lambda now: bearer(
        mint_token(issued_at=now, claims={"client_id": OTHER_CLIENT_ID})
    ),
    "wrong aud": lambda now: bearer(
        mint_token(token_use="id", issued_at=now, claims={"aud": OTHER_CLIENT_ID})
    ),
    "wrong token_use": lambda now: bearer(
        mint_token(issued_at=now, claims={"token_use": "refresh"})
    ),
    "no kid": lambda now: bearer(mint_token(issued_at=now, headers={"kid": None})),
    "unknown kid": lambda now: bearer(mint_token(issued_at=now, key=signing_key("retired"))),
    "not three parts": lambda now: bearer(".".join(mint_token(issued_at=now).split(".")[:2])),
    "bad base64": lambda now: bearer("eyJ!!!.eyJ@@@.c2ln%%%"),
    "8 KiB of garbage": lambda now: bearer(_garbage(8192)),
    "8 KiB of garbage in three parts": lambda now: bearer(
        ".".join((_garbage(2730), _garbage(2731), _garbage(2731)))
    ),
    "missing Bearer": lambda now: mint_token(issued_at=now),
    "another scheme": lambda now: f"Basic {mint_token(issued_at=now)}",
    "Bearer without a token": lambda now: "Bearer ",
    "empty header": lambda now: "",
}


def _merged(defaults: dict[str, Any], overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    merged = {**defaults, **(overrides or {})}
    return {name: value for name, value in merged.items() if value is not None}


def _segment(part: Mapping[str, Any]) -> str:
    encoded: bytes = base64url_encode(json.dumps(part, separators=(",", ":")).encode())
    return encoded.decode()
