"""Settings read from the environment once per container and validated at cold start."""

import os
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ServiceSettings(BaseModel):
    """What every service function needs. Subclasses add their tables."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    allowed_origins: tuple[str, ...] = Field(alias="ALLOWED_ORIGINS", min_length=1)

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(origin.strip() for origin in value.split(",") if origin.strip())
        return value

    @classmethod
    def from_env(cls) -> Self:
        """Fail fast, at import time, when the function is deployed without its settings."""
        return cls.model_validate(dict(os.environ))
