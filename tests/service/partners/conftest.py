"""The partners functions as the partners template names them: the admin's against moto's
API Gateway (keys and the usage plans of the API template), the partners' catalogue and
quotes against moto's Products table; each imported and invoked in exactly the environment
its template gives it (tests/builders/environments.py)."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from local.apigateway.usage_plan_keys import faithful_usage_plan_keys
from local.apigateway.usage_plans import (
    USAGE,
    create_usage_plans,
    serve_get_usage,
    usage_plan_specs,
)
from partners.logic import PartnerDesk
from partners.repository import ApiGatewayPartnerDirectory, DynamoDBCatalogue
from partners.settings import CatalogueSettings, PartnerAdminSettings
from shop_common.api import entrypoint
from shop_common.dynamodb import Table
from stacks.templates import API_TEMPLATE, SERVICE_TEMPLATES, load_template
from tests.builders.environments import (
    Handler,
    as_invoked,
    cloud_of_test_resources,
    environment_of,
    function_environment,
    function_module,
)
from tests.builders.tables import TEST_TABLE_NAMES

TEMPLATE = SERVICE_TEMPLATES["partners"]
# A Wednesday: the week's usage counts from Monday the 23rd.
NOW = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)


@pytest.fixture
def apigateway(aws: None) -> Iterator[Any]:
    """moto's API Gateway with the usage plans of the API template, on the API's stage,
    holding keys as API Gateway's do."""
    serve_get_usage()
    faithful_usage_plan_keys()
    USAGE.clear()
    client = boto3.client("apigateway")
    api_id = client.create_rest_api(name="shop-test-api")["id"]
    cloud = cloud_of_test_resources()
    scope = cloud.scope(API_TEMPLATE, {"ShopApi": api_id})
    create_usage_plans(
        client, usage_plan_specs(load_template(API_TEMPLATE), scope), api_id, cloud.stage
    )
    yield client
    USAGE.clear()


@pytest.fixture
def plan_ids(apigateway: Any) -> dict[str, str]:
    """Each tier's plan id."""
    plans = apigateway.get_usage_plans()["items"]
    return {plan["name"].rpartition("-")[2]: plan["id"] for plan in plans}


def admin_handler(function: str, apigateway: Any) -> Handler:
    """The admin's function `function` of the template, on the API Gateway client given."""
    module = function_module(TEMPLATE, function)
    with environment_of(function_environment(TEMPLATE, function)):
        settings = PartnerAdminSettings.from_env()
    directory = ApiGatewayPartnerDirectory(
        apigateway, settings.usage_plan_name_prefix, settings.stage
    )
    desk = PartnerDesk(directory, clock=lambda: NOW)
    return as_invoked(TEMPLATE, function, entrypoint(module.build_app(settings, desk)))


def _admin_fixture(name: str, function: str) -> Callable[..., Handler]:
    @pytest.fixture(name=name)
    def handler(apigateway: Any) -> Handler:
        return admin_handler(function, apigateway)

    return handler


def _catalogue_fixture(name: str, function: str) -> Callable[..., Handler]:
    @pytest.fixture(name=name)
    def handler(dynamodb: Any) -> Handler:
        module = function_module(TEMPLATE, function)
        with environment_of(function_environment(TEMPLATE, function)):
            settings = CatalogueSettings.from_env()
        app = module.build_app(settings, DynamoDBCatalogue(Table(settings.products_table_name)))
        return as_invoked(TEMPLATE, function, entrypoint(app))

    return handler


create_partner = _admin_fixture("create_partner", "CreatePartnerFunction")
get_partners = _admin_fixture("get_partners", "GetPartnersFunction")
update_partner = _admin_fixture("update_partner", "UpdatePartnerFunction")
delete_partner = _admin_fixture("delete_partner", "DeletePartnerFunction")
get_partner_products = _catalogue_fixture("get_partner_products", "GetPartnerProductsFunction")
get_partner_product = _catalogue_fixture("get_partner_product", "GetPartnerProductFunction")
quote = _catalogue_fixture("quote", "QuotePartnerFunction")


@pytest.fixture
def products_table(dynamodb: Any) -> Any:
    return boto3.resource("dynamodb").Table(TEST_TABLE_NAMES["ProductsTable"])
