"""DELETE /order/{order_id}: an admin removes an order (204; 404 if there is none); a
pending one gives its reserved stock back."""

import time
from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from orders import logic, runtime
from orders.logic.retries import Pause
from orders.models import OrderKey
from orders.settings import OrdersSettings
from shop_common.api import create_app, entrypoint, json_response, parse_path
from shop_common.caller import caller_from


def build_app(
    settings: OrdersSettings,
    repository: logic.OrderRepository,
    products: logic.ProductCatalog,
    pause: Pause = time.sleep,
) -> APIGatewayRestResolver:
    """The route on `repository` and `products` (tests pass their own; the Lambda gets the
    real ones)."""
    app = create_app(settings)

    @app.delete("/order/<order_id>")
    def delete_order(order_id: str) -> Response[str]:
        caller = caller_from(app.current_event)
        key = parse_path({"order_id": order_id}, OrderKey)
        logic.delete_order(caller, key.order_id, repository, products, pause)
        return json_response(HTTPStatus.NO_CONTENT)

    return app


_settings = runtime.settings()
app = build_app(_settings, runtime.order_repository(_settings), runtime.product_catalog(_settings))
lambda_handler = entrypoint(app)
