"""What the authorizer decides for one request."""

from typing import Any, Protocol

from authorizer.policy import policy_for
from authorizer.verification import TokenVerifier, bearer_token


class Sessions(Protocol):
    def check(self, access_token: str) -> None:
        """`AuthorizationRefusedError` if Cognito no longer honours the token."""
        ...


def authorize(
    authorization: str, method_arn: str, verifier: TokenVerifier, sessions: Sessions
) -> dict[str, Any]:
    """The policy for the bearer of `authorization`; `AuthorizationRefusedError` otherwise.

    An access token with a vault role is also checked with Cognito, so a user signed out or
    demoted is refused from then on (ID tokens cannot be asked about; their 15 minutes stand).
    """
    token = bearer_token(authorization)
    identity = verifier.verify(token)
    if identity.vault_role is not None and identity.from_access_token:
        sessions.check(token)
    return policy_for(identity, method_arn)
