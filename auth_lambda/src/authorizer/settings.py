"""The authorizer's settings, read from the environment once per container (cold start)."""

import os
from collections.abc import Mapping
from typing import Annotated, Self

import msgspec

# `\Z`, not `$`: Python's `$` also matches before a trailing newline.
UserPoolId = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9-]+_[0-9A-Za-z]+\Z")]
ClientId = Annotated[str, msgspec.Meta(pattern=r"^[\w+]+\Z")]
Region = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9-]+\Z")]
# An http(s) URL with a host, or blank (unset).
BlankOrHttpUrl = Annotated[str, msgspec.Meta(pattern=r"^(https?://[^\s/?#]+([/?#]\S*)?)?\Z")]


class AuthorizerSettings(msgspec.Struct, frozen=True):
    """Which user pool and app client a token must come from, and where the pool's keys are."""

    user_pool_id: UserPoolId = msgspec.field(name="USER_POOL_ID")
    user_pool_client_id: ClientId = msgspec.field(name="USER_POOL_CLIENT_ID")
    region: Region = msgspec.field(name="AWS_REGION")
    # Only the local stack sets it: its emulated Cognito serves the keys on another host.
    jwks_url_override: BlankOrHttpUrl = msgspec.field(default="", name="JWKS_URL")
    # Only the local stack sets it: its Cognito's API (in AWS, the region's endpoint).
    cognito_endpoint_override: BlankOrHttpUrl = msgspec.field(default="", name="COGNITO_ENDPOINT")

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def jwks_url(self) -> str:
        return self.jwks_url_override or f"{self.issuer}/.well-known/jwks.json"

    @property
    def cognito_endpoint(self) -> str:
        """Where Cognito's API answers (its GetUser)."""
        return self.cognito_endpoint_override or f"https://cognito-idp.{self.region}.amazonaws.com/"

    @classmethod
    def from_env(cls, environment: Mapping[str, str] = os.environ) -> Self:
        """Fail fast, at import time, when the function is deployed without its settings
        (`msgspec.ValidationError` names the variable)."""
        return msgspec.convert(dict(environment), cls)
