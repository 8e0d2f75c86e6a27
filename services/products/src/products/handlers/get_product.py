"""GET /product/{product_id}: one product, for anyone (404 if there is none)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from products import logic, runtime
from products.models import ProductKey
from products.settings import ProductsSettings
from shop_common.api import create_app, entrypoint, json_response, parse_path


def build_app(
    settings: ProductsSettings, repository: logic.ProductRepository
) -> APIGatewayRestResolver:
    """The route on `repository` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.get("/product/<product_id>")
    def get_product(product_id: str) -> Response[str]:
        key = parse_path({"product_id": product_id}, ProductKey)
        return json_response(HTTPStatus.OK, logic.get_product(key.product_id, repository))

    return app


_settings = runtime.settings()
app = build_app(_settings, runtime.product_repository(_settings))
lambda_handler = entrypoint(app)
