"""The catalogue over HTTP through the local stack: open to visitors, sorted and searched by
index, product pages, stock changes as read, and pictures uploaded with a signed policy."""

import uuid
from typing import Any

import pytest
import requests

from tests.e2e.stack import ApiClient, RunningStack

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def new_product(admin: ApiClient, **fields: Any) -> dict[str, Any]:
    response = admin.post("/product", {"name": f"Item {uuid.uuid4()}", "price": 5, **fields})
    assert response.status_code == 201, response.text
    product: dict[str, Any] = response.json()
    return product


@pytest.mark.parametrize("authorization", [None, "Bearer not.a.token", "Basic x"])
def test_a_visitor_browses_the_catalogue_and_a_product_page(
    stack: RunningStack, admin: ApiClient, authorization: str | None
) -> None:
    # Given a product with all it can have
    product = new_product(admin, description="Hand-thrown stoneware.", stock=4)
    visitor = stack.client(authorization)
    # When a visitor (no token, or one that is not valid: it is ignored) browses
    listing = visitor.get("/products", params={"limit": 100})
    page = visitor.get(f"/product/{product['product_id']}")
    # Then both answer, with the description and stock
    assert listing.status_code == 200, listing.text
    assert page.status_code == 200, page.text
    assert page.json() == product
    assert (page.json()["description"], page.json()["stock"]) == ("Hand-thrown stoneware.", 4)


def test_an_unknown_product_page_is_a_404(anonymous: ApiClient) -> None:
    response = anonymous.get(f"/product/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "product_id"


def test_newest_first_begins_with_the_product_just_added(
    admin: ApiClient, anonymous: ApiClient
) -> None:
    added = new_product(admin)
    newest = anonymous.get("/products", params={"sort": "newest", "limit": 1}).json()
    assert [product["product_id"] for product in newest] == [added["product_id"]]


def found_ids(client: ApiClient, search: str) -> list[str]:
    return [
        product["product_id"] for product in client.get("/products", params={"q": search}).json()
    ]


def test_a_search_finds_a_product_by_any_word_of_its_name_in_any_case(
    admin: ApiClient, anonymous: ApiClient
) -> None:
    marker = uuid.uuid4().hex[:10]
    added = new_product(admin, name=f"Pour-over Zz{marker} kettle")
    assert found_ids(anonymous, f"OVER zZ{marker.upper()}") == [added["product_id"]]
    assert found_ids(anonymous, f"kett zz{marker}") == [added["product_id"]]
    assert found_ids(anonymous, f"zz{marker} grinder") == []


def test_a_name_pasted_decomposed_is_found_by_its_word_as_typed(
    admin: ApiClient, anonymous: ApiClient
) -> None:
    # Given a product whose "é" was pasted as an e and a combining accent (as macOS does)
    marker = uuid.uuid4().hex[:10]
    added = new_product(admin, name=f"Cafe\u0301 Zz{marker}")
    # Then it is stored composed, found by "café" as typed, and not by "cafe"
    assert added["name"] == f"Caf\u00e9 Zz{marker}"
    assert found_ids(anonymous, f"caf\u00e9 zz{marker}") == [added["product_id"]]
    assert found_ids(anonymous, f"cafe zz{marker}") == []


def test_a_renamed_product_is_found_by_its_new_words_only(
    admin: ApiClient, anonymous: ApiClient
) -> None:
    marker = uuid.uuid4().hex[:10]
    added = new_product(admin, name=f"Burr grinder Zz{marker}")
    renamed = {"product_id": added["product_id"], "name": f"Hand mill Zz{marker}", "price": 9.5}
    assert admin.post("/product", renamed).status_code == 200
    assert found_ids(anonymous, f"mill zz{marker}") == [added["product_id"]]
    assert found_ids(anonymous, f"grinder zz{marker}") == []


def test_the_catalogue_lists_by_name(anonymous: ApiClient) -> None:
    names = [
        product["name"] for product in anonymous.get("/products", params={"limit": 100}).json()
    ]
    assert names == sorted(names, key=lambda name: " ".join(name.casefold().split()))


def test_a_cursor_from_one_listing_is_refused_by_another(
    admin: ApiClient, anonymous: ApiClient
) -> None:
    new_product(admin)
    new_product(admin)
    cursor = anonymous.get("/products", params={"limit": 1}).headers["X-Next-Cursor"]
    response = anonymous.get("/products", params={"limit": 1, "sort": "newest", "cursor": cursor})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"


def test_an_admins_stock_change_based_on_a_stale_read_is_a_409(admin: ApiClient) -> None:
    # Given a product with 10 in stock, changed to 7 after the admin's form read 10
    product = new_product(admin, stock=10)
    base = {"product_id": product["product_id"], "name": product["name"], "price": 5}
    assert admin.post("/product", {**base, "stock": 7, "expected_stock": 10}).status_code == 200
    # When the admin's change based on 10 arrives
    stale = admin.post("/product", {**base, "stock": 30, "expected_stock": 10})
    # Then it is refused, and the stock stays 7
    assert stale.status_code == 409
    assert admin.get(f"/product/{product['product_id']}").json()["stock"] == 7


def upload_form(admin: ApiClient, content_type: str = "image/png") -> dict[str, Any]:
    response = admin.post("/images", {"content_type": content_type})
    assert response.status_code == 201, response.text
    form: dict[str, Any] = response.json()
    return form


def post_file(form: dict[str, Any], data: bytes, **field_changes: str) -> requests.Response:
    fields = {**form["fields"], **field_changes}
    return requests.post(
        form["url"],
        data=fields,
        files={"file": ("picture", data, fields["Content-Type"])},
        timeout=30,
    )


def test_an_admin_uploads_a_picture_and_sets_it_on_a_product(admin: ApiClient) -> None:
    # Given an upload the API signed
    form = upload_form(admin)
    # When the picture is posted to it and named on a product
    assert post_file(form, PNG).status_code == 204
    product = new_product(admin, image=form["image"])
    # Then the site serves it, and the product shows it
    served = requests.get(product["image"], timeout=30)
    assert (served.status_code, served.content) == (200, PNG)
    assert served.headers["Content-Type"] == "image/png"


def test_a_picture_over_2_mb_is_refused_by_the_upload_policy(admin: ApiClient) -> None:
    form = upload_form(admin)
    response = post_file(form, bytes(form["max_bytes"] + 1))
    assert response.status_code == 400
    assert "EntityTooLarge" in response.text
    assert requests.get(form["image"], timeout=30).status_code == 403  # S3 via CloudFront


def test_another_type_than_the_one_signed_is_refused_by_the_upload_policy(
    admin: ApiClient,
) -> None:
    form = upload_form(admin, "image/png")
    response = post_file(form, b"GIF89a", **{"Content-Type": "image/gif"})
    assert response.status_code == 403
    assert "Policy Condition failed" in response.text


def test_another_key_than_the_one_signed_is_refused_by_the_upload_policy(
    admin: ApiClient,
) -> None:
    form = upload_form(admin)
    response = post_file(form, PNG, key="images/index.html")
    assert response.status_code == 403


def test_a_product_cannot_name_a_picture_that_was_not_uploaded(admin: ApiClient) -> None:
    form = upload_form(admin)
    response = admin.post("/product", {"name": "No picture", "price": 1, "image": form["image"]})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "image"
