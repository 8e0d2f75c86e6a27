"""DELETE /product/{product_id}: an admin removes a product (204; 404 if there is none)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response

from products import logic
from products.models import ProductKey
from products.runtime import repository, settings
from shop_common.api import create_app, entrypoint, json_response, parse_path
from shop_common.caller import caller_from

app = create_app(settings)


@app.delete("/product/<product_id>")
def delete_product(product_id: str) -> Response[str]:
    caller = caller_from(app.current_event)
    key = parse_path({"product_id": product_id}, ProductKey)
    logic.delete_product(caller, key.product_id, repository)
    return json_response(HTTPStatus.NO_CONTENT)


lambda_handler = entrypoint(app)
