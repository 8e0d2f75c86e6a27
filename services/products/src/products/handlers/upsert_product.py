"""POST /product: an admin creates a product (201) or replaces one at its id (200)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response

from products import logic
from products.models import ProductIn, ProductOut
from products.runtime import repository, settings
from shop_common.api import create_app, entrypoint, json_response, parse_body
from shop_common.caller import caller_from

app = create_app(settings)


@app.post("/product")
def upsert_product() -> Response[str]:
    caller = caller_from(app.current_event)
    request = parse_body(app.current_event.body, ProductIn)
    saved = logic.save_product(caller, request, repository)
    status = HTTPStatus.CREATED if saved.created else HTTPStatus.OK
    return json_response(status, ProductOut.from_item(saved.product))


lambda_handler = entrypoint(app)
