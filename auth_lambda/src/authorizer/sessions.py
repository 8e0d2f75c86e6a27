"""Whether Cognito still honours an access token: a JWT cannot tell that it was revoked.

Cognito refuses, at its own API, an access token revoked by sign-out (`RevokeToken`,
`GlobalSignOut`) or by an admin (`AdminUserGlobalSignOut`, as the vault does to a user it
demotes), or whose user was deleted. `GetUser` with the token asks it: a public action,
unsigned, that needs no IAM permission. The authorizer asks only for tokens that carry a vault
role (and so the shop's admin): the few whose misuse matters most.

One JSON POST through urllib, as the JWKS fetch: importing boto3 would cost the authorizer
more than its whole cold-start margin (see ARCHITECTURE's Cold start).
"""

import json
import urllib.error
import urllib.request

from authorizer.errors import AuthorizationRefusedError

GET_USER_TARGET = "AWSCognitoIdentityProviderService.GetUser"
TIMEOUT_SECONDS = 3.0


class CognitoSessions:
    """Cognito's API at `endpoint` (`https://cognito-idp.<region>.amazonaws.com/`)."""

    def __init__(self, endpoint: str, timeout: float = TIMEOUT_SECONDS) -> None:
        self._endpoint = endpoint
        self._timeout = timeout

    def check(self, access_token: str) -> None:
        """`AuthorizationRefusedError` unless Cognito takes the token (fail closed: an
        unanswered question refuses too)."""
        request = urllib.request.Request(  # noqa: S310 - the settings allow http(s) only
            self._endpoint,
            data=json.dumps({"AccessToken": access_token}).encode(),
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": GET_USER_TARGET,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout):  # noqa: S310
                return
        except urllib.error.HTTPError as refused:
            code = refused.headers.get("x-amzn-ErrorType", "").split(":")[0] or refused.code
            raise AuthorizationRefusedError(
                f"Cognito refused the access token ({code})"
            ) from refused
        except OSError as exc:  # URLError and timeouts are OSErrors
            raise AuthorizationRefusedError(f"Cognito did not answer: {exc}") from exc
