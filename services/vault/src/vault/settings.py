"""The vault functions' settings, validated at cold start."""

from pydantic import Field

from shop_common.settings import ServiceSettings


class VaultSettings(ServiceSettings):
    vault_table_name: str = Field(alias="VAULT_TABLE_NAME", min_length=1)
    # The versioned, encrypted bucket of configuration bodies.
    vault_bucket_name: str = Field(alias="VAULT_BUCKET_NAME", min_length=1)
