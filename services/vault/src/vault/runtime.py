"""What the vault functions create once per container, at cold start: each handler module
builds only the parts its route uses (no S3 or CloudFront client for a route that reads
neither; the user pool's and the scheduler's parts for their own routes alone)."""

from typing import TYPE_CHECKING

from shop_common.dynamodb import Table
from shop_common.mail import notifier
from shop_common.notify import MailSettings
from vault.dependencies import VaultDeps, VaultRecords, VaultStore
from vault.repository import (
    BotoCloudFront,
    DynamoDBAuditLog,
    DynamoDBInvitations,
    DynamoDBNotificationSettings,
    DynamoDBSchedules,
    DynamoDBUserLeases,
    DynamoDBVaultTable,
    EventBridgeScheduler,
    S3ConfigBodies,
)
from vault.settings import ScheduleSettings, UserPoolSettings, VaultSettings

if TYPE_CHECKING:
    from vault.schedules import ScheduleDeps
    from vault.users import UserDeps

settings = VaultSettings.from_env()


def vault_records() -> VaultRecords:
    table = Table(settings.vault_table_name)
    return VaultRecords(
        table=DynamoDBVaultTable(table),
        audit=DynamoDBAuditLog(table),
        notification_settings=DynamoDBNotificationSettings(table),
        notifier=notifier(MailSettings.from_env()),
    )


def vault_store() -> VaultStore:
    return VaultStore(**vars(vault_records()), bodies=S3ConfigBodies(settings.vault_bucket_name))


def vault_deps() -> VaultDeps:
    return VaultDeps(**vars(vault_store()), cloudfront=BotoCloudFront())


def user_deps() -> "UserDeps":
    # Imported here: only the user functions load the user pool's models and client.
    from vault.user_pool import CognitoUserPool
    from vault.users import UserDeps

    table = Table(settings.vault_table_name)
    return UserDeps(
        pool=CognitoUserPool(UserPoolSettings.from_env().user_pool_id),
        invitations=DynamoDBInvitations(table),
        leases=DynamoDBUserLeases(table),
        vault=vault_records(),
    )


def schedule_store() -> DynamoDBSchedules:
    return DynamoDBSchedules(Table(settings.vault_table_name))


def schedule_deps() -> "ScheduleDeps":
    """The schedule routes' (their functions alone have the scheduler's settings)."""
    from vault.schedules import ScheduleDeps

    own = ScheduleSettings.from_env()
    return ScheduleDeps(
        store=schedule_store(),
        scheduler=EventBridgeScheduler(
            group=own.schedule_group,
            target_arn=own.detection_function_arn,
            role_arn=own.scheduler_role_arn,
        ),
        vault=vault_records(),
    )
