"""What the vault functions create once per container, at cold start."""

from shop_common.dynamodb import dynamodb_table
from vault.logic import VaultDeps
from vault.repository import BotoCloudFront, DynamoDBVaultTable, S3ConfigBodies
from vault.settings import VaultSettings

settings = VaultSettings.from_env()


def vault_deps() -> VaultDeps:
    return VaultDeps(
        table=DynamoDBVaultTable(dynamodb_table(settings.vault_table_name)),
        bodies=S3ConfigBodies(settings.vault_bucket_name),
        cloudfront=BotoCloudFront(),
    )
