"""The authorizer's settings, read from the environment once per container (cold start)."""

import os
from typing import Self

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator


class AuthorizerSettings(BaseModel):
    """Which user pool and app client a token must come from, and where the pool's keys are."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    user_pool_id: str = Field(alias="USER_POOL_ID", pattern=r"^[a-z0-9-]+_[0-9A-Za-z]+$")
    user_pool_client_id: str = Field(alias="USER_POOL_CLIENT_ID", pattern=r"^[\w+]+$")
    region: str = Field(alias="AWS_REGION", pattern=r"^[a-z0-9-]+$")
    # Only the local stack sets it: its emulated Cognito serves the keys on another host.
    jwks_url_override: AnyHttpUrl | None = Field(default=None, alias="JWKS_URL")
    # Only the local stack sets it: its Cognito's API (in AWS, the region's endpoint).
    cognito_endpoint_override: AnyHttpUrl | None = Field(default=None, alias="COGNITO_ENDPOINT")

    @field_validator("jwks_url_override", "cognito_endpoint_override", mode="before")
    @classmethod
    def blank_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def jwks_url(self) -> str:
        if self.jwks_url_override is not None:
            return str(self.jwks_url_override)
        return f"{self.issuer}/.well-known/jwks.json"

    @property
    def cognito_endpoint(self) -> str | None:
        """None: boto3's endpoint for the region."""
        return (
            None if self.cognito_endpoint_override is None else str(self.cognito_endpoint_override)
        )

    @classmethod
    def from_env(cls) -> Self:
        """Fail fast, at import time, when the function is deployed without its settings."""
        return cls.model_validate(dict(os.environ))
