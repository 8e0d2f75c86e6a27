"""Whether Cognito still honours an access token: a JWT cannot tell that it was revoked.

Cognito refuses, at its own API, an access token revoked by sign-out (`RevokeToken`,
`GlobalSignOut`) or by an admin (`AdminUserGlobalSignOut`, as the vault does to a user it
demotes), or whose user was deleted. `GetUser` with the token asks it: a public action,
unsigned, that needs no IAM permission. The authorizer asks only for tokens that carry a vault
role (and so the shop's admin): the few whose misuse matters most.
"""

from typing import Any, Self

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from authorizer.errors import AuthorizationRefusedError

_CLIENT_CONFIG = Config(
    signature_version=UNSIGNED,
    connect_timeout=2,
    read_timeout=3,
    retries={"max_attempts": 2, "mode": "standard"},
)


class CognitoSessions:
    def __init__(self, cognito: Any) -> None:
        self._cognito = cognito

    @classmethod
    def for_region(cls, region: str, endpoint_url: str | None = None) -> Self:
        """Cognito's API in `region` (or, locally, at `endpoint_url`)."""
        return cls(
            boto3.client(
                "cognito-idp", region_name=region, endpoint_url=endpoint_url, config=_CLIENT_CONFIG
            )
        )

    def check(self, access_token: str) -> None:
        """`AuthorizationRefusedError` unless Cognito takes the token (fail closed: an
        unanswered question refuses too)."""
        try:
            self._cognito.get_user(AccessToken=access_token)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            raise AuthorizationRefusedError(f"Cognito refused the access token ({code})") from exc
        except BotoCoreError as exc:
            raise AuthorizationRefusedError(f"Cognito did not answer: {exc}") from exc
