"""The authorizer's side of API Gateway: its policy cache and IAM matching of a method ARN.

A TOKEN authorizer returns a principal, an IAM policy and a context; API Gateway caches that
per (authorizer, token) for the authorizer's TTL and allows a request when the policy allows
`execute-api:Invoke` on the request's method ARN and nothing denies it.
"""

import functools
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# Entries kept before expired ones are dropped.
_CACHE_SWEEP_SIZE = 10_000


@dataclass(frozen=True)
class Authorization:
    """What an authorizer returned: its principal, policy and context (values as strings)."""

    principal_id: str
    policy: dict[str, Any]
    context: dict[str, str]

    @classmethod
    def from_result(cls, result: Any) -> "Authorization":
        """An authorizer's result as API Gateway reads it; KeyError/TypeError/ValueError if
        it is malformed (API Gateway's AUTHORIZER_CONFIGURATION_ERROR)."""
        return cls(
            principal_id=str(result["principalId"]),
            policy=dict(result["policyDocument"]),
            context={
                name: context_value(value) for name, value in (result.get("context") or {}).items()
            },
        )


def context_value(value: Any) -> str:
    """A scalar as API Gateway hands authorizer context values and header values on."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        raise TypeError("authorizer context values must be scalars")
    return str(value)


class PolicyCache:
    """The authorizer results API Gateway keeps per token for the authorizer's TTL."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: dict[tuple[str, str], tuple[float, Authorization]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def get(self, key: tuple[str, str]) -> Authorization | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] <= self._clock():
                return None
            return entry[1]

    def put(self, key: tuple[str, str], ttl_seconds: int, authorization: Authorization) -> None:
        if ttl_seconds <= 0:
            return
        with self._lock:
            now = self._clock()
            if len(self._entries) > _CACHE_SWEEP_SIZE:
                self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
            self._entries[key] = (now + ttl_seconds, authorization)


def wildcard_matches(pattern: str, value: str) -> bool:
    """IAM-style matching as API Gateway applies it to policy ARNs: `*` any run, `?` one."""
    return _wildcard_regex(pattern).fullmatch(value) is not None


@functools.lru_cache(maxsize=4096)
def _wildcard_regex(pattern: str) -> re.Pattern[str]:
    regex = "".join(
        ".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern
    )
    return re.compile(regex, re.DOTALL)


def policy_effect(policy: Mapping[str, Any], method_arn: str) -> str | None:
    """ "Deny" if a statement denies, else "Allow" if one allows, else None (implicit deny)."""
    statements = policy.get("Statement", [])
    effects = set()
    for statement in statements if isinstance(statements, list) else [statements]:
        actions = _as_list(statement.get("Action", []))
        resources = _as_list(statement.get("Resource", []))
        if any(wildcard_matches(action, "execute-api:Invoke") for action in actions) and any(
            wildcard_matches(resource, method_arn) for resource in resources
        ):
            effects.add(statement.get("Effect"))
    if "Deny" in effects:
        return "Deny"
    return "Allow" if "Allow" in effects else None


def _as_list(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]
