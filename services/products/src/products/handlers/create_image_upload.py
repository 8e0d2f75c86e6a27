"""POST /images: an admin gets a short-lived presigned upload for one product image (201)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from products import logic, runtime
from products.models import ImageUploadIn
from products.settings import ProductsSettings
from shop_common.api import create_app, entrypoint, json_response, parse_body
from shop_common.caller import caller_from


def build_app(settings: ProductsSettings, images: logic.ImageStore) -> APIGatewayRestResolver:
    """The route on `images` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.post("/images")
    def create_image_upload() -> Response[str]:
        caller = caller_from(app.current_event)
        request = parse_body(app.current_event.decoded_body, ImageUploadIn)
        return json_response(HTTPStatus.CREATED, logic.image_upload(caller, request, images))

    return app


_settings = runtime.settings()
app = build_app(_settings, runtime.image_uploads(_settings))
lambda_handler = entrypoint(app)
