"""Bad input over HTTP: a 4xx that names the field, never a 5xx, and nothing written."""

import json
import uuid
from collections.abc import Iterator

import pytest

from tests.builders.data import BAD_ORDER_CURSORS, BAD_PRODUCT_CURSORS, order_request
from tests.builders.examples import IMAGE_UPLOAD_BODIES, ORDER_BODIES, PRODUCT_BODIES
from tests.e2e.stack import ApiClient, RunningStack

INVALID_PRODUCTS = {name: example for name, example in PRODUCT_BODIES.items() if not example.valid}
INVALID_ORDERS = {name: example for name, example in ORDER_BODIES.items() if not example.valid}
INVALID_IMAGE_UPLOADS = {
    name: example for name, example in IMAGE_UPLOAD_BODIES.items() if not example.valid
}
INVALID_BODIES = (
    [("/product", name) for name in INVALID_PRODUCTS]
    + [("/images", name) for name in INVALID_IMAGE_UPLOADS]
    + [("/order", name) for name in INVALID_ORDERS]
)
# The invalid examples of each route's body, and who may post it.
INVALID_EXAMPLES = {
    "/product": INVALID_PRODUCTS,
    "/images": INVALID_IMAGE_UPLOADS,
    "/order": INVALID_ORDERS,
}


def named_fields(body: dict[str, object]) -> set[str]:
    return {str(error["field"]) for error in body.get("errors", [])}  # type: ignore[attr-defined]


@pytest.fixture
def unchanged_tables(stack: RunningStack) -> Iterator[None]:
    """Asserts, after the test, that neither the products nor the orders table changed."""
    before = (stack.item_count("ProductsTable"), stack.item_count("OrdersTable"))
    yield
    assert (stack.item_count("ProductsTable"), stack.item_count("OrdersTable")) == before


@pytest.mark.usefixtures("unchanged_tables")
@pytest.mark.parametrize(("path", "case"), INVALID_BODIES)
def test_an_invalid_body_is_a_400_naming_the_field(
    admin: ApiClient, shopper: ApiClient, path: str, case: str
) -> None:
    # Given an invalid body (the admin's for products and images, a shopper's for orders)
    example = INVALID_EXAMPLES[path][case]
    client = shopper if path == "/order" else admin
    # When it is posted
    response = client.post(path, example.body)
    # Then 400, naming the field (a price sent as text names `price`, not the body)
    assert response.status_code == 400, response.text
    assert example.invalid_field in named_fields(response.json())


@pytest.mark.usefixtures("unchanged_tables")
@pytest.mark.parametrize("path", ["/product", "/images", "/order"])
@pytest.mark.parametrize("body", ["{not json", "", "null", '"a string"', "[]"])
def test_a_body_that_is_not_a_json_object_is_a_400(admin: ApiClient, path: str, body: str) -> None:
    # When the body is not a JSON object
    response = admin.request("POST", path, data=body, headers={"Content-Type": "application/json"})
    # Then 400 naming the body
    assert response.status_code == 400, response.text
    assert "body" in named_fields(response.json())


@pytest.mark.usefixtures("unchanged_tables")
def test_a_valid_body_over_16_kib_is_a_413(admin: ApiClient) -> None:
    # When a body that is valid but padded with whitespace goes over 16 KiB
    body = json.dumps({"name": "Lamp", "price": 1}) + " " * 17_000
    response = admin.request(
        "POST", "/product", data=body, headers={"Content-Type": "application/json"}
    )
    # Then 413
    assert response.status_code == 413, response.text


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5"])
@pytest.mark.parametrize("path", ["/products", "/orders"])
def test_a_bad_limit_is_a_400_naming_it(shopper: ApiClient, path: str, limit: str) -> None:
    response = shopper.get(path, params={"limit": limit})
    assert response.status_code == 400, response.text
    assert "limit" in named_fields(response.json())


@pytest.mark.parametrize("case", BAD_PRODUCT_CURSORS)
def test_a_forged_product_cursor_is_a_400(shopper: ApiClient, case: str) -> None:
    response = shopper.get("/products", params={"cursor": BAD_PRODUCT_CURSORS[case]})
    assert response.status_code == 400, response.text
    assert "cursor" in named_fields(response.json())


@pytest.mark.parametrize("case", BAD_ORDER_CURSORS)
@pytest.mark.parametrize("caller", ["shopper", "admin"])
def test_a_forged_order_cursor_is_a_400(
    shopper: ApiClient, admin: ApiClient, case: str, caller: str
) -> None:
    client = {"shopper": shopper, "admin": admin}[caller]
    response = client.get("/orders", params={"cursor": BAD_ORDER_CURSORS[case]})
    assert response.status_code == 400, response.text
    assert "cursor" in named_fields(response.json())


def test_an_unknown_status_filter_is_a_400(admin: ApiClient) -> None:
    response = admin.get("/orders", params={"status": "lost"})
    assert response.status_code == 400
    assert "status" in named_fields(response.json())


@pytest.mark.parametrize(("path", "field"), [("/product", "product_id"), ("/order", "order_id")])
def test_a_malformed_path_id_is_a_400_naming_it(admin: ApiClient, path: str, field: str) -> None:
    response = admin.delete(f"{path}/not-a-uuid")
    assert response.status_code == 400, response.text
    assert field in named_fields(response.json())


@pytest.mark.usefixtures("unchanged_tables")
def test_ordering_an_unknown_product_is_a_404(shopper: ApiClient) -> None:
    response = shopper.post("/order", order_request(str(uuid.uuid4()), quantity=1))
    assert response.status_code == 404


@pytest.mark.usefixtures("unchanged_tables")
def test_changing_an_unknown_order_is_a_404(admin: ApiClient) -> None:
    response = admin.post("/order", {"order_id": str(uuid.uuid4()), "status": "shipped"})
    assert response.status_code == 404
