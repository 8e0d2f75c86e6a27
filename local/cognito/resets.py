"""The codes ForgotPassword sends, for local/cognito/proxy.py: moto accepts any code at
ConfirmForgotPassword (it checks only codes it would have put in an HTTP header of its own),
so anyone could set anyone's password. Cognito e-mails a code that resets that user's
password once, within an hour; locally the code is printed, as sign-up codes are.
moto does not check the new password against the pool's policy there either: the policy is
read from the template and checked first (a refused password leaves the code unspent).
"""

import secrets
import threading
import time
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, NamedTuple

from local.cognito.security import user_key
from stacks.intrinsics import Scope, resolve
from stacks.templates import resources_of_type

# Cognito's password reset codes are valid for one hour.
CODE_SECONDS = 3600
# Cognito stops taking guesses at a code after a few wrong ones; then a new code is needed.
MAX_WRONG_GUESSES = 5


class Verdict(Enum):
    ACCEPTED = "accepted"
    MISMATCH = "mismatch"  # no code asked for, or another code than the one sent
    EXPIRED = "expired"  # the code sent was used, or is older than an hour
    TOO_MANY_GUESSES = "too many guesses"


class _Sent(NamedTuple):
    code: str
    expires: float
    wrong_guesses: int = 0
    used: bool = False


class PasswordResetCodes:
    """The last code sent to each user, by username. Thread-safe; `snapshot()` and the
    constructor carry it across `--persist` restarts."""

    def __init__(
        self, initial: Mapping[str, Any] | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._sent: dict[str, _Sent] = {
            user: _Sent(*values) for user, values in (initial or {}).items()
        }

    def send(self, username: str) -> str:
        """A new code for the user; the one sent before no longer works."""
        code = f"{secrets.randbelow(1_000_000):06d}"
        with self._lock:
            self._sent[user_key(username)] = _Sent(code, self._clock() + CODE_SECONDS)
        return code

    def redeem(self, username: str, code: str) -> Verdict:
        """Whether `code` resets the user's password now; an accepted code is spent."""
        user = user_key(username)
        with self._lock:
            sent = self._sent.get(user)
            if sent is None:
                return Verdict.MISMATCH
            if sent.used or self._clock() >= sent.expires:
                return Verdict.EXPIRED
            if sent.wrong_guesses >= MAX_WRONG_GUESSES:
                return Verdict.TOO_MANY_GUESSES
            if not secrets.compare_digest(sent.code, code):
                self._sent[user] = sent._replace(wrong_guesses=sent.wrong_guesses + 1)
                return Verdict.MISMATCH
            self._sent[user] = sent._replace(used=True)
            return Verdict.ACCEPTED

    def give_back(self, username: str, code: str) -> None:
        """The accepted `code` works again (the reset it was spent on failed)."""
        user = user_key(username)
        with self._lock:
            sent = self._sent.get(user)
            if sent is not None and sent.code == code:
                self._sent[user] = sent._replace(used=False)

    def snapshot(self) -> dict[str, list[Any]]:
        with self._lock:
            return {user: list(sent) for user, sent in self._sent.items()}


# Cognito's special characters for `RequireSymbols`.
_SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
_RULES: tuple[tuple[str, Callable[[str], bool], str], ...] = (
    ("RequireUppercase", lambda password: any(c.isupper() for c in password), "uppercase"),
    ("RequireLowercase", lambda password: any(c.islower() for c in password), "lowercase"),
    ("RequireNumbers", lambda password: any(c.isdigit() for c in password), "numeric"),
    ("RequireSymbols", lambda password: any(c in _SYMBOLS for c in password), "symbol"),
)


def password_policy(template: Mapping[str, Any], scope: Scope) -> dict[str, Any]:
    """The user pool's `PasswordPolicy` (the bootstrap template has one pool)."""
    for pool in resources_of_type(dict(template), "AWS::Cognito::UserPool").values():
        policies = pool.get("Properties", {}).get("Policies", {})
        resolved: dict[str, Any] = resolve(policies.get("PasswordPolicy", {}), scope)
        return resolved
    return {}


def password_refusal(policy: Mapping[str, Any], password: str) -> str | None:
    """Cognito's InvalidPasswordException message for `password`; None if the policy takes it.

    moto checks the policy at sign-up and ChangePassword, not at ConfirmForgotPassword.
    """
    if len(password) < int(policy.get("MinimumLength", 8)):
        return "Password did not conform with policy: Password not long enough"
    for setting, met, kind in _RULES:
        if policy.get(setting, True) and not met(password):
            return f"Password did not conform with policy: Password must have {kind} characters"
    return None
