"""The products functions' settings, validated at cold start."""

from pydantic import Field

from shop_common.settings import ServiceSettings


class ProductsSettings(ServiceSettings):
    products_table_name: str = Field(alias="PRODUCTS_TABLE_NAME", min_length=1)
