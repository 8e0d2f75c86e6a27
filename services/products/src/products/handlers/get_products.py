"""GET /products: a page of the catalogue for any signed-in caller."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response

from products import logic
from products.models import ProductListQuery, ProductOut
from products.runtime import repository, settings
from shop_common.api import create_app, entrypoint, json_response, parse_query
from shop_common.caller import caller_from
from shop_common.pagination import NEXT_CURSOR_HEADER

app = create_app(settings)


@app.get("/products")
def get_products() -> Response[str]:
    caller_from(app.current_event)  # any signed-in caller; none is a 401
    query = parse_query(app.current_event.query_string_parameters, ProductListQuery)
    listing = logic.list_products(repository, limit=query.limit, cursor=query.cursor)
    headers = {NEXT_CURSOR_HEADER: listing.next_cursor} if listing.next_cursor else None
    products = [ProductOut.from_item(product) for product in listing.products]
    return json_response(HTTPStatus.OK, products, headers)


lambda_handler = entrypoint(app)
