"""GET /order/{order_id}: one order with its history, for its owner or an admin (404 for
anyone else: existence is not revealed)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from orders import logic, runtime
from orders.models import OrderKey
from orders.settings import OrdersSettings
from shop_common.api import create_app, entrypoint, json_response, parse_path
from shop_common.caller import caller_from


def build_app(
    settings: OrdersSettings, repository: logic.OrderRepository
) -> APIGatewayRestResolver:
    """The route on `repository` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.get("/order/<order_id>")
    def get_order(order_id: str) -> Response[str]:
        caller = caller_from(app.current_event)
        key = parse_path({"order_id": order_id}, OrderKey)
        return json_response(HTTPStatus.OK, logic.get_order(caller, key.order_id, repository))

    return app


_settings = runtime.settings()
app = build_app(_settings, runtime.order_repository(_settings))
lambda_handler = entrypoint(app)
