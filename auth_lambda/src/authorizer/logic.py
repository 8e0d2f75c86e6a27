"""What the authorizer decides for one request."""

from typing import Any

from authorizer.policy import policy_for
from authorizer.verification import TokenVerifier, bearer_token


def authorize(authorization: str, method_arn: str, verifier: TokenVerifier) -> dict[str, Any]:
    """The policy for the bearer of `authorization`; `AuthorizationRefusedError` otherwise."""
    identity = verifier.verify(bearer_token(authorization))
    return policy_for(identity, method_arn)
