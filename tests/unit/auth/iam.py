"""How API Gateway evaluates an authorizer's policy for a request's method ARN."""

import re
from typing import Any


def is_allowed(policy: dict[str, Any], method_arn: str) -> bool:
    """An explicit Deny wins, then any Allow; anything else is denied.

    Resource patterns use IAM's wildcards: `*` is any run of characters, `/` included, and
    `?` is any one character.
    """
    effects = {
        statement["Effect"].lower()
        for statement in policy["policyDocument"]["Statement"]
        if _matches(statement["Action"], "execute-api:Invoke")
        and any(_matches(resource, method_arn) for resource in _as_list(statement["Resource"]))
    }
    return "allow" in effects and "deny" not in effects


def _matches(pattern: str | list[str], value: str) -> bool:
    return any(
        re.fullmatch(re.escape(each).replace(r"\*", ".*").replace(r"\?", "."), value)
        for each in _as_list(pattern)
    )


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value
