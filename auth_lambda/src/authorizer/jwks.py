"""The user pool's signing keys (JWKS): fetched once per container and cached.

The only module that does I/O. A `kid` the cache does not know triggers at most one refetch
per `refetch_interval` (Cognito rotates keys rarely; a flood of forged `kid`s must not turn
into a flood of requests to the JWKS endpoint), then the token is refused.
"""

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from functools import partial
from typing import Annotated, Any, Literal, Self

import msgspec
from jose import jwk
from jose.backends.base import Key
from jose.exceptions import JOSEError

from authorizer.errors import AuthorizationRefusedError

FETCH_TIMEOUT_SECONDS = 3.0
REFETCH_INTERVAL_SECONDS = 60.0

JwksSource = Callable[[], Mapping[str, Any]]
"""Returns the JWKS document (`{"keys": [...]}`) as parsed JSON."""


def fetch_jwks(url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> Mapping[str, Any]:
    """GET the JWKS document at `url` (http or https, as the settings validated)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            document = json.load(response)
    except (OSError, ValueError) as exc:  # URLError, HTTPError and timeouts are OSErrors
        raise AuthorizationRefusedError(f"JWKS not available from {url}: {exc}") from exc
    if not isinstance(document, Mapping):
        raise AuthorizationRefusedError(f"JWKS from {url} is not a JSON object")
    return document


NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]


class RsaSigningJwk(msgspec.Struct, frozen=True):
    """A key this authorizer can verify with: RSA, for signatures, RS256."""

    kid: NonEmpty
    kty: Literal["RSA"]
    n: NonEmpty
    e: NonEmpty
    alg: Literal["RS256"] = "RS256"
    use: Literal["sig"] = "sig"


class JwksClient:
    """Signing keys by `kid`, loaded on first use and kept for the container's life."""

    def __init__(
        self,
        source: JwksSource,
        *,
        refetch_interval: float = REFETCH_INTERVAL_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._source = source
        self._refetch_interval = refetch_interval
        self._monotonic = monotonic
        self._keys: dict[str, Key] | None = None
        self._refetched_at: float | None = None
        # The local stack may call one authorizer from several threads.
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str) -> Self:
        return cls(partial(fetch_jwks, url))

    def key_for(self, kid: str) -> Key:
        keys = self._keys
        if keys is not None and kid in keys:
            return keys[kid]
        return self._refetch_for(kid)

    def _refetch_for(self, kid: str) -> Key:
        with self._lock:
            if self._keys is not None:
                if kid in self._keys:  # another thread fetched while this one waited
                    return self._keys[kid]
                self._start_refetch(kid)
            # A cold cache (first call, or every fetch so far failed) always fetches:
            # without keys no token can pass anyway.
            self._keys = _signing_keys(self._source())
            if kid not in self._keys:
                raise AuthorizationRefusedError(f"unknown kid {kid!r}, even in a fresh JWKS")
            return self._keys[kid]

    def _start_refetch(self, kid: str) -> None:
        """Allow this refetch, or refuse the kid if the last one was too recent."""
        now = self._monotonic()
        if self._refetched_at is not None and now - self._refetched_at < self._refetch_interval:
            raise AuthorizationRefusedError(
                f"unknown kid {kid!r}; JWKS refetched {now - self._refetched_at:.0f} s ago"
            )
        self._refetched_at = now


def _signing_keys(document: Mapping[str, Any]) -> dict[str, Key]:
    """The usable keys of a JWKS document; any other key is left out (an unknown `kid`)."""
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise AuthorizationRefusedError("JWKS document has no `keys` list")
    usable = (_usable_key(entry) for entry in entries)
    return dict(kid_and_key for kid_and_key in usable if kid_and_key is not None)


def _usable_key(entry: object) -> tuple[str, Key] | None:
    try:
        declared = msgspec.convert(entry, RsaSigningJwk)
        return declared.kid, jwk.construct(msgspec.structs.asdict(declared), algorithm=declared.alg)
    except (ValueError, JOSEError):  # msgspec's ValidationError is a ValueError
        return None
