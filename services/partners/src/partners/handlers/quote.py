"""POST /partner/quote: a basket priced as an order would be (404 names unknown products,
400 the lines at fault)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from partners import logic, runtime
from partners.models import QuoteRequest
from partners.settings import CatalogueSettings
from shop_common.api import create_app, entrypoint, json_response, parse_body


def build_app(settings: CatalogueSettings, catalogue: logic.Catalogue) -> APIGatewayRestResolver:
    """The route on `catalogue` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.post("/partner/quote")
    def quote() -> Response[str]:
        request = parse_body(app.current_event.decoded_body, QuoteRequest)
        return json_response(HTTPStatus.OK, logic.quote(request, catalogue, settings.currency))

    return app


_settings = runtime.catalogue_settings()
app = build_app(_settings, runtime.catalogue(_settings))
lambda_handler = entrypoint(app)
