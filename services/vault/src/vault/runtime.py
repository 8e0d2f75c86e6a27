"""What the vault functions create once per container, at cold start."""

from shop_common.dynamodb import dynamodb_table
from shop_common.mail import notifier
from shop_common.notify import MailSettings
from vault.dependencies import VaultDeps
from vault.repository import (
    BotoCloudFront,
    DynamoDBAuditLog,
    DynamoDBNotificationSettings,
    DynamoDBSchedules,
    DynamoDBVaultTable,
    EventBridgeScheduler,
    S3ConfigBodies,
)
from vault.schedules import ScheduleDeps
from vault.settings import ScheduleSettings, UserPoolSettings, VaultSettings
from vault.user_pool import CognitoUserPool
from vault.users import UserDeps

settings = VaultSettings.from_env()


def vault_deps() -> VaultDeps:
    table = dynamodb_table(settings.vault_table_name)
    return VaultDeps(
        table=DynamoDBVaultTable(table),
        bodies=S3ConfigBodies(settings.vault_bucket_name),
        cloudfront=BotoCloudFront(),
        audit=DynamoDBAuditLog(table),
        notification_settings=DynamoDBNotificationSettings(table),
        notifier=notifier(MailSettings.from_env()),
    )


def user_deps() -> UserDeps:
    return UserDeps(
        pool=CognitoUserPool(UserPoolSettings.from_env().user_pool_id),
        vault=vault_deps(),
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
        vault=vault_deps(),
    )
