"""What Cognito keeps about sign-ins that moto does not keep faithfully, for local/cognito/proxy.py.

- Authenticator apps (TOTP): moto hands every user the same constant secret and accepts any
  code; Cognito gives each user a secret of their own and checks every code, once.
- Challenge sessions: moto lets a `RespondToAuthChallenge` name any user in its USERNAME and
  answer any challenge (an `SMS_MFA` or `MFA_SETUP` answer to a `SOFTWARE_TOKEN_MFA`
  challenge signs in with no code); Cognito binds the session to the user who started the
  sign-in and to the challenge it asked, for 3 minutes.
- Token revocation: moto has no `RevokeToken`; Cognito refuses a revoked refresh token, and
  the access tokens issued from it, at its own API.
"""

import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

import pyotp

CHALLENGE_SESSION_SECONDS = 180
# Cognito's secrets are 32 base32 characters (160 bits).
SECRET_LENGTH = 32
# A code of the previous or next 30-second step is accepted too (clock drift), as Cognito does.
ACCEPTED_STEPS_AROUND_NOW = 1


class Challenge(NamedTuple):
    """What a sign-in session asked, of whom, until when."""

    user: str
    expires: float
    name: str = ""  # a state saved before challenges were named answers no challenge


def user_key(username: str) -> str:
    """The pool's usernames are case-insensitive (UsernameConfiguration.CaseSensitive false)."""
    return username.casefold()


class CognitoSecurity:
    """Thread-safe; `snapshot()` and the constructor carry it across `--persist` restarts."""

    def __init__(
        self, initial: Mapping[str, Any] | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        state = dict(initial or {})
        self._clock = clock
        self._lock = threading.Lock()
        self._challenges: dict[str, Challenge] = {
            session: Challenge(*values) for session, values in state.get("challenges", {}).items()
        }
        self._pending_secrets: dict[str, str] = dict(state.get("pending_secrets", {}))
        self._secrets: dict[str, str] = dict(state.get("secrets", {}))
        self._last_step: dict[str, int] = dict(state.get("last_step", {}))
        self._origins: dict[str, str] = dict(state.get("origins", {}))
        self._revoked_tokens: set[str] = set(state.get("revoked_tokens", []))
        self._revoked_origins: set[str] = set(state.get("revoked_origins", []))

    # ------------------------------------------------------------------ challenge sessions
    def open_challenge(self, session: str, username: str, challenge: str) -> None:
        with self._lock:
            expires = self._clock() + CHALLENGE_SESSION_SECONDS
            self._challenges[session] = Challenge(user_key(username), expires, challenge)

    def challenge(self, session: str) -> Challenge | None:
        """What the session asked of whom; None if unknown or expired."""
        with self._lock:
            challenge = self._challenges.get(session)
            return challenge if challenge and self._clock() < challenge.expires else None

    def challenge_user(self, session: str) -> str | None:
        """The user whose sign-in the session continues; None if unknown or expired."""
        challenge = self.challenge(session)
        return challenge.user if challenge else None

    def close_challenge(self, session: str) -> None:
        with self._lock:
            self._challenges.pop(session, None)

    # ------------------------------------------------------------------ authenticator apps
    def new_secret(self, username: str) -> str:
        """A secret for the user's authenticator app; it counts once a code from it is verified."""
        secret = pyotp.random_base32(SECRET_LENGTH)
        with self._lock:
            self._pending_secrets[user_key(username)] = secret
        return secret

    def matches_new_secret(self, username: str, code: str) -> bool:
        with self._lock:
            return self._accepts(
                user_key(username), self._pending_secrets.get(user_key(username)), code
            )

    def confirm_new_secret(self, username: str) -> None:
        with self._lock:
            secret = self._pending_secrets.pop(user_key(username), None)
            if secret is not None:
                self._secrets[user_key(username)] = secret

    def matches_secret(self, username: str, code: str) -> bool:
        with self._lock:
            return self._accepts(user_key(username), self._secrets.get(user_key(username)), code)

    def _accepts(self, user: str, secret: str | None, code: str) -> bool:
        """A current code of `secret` that this user has not used yet (each code works once)."""
        if secret is None or not code.isdigit():
            return False
        totp = pyotp.TOTP(secret)
        now = self._clock()
        current = totp.timecode(datetime.fromtimestamp(now, UTC))
        for offset in range(-ACCEPTED_STEPS_AROUND_NOW, ACCEPTED_STEPS_AROUND_NOW + 1):
            step = current + offset
            if step > self._last_step.get(user, -1) and pyotp.utils.strings_equal(
                totp.generate_otp(step), code
            ):
                self._last_step[user] = step
                return True
        return False

    # ------------------------------------------------------------------ revocation
    def issued(self, refresh_token: str, origin_jti: str) -> None:
        """Tokens issued together: revoking the refresh token revokes the access tokens."""
        if origin_jti:
            with self._lock:
                self._origins[refresh_token] = origin_jti

    def revoke(self, refresh_token: str) -> None:
        with self._lock:
            self._revoked_tokens.add(refresh_token)
            origin = self._origins.get(refresh_token)
            if origin is not None:
                self._revoked_origins.add(origin)

    def refresh_token_revoked(self, refresh_token: str) -> bool:
        with self._lock:
            return refresh_token in self._revoked_tokens

    def access_token_revoked(self, origin_jti: str) -> bool:
        with self._lock:
            return origin_jti in self._revoked_origins

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "challenges": {key: list(value) for key, value in self._challenges.items()},
                "pending_secrets": dict(self._pending_secrets),
                "secrets": dict(self._secrets),
                "last_step": dict(self._last_step),
                "origins": dict(self._origins),
                "revoked_tokens": sorted(self._revoked_tokens),
                "revoked_origins": sorted(self._revoked_origins),
            }
