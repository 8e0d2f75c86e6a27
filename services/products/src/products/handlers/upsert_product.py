"""POST /product: an admin creates a product (201) or replaces one at its id (200)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from products import logic, runtime
from products.models import ProductIn
from shop_common.api import create_app, entrypoint, json_response, parse_body
from shop_common.caller import caller_from


def build_app(
    repository: logic.ProductRepository, images: logic.ImageStore
) -> APIGatewayRestResolver:
    """The route on `repository` and `images` (tests pass their own; the Lambda gets the
    real ones)."""
    app = create_app(runtime.settings)

    @app.post("/product")
    def upsert_product() -> Response[str]:
        caller = caller_from(app.current_event)
        request = parse_body(app.current_event.body, ProductIn)
        saved = logic.save_product(
            caller, request, repository, images, image_base_url=runtime.settings.image_base_url
        )
        status = HTTPStatus.CREATED if saved.created else HTTPStatus.OK
        return json_response(status, saved.product)

    return app


app = build_app(runtime.product_repository(), runtime.image_store())
lambda_handler = entrypoint(app)
