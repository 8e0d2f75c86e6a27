"""What the vault functions create once per container, at cold start."""

from shop_common.dynamodb import dynamodb_table
from shop_common.mail import notifier
from shop_common.notify import MailSettings
from vault.logic import VaultDeps
from vault.repository import (
    BotoCloudFront,
    DynamoDBAuditLog,
    DynamoDBNotificationSettings,
    DynamoDBVaultTable,
    S3ConfigBodies,
)
from vault.settings import VaultSettings

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
