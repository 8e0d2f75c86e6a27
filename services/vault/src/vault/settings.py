"""The vault functions' settings, validated at cold start."""

import os
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

from shop_common.settings import ServiceSettings


class VaultSettings(ServiceSettings):
    vault_table_name: str = Field(alias="VAULT_TABLE_NAME", min_length=1)
    # The versioned, encrypted bucket of configuration bodies.
    vault_bucket_name: str = Field(alias="VAULT_BUCKET_NAME", min_length=1)


class ScheduleSettings(VaultSettings):
    """The schedule functions' own: where and how they put EventBridge schedules."""

    # The stage's own schedule group, the detection function's alias they invoke, and the
    # role EventBridge Scheduler assumes to invoke it.
    schedule_group: str = Field(alias="SCHEDULE_GROUP", min_length=1)
    detection_function_arn: str = Field(alias="DETECTION_FUNCTION_ARN", min_length=1)
    scheduler_role_arn: str = Field(alias="SCHEDULER_ROLE_ARN", min_length=1)


class UserPoolSettings(BaseModel):
    """The user management functions' pool (the stage's, bootstrap's `UserPoolId`)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    user_pool_id: str = Field(alias="USER_POOL_ID", pattern=r"^[\w-]+_[0-9A-Za-z]+$")

    @classmethod
    def from_env(cls) -> Self:
        return cls.model_validate(dict(os.environ))
