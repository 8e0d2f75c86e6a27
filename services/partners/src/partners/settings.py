"""The partners functions' settings, validated at cold start."""

from typing import Literal

from pydantic import Field

from shop_common.settings import ServiceSettings


class CatalogueSettings(ServiceSettings):
    """The catalogue and quote functions (the container image)."""

    products_table_name: str = Field(alias="PRODUCTS_TABLE_NAME", min_length=1)
    currency: str = Field(alias="SHOP_CURRENCY", pattern=r"^[A-Z]{3}$")


class PartnerAdminSettings(ServiceSettings):
    """The admin's partner management functions."""

    usage_plan_name_prefix: str = Field(alias="USAGE_PLAN_NAME_PREFIX", min_length=1)
    # The tag every partner key carries: the stage's functions may use only its keys.
    stage: Literal["dev", "prod"] = Field(alias="SHOP_STAGE")
