"""GET /partner/products: a page of the catalogue as partners see it (API key, no token)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from partners import logic, runtime
from partners.models import CatalogueQuery
from partners.settings import CatalogueSettings
from shop_common.api import create_app, entrypoint, json_response, parse_query
from shop_common.pagination import NEXT_CURSOR_HEADER


def build_app(settings: CatalogueSettings, catalogue: logic.Catalogue) -> APIGatewayRestResolver:
    """The route on `catalogue` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.get("/partner/products")
    def get_partner_products() -> Response[str]:
        query = parse_query(app.current_event.query_string_parameters, CatalogueQuery)
        listing = logic.list_catalogue(query, catalogue, settings.currency)
        headers = {NEXT_CURSOR_HEADER: listing.next_cursor} if listing.next_cursor else None
        return json_response(HTTPStatus.OK, listing.products, headers)

    return app


_settings = runtime.catalogue_settings()
app = build_app(_settings, runtime.catalogue(_settings))
lambda_handler = entrypoint(app)
