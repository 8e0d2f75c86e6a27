"""What the vault functions create once per container, at cold start."""

from shop_common.dynamodb import dynamodb_table
from vault.logic import VaultDeps
from vault.repository import (
    BotoCloudFront,
    DynamoDBSchedules,
    DynamoDBVaultTable,
    EventBridgeScheduler,
    S3ConfigBodies,
)
from vault.schedules import ScheduleDeps
from vault.settings import ScheduleSettings, VaultSettings

settings = VaultSettings.from_env()


def vault_deps() -> VaultDeps:
    return VaultDeps(
        table=DynamoDBVaultTable(dynamodb_table(settings.vault_table_name)),
        bodies=S3ConfigBodies(settings.vault_bucket_name),
        cloudfront=BotoCloudFront(),
    )


def schedule_store() -> DynamoDBSchedules:
    return DynamoDBSchedules(dynamodb_table(settings.vault_table_name))


def schedule_deps() -> ScheduleDeps:
    """The schedule routes' (their functions alone have the scheduler's settings)."""
    own = ScheduleSettings.from_env()
    return ScheduleDeps(
        store=schedule_store(),
        scheduler=EventBridgeScheduler(
            group=own.schedule_group,
            target_arn=own.detection_function_arn,
            role_arn=own.scheduler_role_arn,
        ),
        distributions=DynamoDBVaultTable(dynamodb_table(settings.vault_table_name)),
    )
