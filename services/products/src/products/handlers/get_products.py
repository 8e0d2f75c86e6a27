"""GET /products: a page of the catalogue, by name, newest first or a name search (open)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from products import logic, runtime
from products.models import ProductListQuery
from products.settings import ProductsSettings
from shop_common.api import create_app, entrypoint, json_response, parse_query
from shop_common.pagination import NEXT_CURSOR_HEADER


def build_app(
    settings: ProductsSettings, repository: logic.ProductRepository
) -> APIGatewayRestResolver:
    """The route on `repository` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.get("/products")
    def get_products() -> Response[str]:
        query = parse_query(app.current_event.query_string_parameters, ProductListQuery)
        listing = logic.list_products(query, repository)
        headers = {NEXT_CURSOR_HEADER: listing.next_cursor} if listing.next_cursor else None
        return json_response(HTTPStatus.OK, listing.products, headers)

    return app


_settings = runtime.settings()
app = build_app(_settings, runtime.product_repository(_settings))
lambda_handler = entrypoint(app)
