"""What the vault functions create once per container, at cold start."""

from shop_common.dynamodb import dynamodb_table
from vault.logic import VaultDeps
from vault.repository import BotoCloudFront, DynamoDBVaultTable, S3ConfigBodies
from vault.settings import UserPoolSettings, VaultSettings
from vault.user_pool import CognitoUserPool
from vault.users import UserDeps

settings = VaultSettings.from_env()


def vault_deps() -> VaultDeps:
    return VaultDeps(
        table=DynamoDBVaultTable(dynamodb_table(settings.vault_table_name)),
        bodies=S3ConfigBodies(settings.vault_bucket_name),
        cloudfront=BotoCloudFront(),
    )


def user_deps() -> UserDeps:
    return UserDeps(pool=CognitoUserPool(UserPoolSettings.from_env().user_pool_id))
