"""GET /orders: a shopper's own orders (newest first) or, for an admin, every order (or one
customer's)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from orders import logic, runtime
from orders.models import OrderListQuery
from orders.settings import OrdersSettings
from shop_common.api import create_app, entrypoint, json_response, parse_query
from shop_common.caller import caller_from
from shop_common.pagination import NEXT_CURSOR_HEADER


def build_app(
    settings: OrdersSettings, repository: logic.OrderRepository, users: logic.UserDirectory
) -> APIGatewayRestResolver:
    """The route on `repository` and `users` (tests pass their own; the Lambda gets the
    real ones)."""
    app = create_app(settings)

    @app.get("/orders")
    def get_orders() -> Response[str]:
        caller = caller_from(app.current_event)
        query = parse_query(app.current_event.query_string_parameters, OrderListQuery)
        listing = logic.list_orders(caller, query, repository, users)
        headers = {NEXT_CURSOR_HEADER: listing.next_cursor} if listing.next_cursor else None
        return json_response(HTTPStatus.OK, listing.orders, headers)

    return app


_settings = runtime.settings()
app = build_app(_settings, runtime.order_repository(_settings), runtime.user_directory(_settings))
lambda_handler = entrypoint(app)
