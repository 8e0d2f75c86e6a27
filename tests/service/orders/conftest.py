"""The orders functions as the orders template names them, against moto tables."""

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from types import ModuleType
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from orders.logic import OrderDesk
from orders.repository import CognitoUserDirectory, idempotency_store
from orders.settings import OrdersSettings
from shop_common.api import entrypoint
from shop_common.dynamodb import Table
from stacks.templates import SERVICE_TEMPLATES
from tests.builders.data import product_item
from tests.builders.environments import (
    Handler,
    as_invoked,
    deployed_handler,
    environment_of,
    function_environment,
    function_module,
)
from tests.builders.tables import TEST_TABLE_NAMES
from tests.builders.users import create_user, create_user_pool, known_user_pool_id


def handler_module(function: str, service: str = "orders") -> ModuleType:
    """The module of the `Handler` a service's template gives `function` (a logical id),
    imported in the function's environment.

    Imported lazily, once moto is active, so the module-level tables are moto's. Besides
    `lambda_handler`, each orders module has `build_app(settings, ...)` for a test's own
    parts (`app_on`)."""
    return function_module(SERVICE_TEMPLATES[service], function)


def app_on(function: str, *parts: Any) -> APIGatewayRestResolver:
    """`function`'s route on a test's own parts, with the settings its template gives it."""
    module = handler_module(function)
    with environment_of(function_environment(SERVICE_TEMPLATES["orders"], function)):
        settings = OrdersSettings.from_env()
    app: APIGatewayRestResolver = module.build_app(settings, *parts)
    return app


def invoked_as(function: str, handler: Handler) -> Handler:
    """`handler` (built from a test's own parts) invoked in `function`'s environment."""
    return as_invoked(SERVICE_TEMPLATES["orders"], function, handler)


def upsert_order_on(repository: Any, catalog: Any) -> Handler:
    """POST /order on a test's own order repository and product catalog (the rest real),
    invoked in UpsertOrder's environment."""
    desk = OrderDesk(
        repository,
        catalog,
        partial(idempotency_store, TEST_TABLE_NAMES["IdempotencyTable"]),
        CognitoUserDirectory(known_user_pool_id()),
        currency="EUR",
    )
    return invoked_as("UpsertOrderFunction", entrypoint(app_on("UpsertOrderFunction", desk)))


def repository_tables() -> tuple[Table, Table]:
    """The Orders and Products tables as the functions' order repository takes them."""
    return Table(TEST_TABLE_NAMES["OrdersTable"]), Table(TEST_TABLE_NAMES["ProductsTable"])


def _handler_fixture(name: str, function: str) -> Callable[..., Handler]:
    @pytest.fixture(name=name)
    def handler(dynamodb: Any) -> Handler:
        return deployed_handler(SERVICE_TEMPLATES["orders"], function)

    return handler


def _table_fixture(name: str, logical_id: str) -> Callable[..., Any]:
    """A bootstrap table, to seed it and to check what the handlers wrote."""

    @pytest.fixture(name=name)
    def table(dynamodb: Any) -> Any:
        return boto3.resource("dynamodb").Table(TEST_TABLE_NAMES[logical_id])

    return table


get_orders = _handler_fixture("get_orders", "GetOrdersFunction")
get_order = _handler_fixture("get_order", "GetOrderFunction")
upsert_order = _handler_fixture("upsert_order", "UpsertOrderFunction")
delete_order = _handler_fixture("delete_order", "DeleteOrderFunction")
orders_table = _table_fixture("orders_table", "OrdersTable")
products_table = _table_fixture("products_table", "ProductsTable")
idempotency_table = _table_fixture("idempotency_table", "IdempotencyTable")


@pytest.fixture
def lamp(products_table: Any) -> dict[str, Any]:
    """A product in the Products table (19.99 a piece)."""
    item = product_item(name="Desk lamp", price=Decimal("19.99"))
    products_table.put_item(Item=item)
    return item


@pytest.fixture
def users(aws: None) -> Callable[[str], str]:
    """The functions' user pool; call it with a username to add that user (their `sub`)."""
    cognito = boto3.client("cognito-idp")
    pool_id = create_user_pool(cognito)

    def add(username: str, email: str | None = None) -> str:
        return create_user(cognito, pool_id, username, email)

    return add
