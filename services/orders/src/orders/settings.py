"""The orders functions' settings, validated at cold start."""

from pydantic import Field

from shop_common.settings import ServiceSettings


class OrdersSettings(ServiceSettings):
    orders_table_name: str = Field(alias="ORDERS_TABLE_NAME", min_length=1)
    products_table_name: str = Field(alias="PRODUCTS_TABLE_NAME", min_length=1)
    idempotency_table_name: str = Field(alias="IDEMPOTENCY_TABLE_NAME", min_length=1)
    user_pool_id: str = Field(alias="USER_POOL_ID", min_length=1)
    currency: str = Field(alias="SHOP_CURRENCY", pattern=r"^[A-Z]{3}$")
