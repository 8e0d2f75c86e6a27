"""POST /order: place an order (201; `Idempotency-Key` honoured) or change its status (200)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from orders import runtime
from orders.logic import OrderDesk
from orders.models import CreationHeaders, parse_order_request
from orders.settings import OrdersSettings
from shop_common.api import create_app, entrypoint, json_response, parse_headers
from shop_common.caller import caller_from


def build_app(settings: OrdersSettings, desk: OrderDesk) -> APIGatewayRestResolver:
    """The route on `desk` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.post("/order")
    def upsert_order() -> Response[str]:
        caller = caller_from(app.current_event)
        request = parse_order_request(app.current_event.decoded_body)
        headers = parse_headers(app.current_event.headers, CreationHeaders)
        result = desk.upsert(
            caller,
            request,
            idempotency_key=headers.idempotency_key,
            lambda_context=app.lambda_context,
        )
        status = HTTPStatus.CREATED if result.created else HTTPStatus.OK
        return json_response(status, result.order)

    return app


_settings = runtime.settings()
app = build_app(_settings, runtime.order_desk(_settings))
lambda_handler = entrypoint(app)
