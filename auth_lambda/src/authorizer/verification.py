"""Token verification: pure and typed; the signing keys and the clock are injected.

python-jose checks the signature (RS256 only, with the key the header's `kid` names) and the
issuer. The time claims are checked here against the injected clock, because python-jose
reads the wall clock itself; the audience is checked here because Cognito puts it in
`client_id` for access tokens and in `aud` for ID tokens.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import msgspec
from jose import jwt
from jose.backends.base import Key
from jose.exceptions import JWTError

from authorizer.errors import AuthorizationRefusedError
from authorizer.jwks import NonEmpty

ALGORITHM = "RS256"
CLOCK_SKEW_SECONDS = 30
ADMIN_GROUP = "admin"
# The config vault's roles, strongest first: the shop's admin is the vault's admin.
VAULT_ROLE_GROUPS = (ADMIN_GROUP, "editor", "viewer")

EpochClock = Callable[[], float]

_JOSE_OPTIONS = {
    "verify_aud": False,
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    # ID tokens from the hosted UI carry `at_hash`, which python-jose can only check
    # against the access token issued with them, which an authorizer never sees.
    "verify_at_hash": False,
}


class SigningKeys(Protocol):
    def key_for(self, kid: str) -> Key: ...


# msgspec converts strictly: no string is taken for a number, nor a number or bool for a string.
class TokenHeader(msgspec.Struct, frozen=True):
    alg: Literal["RS256"]
    kid: NonEmpty


class CognitoClaims(msgspec.Struct, frozen=True):
    """The claims of a Cognito access or ID token that the authorizer relies on."""

    sub: NonEmpty
    token_use: Literal["access", "id"]
    exp: int
    iat: int
    nbf: int | None = None
    client_id: str | None = None
    aud: str | None = None
    username: NonEmpty | None = None
    cognito_username: NonEmpty | None = msgspec.field(default=None, name="cognito:username")
    groups: tuple[str, ...] = msgspec.field(default=(), name="cognito:groups")

    @property
    def is_id_token(self) -> bool:
        return self.token_use == "id"  # noqa: S105 - a claim value, not a password

    @property
    def audience_claim(self) -> str:
        """Where Cognito names the app client: `aud` in ID tokens, `client_id` in access ones."""
        return "aud" if self.is_id_token else "client_id"

    @property
    def audience(self) -> str | None:
        return self.aud if self.is_id_token else self.client_id

    @property
    def caller_name(self) -> str | None:
        return self.cognito_username if self.is_id_token else self.username


@dataclass(frozen=True)
class Identity:
    """Who the verified token speaks for."""

    sub: str
    username: str
    is_admin: bool
    # The strongest of VAULT_ROLE_GROUPS the caller belongs to (None: no vault access).
    vault_role: str | None = None
    # An access token, which Cognito can be asked about (an ID token cannot).
    from_access_token: bool = True


class TokenVerifier:
    """Verifies Cognito tokens of one user pool's app client."""

    def __init__(
        self,
        *,
        issuer: str,
        client_id: str,
        signing_keys: SigningKeys,
        clock: EpochClock = time.time,
        clock_skew: int = CLOCK_SKEW_SECONDS,
    ) -> None:
        self._issuer = issuer
        self._client_id = client_id
        self._signing_keys = signing_keys
        self._clock = clock
        self._clock_skew = clock_skew

    def verify(self, token: str) -> Identity:
        header = _header_of(token)
        key = self._signing_keys.key_for(header.kid)
        try:
            payload = jwt.decode(
                token, key, algorithms=[ALGORITHM], issuer=self._issuer, options=_JOSE_OPTIONS
            )
        except JWTError as exc:
            raise AuthorizationRefusedError(f"token rejected: {exc}") from exc
        claims = _validated(CognitoClaims, payload, "claims")
        self._check_lifetime(claims)
        self._check_audience(claims)
        if claims.caller_name is None:
            raise AuthorizationRefusedError(f"{claims.token_use} token names no user")
        return Identity(
            sub=claims.sub,
            username=claims.caller_name,
            is_admin=ADMIN_GROUP in claims.groups,
            vault_role=next((role for role in VAULT_ROLE_GROUPS if role in claims.groups), None),
            from_access_token=not claims.is_id_token,
        )

    def _check_lifetime(self, claims: CognitoClaims) -> None:
        now = self._clock()
        if claims.exp + self._clock_skew < now:
            raise AuthorizationRefusedError(f"token expired at {claims.exp} (now {now:.0f})")
        for name, moment in (("nbf", claims.nbf), ("iat", claims.iat)):
            if moment is not None and moment - self._clock_skew > now:
                raise AuthorizationRefusedError(f"{name} {moment} is in the future ({now:.0f})")

    def _check_audience(self, claims: CognitoClaims) -> None:
        if claims.audience != self._client_id:
            raise AuthorizationRefusedError(
                f"{claims.audience_claim} {claims.audience!r} is not this app client"
            )


def bearer_token(authorization: str) -> str:
    """The token of an `Authorization: Bearer <token>` header."""
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthorizationRefusedError("Authorization header is not `Bearer <token>`")
    return token.strip()


def _header_of(token: str) -> TokenHeader:
    try:
        header = jwt.get_unverified_header(token)
    except JWTError as exc:
        raise AuthorizationRefusedError(f"not a JWT: {exc}") from exc
    return _validated(TokenHeader, header, "header")


def _validated[M: msgspec.Struct](model: type[M], data: Any, part: str) -> M:
    """`data` as `model`; else refused with the first invalid field's path (`$.exp`)."""
    try:
        return msgspec.convert(data, model)
    except msgspec.ValidationError as exc:
        raise AuthorizationRefusedError(f"token {part} refused: {exc}") from exc
