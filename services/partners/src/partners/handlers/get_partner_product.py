"""GET /partner/products/{product_id}: one product as partners see it (404 if absent)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from partners import logic, runtime
from partners.models import ProductKey
from partners.settings import CatalogueSettings
from shop_common.api import create_app, entrypoint, json_response, parse_path


def build_app(settings: CatalogueSettings, catalogue: logic.Catalogue) -> APIGatewayRestResolver:
    """The route on `catalogue` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.get("/partner/products/<product_id>")
    def get_partner_product(product_id: str) -> Response[str]:
        key = parse_path({"product_id": product_id}, ProductKey)
        product = logic.catalogue_product(str(key.product_id), catalogue, settings.currency)
        return json_response(HTTPStatus.OK, product)

    return app


_settings = runtime.catalogue_settings()
app = build_app(_settings, runtime.catalogue(_settings))
lambda_handler = entrypoint(app)
