"""GET /product/{product_id}: one product, for anyone (404 if there is none)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from products import logic, runtime
from products.models import ProductKey
from shop_common.api import create_app, entrypoint, json_response, parse_path


def build_app(repository: logic.ProductRepository) -> APIGatewayRestResolver:
    """The route on `repository` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(runtime.settings)

    @app.get("/product/<product_id>")
    def get_product(product_id: str) -> Response[str]:
        key = parse_path({"product_id": product_id}, ProductKey)
        return json_response(HTTPStatus.OK, logic.get_product(key.product_id, repository))

    return app


app = build_app(runtime.product_repository())
lambda_handler = entrypoint(app)
