"""The partners functions as the partners template names them: the admin's against moto's
API Gateway (keys and the usage plans of the API template), the partners' catalogue and
quotes against moto's Products table. Each function gets its template's environment only
while it is imported (its cold start)."""

import importlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import boto3
import pytest

from local.intrinsics import Scope
from local.templates import API_TEMPLATE, SERVICE_TEMPLATES, load_template, parameter_defaults
from local.usage_plans import USAGE, create_usage_plans, serve_get_usage, usage_plan_specs
from partners.logic import PartnerDesk
from partners.repository import ApiGatewayPartnerDirectory, DynamoDBCatalogue
from partners.settings import CatalogueSettings, PartnerAdminSettings
from shop_common.api import Handler, entrypoint
from tests.builders.events import STAGE
from tests.builders.tables import TEST_TABLE_NAMES

TEMPLATE = load_template(SERVICE_TEMPLATES["partners"])
# A Wednesday: the week's usage counts from Monday the 23rd.
NOW = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)


def template_environment(function: str) -> dict[str, str]:
    """The variables the template gives `function`, with the test stage's values."""
    variables = TEMPLATE["Resources"][function]["Properties"]["Environment"]["Variables"]
    values = {
        "PRODUCTS_TABLE_NAME": TEST_TABLE_NAMES["ProductsTable"],
        "SHOP_CURRENCY": TEMPLATE["Parameters"]["Currency"]["Default"],
        "USAGE_PLAN_NAME_PREFIX": f"shop-{STAGE}-partners-",
    }
    assert set(variables) <= set(values), f"{function}: a variable these tests do not know"
    return {name: values[name] for name in variables}


def handler_module(function: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The module of the handler the template gives `function`, imported (once per test run,
    like a cold start) with the function's template environment."""
    properties = TEMPLATE["Resources"][function]["Properties"]
    handler = properties.get("Handler") or properties["ImageConfig"]["Command"][0]
    for name, value in template_environment(function).items():
        monkeypatch.setenv(name, value)
    return importlib.import_module(handler.rpartition(".")[0])


@pytest.fixture
def apigateway(aws: None) -> Iterator[Any]:
    """moto's API Gateway with the API's stage and the usage plans of the API template."""
    serve_get_usage()
    USAGE.clear()
    client = boto3.client("apigateway")
    api_id = client.create_rest_api(name="shop-test-api")["id"]
    api_template = load_template(API_TEMPLATE)
    scope = Scope(references={**parameter_defaults(api_template), "Stage": STAGE})
    create_usage_plans(client, usage_plan_specs(api_template, scope), api_id, STAGE)
    yield client
    USAGE.clear()


@pytest.fixture
def plan_ids(apigateway: Any) -> dict[str, str]:
    """Each tier's plan id."""
    plans = apigateway.get_usage_plans()["items"]
    prefix = f"shop-{STAGE}-partners-"
    return {plan["name"].removeprefix(prefix): plan["id"] for plan in plans}


def _admin_fixture(name: str, function: str) -> Callable[..., Handler]:
    @pytest.fixture(name=name)
    def handler(apigateway: Any, monkeypatch: pytest.MonkeyPatch) -> Handler:
        module = handler_module(function, monkeypatch)
        settings = PartnerAdminSettings.from_env()
        directory = ApiGatewayPartnerDirectory(apigateway, settings.usage_plan_name_prefix)
        return entrypoint(module.build_app(settings, PartnerDesk(directory, clock=lambda: NOW)))

    return handler


def _catalogue_fixture(name: str, function: str) -> Callable[..., Handler]:
    @pytest.fixture(name=name)
    def handler(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> Handler:
        module = handler_module(function, monkeypatch)
        settings = CatalogueSettings.from_env()
        table = boto3.resource("dynamodb").Table(settings.products_table_name)
        return entrypoint(module.build_app(settings, DynamoDBCatalogue(table)))

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
