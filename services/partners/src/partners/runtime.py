"""What the partners functions create once per container, at cold start: each handler
module reads only its own settings and builds only the parts its route uses."""

from partners.logic import PartnerDesk
from partners.repository import ApiGatewayPartnerDirectory, DynamoDBCatalogue, apigateway_client
from partners.settings import CatalogueSettings, PartnerAdminSettings
from shop_common.dynamodb import Table


def catalogue_settings() -> CatalogueSettings:
    return CatalogueSettings.from_env()


def catalogue(settings: CatalogueSettings) -> DynamoDBCatalogue:
    return DynamoDBCatalogue(Table(settings.products_table_name))


def admin_settings() -> PartnerAdminSettings:
    return PartnerAdminSettings.from_env()


def partner_desk(settings: PartnerAdminSettings) -> PartnerDesk:
    return PartnerDesk(
        ApiGatewayPartnerDirectory(
            apigateway_client(), settings.usage_plan_name_prefix, settings.stage
        )
    )
