"""POST /product: an admin creates a product (201) or replaces one at its id (200)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from products import logic, runtime
from products.models import ProductIn
from products.settings import ProductsSettings
from shop_common.api import create_app, entrypoint, json_response, parse_body
from shop_common.caller import caller_from


def build_app(
    settings: ProductsSettings, repository: logic.ProductRepository, images: logic.ImageStore
) -> APIGatewayRestResolver:
    """The route on `repository` and `images` (tests pass their own; the Lambda gets the
    real ones)."""
    app = create_app(settings)

    @app.post("/product")
    def upsert_product() -> Response[str]:
        caller = caller_from(app.current_event)
        request = parse_body(app.current_event.decoded_body, ProductIn)
        saved = logic.save_product(
            caller, request, repository, images, image_base_url=settings.image_base_url
        )
        status = HTTPStatus.CREATED if saved.created else HTTPStatus.OK
        return json_response(status, saved.product)

    return app


_settings = runtime.settings()
app = build_app(_settings, runtime.product_repository(_settings), runtime.image_store(_settings))
lambda_handler = entrypoint(app)
