"""DELETE /product/{product_id}: an admin removes a product (204; 404 if there is none)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from products import logic, runtime
from products.models import ProductKey
from products.settings import ProductsSettings
from shop_common.api import create_app, entrypoint, json_response, parse_path
from shop_common.caller import caller_from


def build_app(
    settings: ProductsSettings, repository: logic.ProductRepository
) -> APIGatewayRestResolver:
    """The route on `repository` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.delete("/product/<product_id>")
    def delete_product(product_id: str) -> Response[str]:
        caller = caller_from(app.current_event)
        key = parse_path({"product_id": product_id}, ProductKey)
        logic.delete_product(caller, key.product_id, repository)
        return json_response(HTTPStatus.NO_CONTENT)

    return app


_settings = runtime.settings()
app = build_app(_settings, runtime.product_repository(_settings))
lambda_handler = entrypoint(app)
