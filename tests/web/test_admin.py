"""The admin in the browser: maintaining products and moving orders along the status machine."""

import json
import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import Route, expect

from tests.e2e.stack import ApiClient, RunningStack, Tokens
from tests.web.data import new_product, place_order
from tests.web.shop_app import ShopApp, status_of

ORDER_ACTIONS = {"Ship", "Deliver", "Cancel", "Order again"}


def product_names(admin_api: ApiClient) -> set[str]:
    names: set[str] = set()
    cursor = None
    while True:
        response = admin_api.get("/products", params={"limit": 100, "cursor": cursor})
        names.update(product["name"] for product in response.json())
        cursor = response.headers.get("X-Next-Cursor")
        if not cursor:
            return names


def open_product_form(admin_app: ShopApp) -> None:
    admin_app.go_to("Products")
    admin_app.page.get_by_role("button", name="Add product").click()


def test_the_admin_adds_a_product(admin_app: ShopApp, admin_api: ApiClient) -> None:
    # Given the admin on the Products page
    name = f"Web teapot {uuid.uuid4().hex[:6]}"
    open_product_form(admin_app)
    # When they add a product
    admin_app.dialog.get_by_label("Name").fill(name)
    admin_app.dialog.get_by_label("Price").fill("19.90")
    admin_app.dialog.get_by_role("button", name="Add product").click()
    # Then it is listed at its price, and the API has it
    expect(admin_app.notice).to_contain_text(f"Added {name} at €19.90")
    expect(admin_app.find_row(name).locator('td[data-label="Price"]')).to_have_text("€19.90")
    assert name in product_names(admin_api)


def test_the_admin_edits_a_product(admin_app: ShopApp, product: dict[str, Any]) -> None:
    # Given a product
    admin_app.go_to("Products")
    # When the admin changes its price
    admin_app.find_row(product["name"]).get_by_role("button", name="Edit").click()
    expect(admin_app.dialog.get_by_label("Price")).to_have_value("12.50")
    admin_app.dialog.get_by_label("Price").fill("14")
    admin_app.dialog.get_by_role("button", name="Save changes").click()
    # Then the list shows the new price
    expect(admin_app.notice).to_contain_text(f"Saved {product['name']} at €14.00")
    expect(admin_app.find_row(product["name"]).locator('td[data-label="Price"]')).to_have_text(
        "€14.00"
    )


def test_the_admin_deletes_a_product(
    admin_app: ShopApp, admin_api: ApiClient, product: dict[str, Any]
) -> None:
    # Given a product
    admin_app.go_to("Products")
    # When the admin deletes it and confirms
    admin_app.click_in_row(admin_app.find_row(product["name"]), "Delete")
    admin_app.confirm("Delete product")
    # Then it is gone
    expect(admin_app.notice).to_contain_text(f"Deleted {product['name']}.")
    assert product["name"] not in product_names(admin_api)


def test_deleting_a_product_already_gone_says_so_readably(
    admin_app: ShopApp, admin_api: ApiClient, product: dict[str, Any]
) -> None:
    # Given a product listed on the admin's page, then deleted elsewhere
    admin_app.go_to("Products")
    row = admin_app.find_row(product["name"])
    assert admin_api.delete(f"/product/{product['product_id']}").status_code == 204
    # When the admin deletes it too
    admin_app.click_in_row(row, "Delete")
    admin_app.confirm("Delete product")
    # Then the API's 404 is shown as a sentence and the list no longer shows the product
    expect(admin_app.page.locator(".notice--error")).to_have_text("That item no longer exists.")
    admin_app.table_loaded()
    expect(admin_app.page.get_by_text(product["name"])).to_have_count(0)


@pytest.mark.parametrize(
    ("price", "reason"),
    [
        ("10.555", "Use at most 2 decimals, for example 12.50."),
        ("-1", "The price must be more than 0."),
    ],
)
def test_a_bad_price_is_shown_beside_the_price(
    admin_app: ShopApp, admin_api: ApiClient, price: str, reason: str
) -> None:
    # Given the admin adding a product
    name = f"Web invalid {uuid.uuid4().hex[:6]}"
    open_product_form(admin_app)
    # When the price is not one the shop takes
    admin_app.dialog.get_by_label("Name").fill(name)
    admin_app.dialog.get_by_label("Price").fill(price)
    admin_app.dialog.get_by_role("button", name="Add product").click()
    # Then the reason is beside the price field and nothing was created
    expect(admin_app.field_error("Price", admin_app.dialog)).to_have_text(reason)
    expect(admin_app.dialog.get_by_label("Price")).to_have_attribute("aria-invalid", "true")
    expect(admin_app.field_error("Name", admin_app.dialog)).to_be_hidden()
    assert name not in product_names(admin_api)


def test_a_pasted_invisible_character_is_named_beside_its_field(
    admin_app: ShopApp, admin_api: ApiClient
) -> None:
    # Given the admin adding a product whose description, pasted, carries a soft hyphen
    name = f"Web pasted {uuid.uuid4().hex[:6]}"
    open_product_form(admin_app)
    admin_app.dialog.get_by_label("Name").fill(name)
    admin_app.dialog.get_by_label("Price").fill("3")
    admin_app.dialog.get_by_label("Description").fill("Hand-roas\u00adted beans")
    # When they save it
    admin_app.dialog.get_by_role("button", name="Add product").click()
    # Then the page names the character beside the field, and nothing was created
    expect(admin_app.field_error("Description", admin_app.dialog)).to_have_text(
        "Remove the character U+00AD: it does not show as it is (pasted text can carry one)."
    )
    assert name not in product_names(admin_api)


def test_a_field_error_from_the_api_marks_its_field_in_the_pages_words(admin_app: ShopApp) -> None:
    # Given an API that refuses the product's name, in the contract's error shape
    refusal = {
        "message": "Invalid request body",
        "errors": [{"field": "name", "message": "String should have at most 200 characters"}],
    }

    def refuse(route: Route) -> None:
        if route.request.method != "POST":
            route.fallback()
            return
        route.fulfill(status=400, content_type="application/json", body=json.dumps(refusal))

    admin_app.page.route(re.compile(r".*/product$"), refuse)
    open_product_form(admin_app)
    # When the admin saves a product
    admin_app.dialog.get_by_label("Name").fill("Web refused")
    admin_app.dialog.get_by_label("Price").fill("3")
    admin_app.dialog.get_by_role("button", name="Add product").click()
    # Then the field is marked, and the page says so in its own words, never the API's
    expect(admin_app.field_error("Name", admin_app.dialog)).to_have_text(
        "The shop refused this value: check it."
    )
    expect(admin_app.dialog.get_by_role("alert")).to_contain_text("check what you entered")
    expect(admin_app.dialog).not_to_contain_text("Invalid request body")
    expect(admin_app.dialog).not_to_contain_text("String should have")


def test_the_admin_ships_and_delivers_an_order(
    admin_app: ShopApp, stack: RunningStack, shopper: Tokens, product: dict[str, Any]
) -> None:
    # Given a shopper's pending order
    order = place_order(stack, shopper, product, 2)
    admin_app.go_to("Orders")
    expect(admin_app.heading).to_have_text("All orders")
    row = admin_app.order_row(order)
    expect(row.locator('td[data-label="Customer"]')).to_have_text(shopper.username)
    # When the admin ships it, then delivers it
    admin_app.click_in_row(row, "Ship")
    expect(admin_app.notice).to_contain_text("is now shipped")
    admin_app.click_in_row(admin_app.order_row(order), "Deliver")
    expect(admin_app.notice).to_contain_text("is now delivered")
    # Then it is delivered, and nothing more is offered on it (it is not the admin's own)
    row = admin_app.order_row(order)
    assert status_of(row) == "Delivered"
    assert admin_app.row_buttons(row) == []


def test_the_admin_cancels_a_shipped_order(
    shipped_order: dict[str, Any], admin_app: ShopApp
) -> None:
    # Given a shipped order
    admin_app.go_to("Orders")
    # When the admin cancels it
    admin_app.click_in_row(admin_app.order_row(shipped_order), "Cancel")
    admin_app.confirm("Cancel order")
    # Then it is cancelled
    expect(admin_app.order_row(shipped_order).locator(".badge")).to_have_text("Cancelled")


@pytest.fixture
def shipped_among_pending(
    shipped_order: dict[str, Any], stack: RunningStack, shopper: Tokens, product: dict[str, Any]
) -> dict[str, Any]:
    """A shipped order, with a pending order of the same shopper beside it."""
    place_order(stack, shopper, product, 1)
    return shipped_order


def test_the_admin_filters_orders_by_status(
    shipped_among_pending: dict[str, Any], admin_app: ShopApp
) -> None:
    # Given a shipped order among others
    shipped_order = shipped_among_pending
    admin_app.go_to("Orders")
    # When the admin shows only shipped orders
    admin_app.filter_orders("Shipped")
    # Then every order listed is shipped, the shipped order among them, and the filter is in
    # the address (it survives a reload)
    expect(admin_app.order_row(shipped_order)).to_be_visible()
    statuses = {status_of(row) for row in admin_app.rows().all()}
    assert statuses == {"Shipped"}
    assert admin_app.page.url.endswith("#/orders?status=shipped")


def test_the_admin_is_not_offered_to_delete_orders(
    admin_app: ShopApp, stack: RunningStack, shopper: Tokens, product: dict[str, Any]
) -> None:
    # Given orders in the shop
    place_order(stack, shopper, product, 1)
    # When the admin looks at them
    admin_app.go_to("Orders")
    offered = {text for row in admin_app.rows().all() for text in admin_app.row_buttons(row)}
    # Then the actions are the status machine's only (deleting is for the API)
    assert offered
    assert offered <= ORDER_ACTIONS


def test_an_order_id_takes_two_lines_at_most_in_the_listing(
    admin_app: ShopApp, stack: RunningStack, shopper: Tokens, product: dict[str, Any]
) -> None:
    # Given an order in the shop
    order = place_order(stack, shopper, product, 1)
    # When the admin lists the orders on a desktop screen
    admin_app.go_to("Orders")
    # Then its whole id is in its row, broken at a hyphen at most once
    identifier = admin_app.order_row(order).locator(".order-id")
    expect(identifier).to_have_text(order["order_id"])
    assert admin_app.text_lines(identifier) <= 2


def test_long_lists_are_paged(admin_app: ShopApp, admin_api: ApiClient) -> None:
    # Given more products than one page holds
    for number in range(11):
        new_product(
            admin_api, name=f"Web paged {number:02d} {uuid.uuid4().hex[:4]}", price=1 + number
        )
    admin_app.go_to("Products")
    first_page = admin_app.rows().all_inner_texts()
    # When the admin goes to the next page and back
    admin_app.page.get_by_role("button", name="Next page").click()
    second_page = admin_app.rows().all_inner_texts()
    expect(admin_app.page.get_by_text("Page 2")).to_be_visible()
    admin_app.page.get_by_role("button", name="Previous page").click()
    # Then each page has its own products and going back shows the first page again
    assert len(first_page) == 10
    assert second_page
    assert set(first_page).isdisjoint(second_page)
    assert admin_app.rows().all_inner_texts() == first_page
    expect(admin_app.page.get_by_role("button", name="Previous page")).to_be_disabled()


def test_a_late_answer_to_the_unfiltered_listing_does_not_replace_the_filtered_one(
    shipped_among_pending: dict[str, Any], admin_app: ShopApp
) -> None:
    # Given a pending order beside the shipped one, and the unfiltered listing held back
    shipped_order = shipped_among_pending
    held: list[Route] = []

    def hold_unfiltered(route: Route) -> None:
        if "status=" in route.request.url:
            route.fallback()
        else:
            held.append(route)

    admin_app.page.route(re.compile(r".*/orders(\?.*)?$"), hold_unfiltered)
    admin_app.go_to("Orders")
    for _ in range(250):  # the route handler runs as Playwright dispatches events
        if held:
            break
        admin_app.page.wait_for_timeout(20)
    # When the admin filters on shipped, and only then the unfiltered answer arrives
    admin_app.page.get_by_label("Status").select_option(label="Shipped")
    expect(admin_app.order_row(shipped_order)).to_be_visible()
    with admin_app.page.expect_response(lambda r: "/orders" in r.url and "status=" not in r.url):
        held.pop().fallback()
    admin_app.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
    # Then the list still shows the shipped orders only
    assert {status_of(row) for row in admin_app.rows().all()} == {"Shipped"}
