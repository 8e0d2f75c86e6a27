"""The catalogue in the browser: open to visitors, sorted and searched, product pages with
pictures and stock, the cart across reloads and tabs, and what the browser walk found."""

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, expect

from products.models import MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH
from tests.builders.pictures import picture_png
from tests.e2e.stack import PASSWORD, ApiClient, RunningStack, Tokens
from tests.web.data import new_product, place_order
from tests.web.shop_app import COLD_START_MS, ShopApp

PNG = picture_png(size=1)
# A character UTF-16 writes as two code units, as a string's length in JavaScript counts it.
CAT = "\U0001f431"


def test_a_visitor_browses_the_catalogue_and_a_product_page(
    app: ShopApp, admin_api: ApiClient
) -> None:
    # Given a product with a description and stock
    product = new_product(admin_api, description="Hand-thrown.\nDishwasher safe.", stock=5)
    # When a visitor (never signed in) opens the products and follows the product's link
    app.open(f"/products?q={product['name']}")
    expect(app.heading).to_have_text("Products")
    app.find_row(product["name"]).get_by_role("link", name=product["name"]).click()
    # Then the product page shows its price in the shop's currency, stock and description
    # (the first call of its function may start a worker: a cold start)
    expect(app.heading).to_have_text(product["name"], timeout=COLD_START_MS)
    expect(app.page.locator(".product-page__price")).to_have_text("€12.50")
    expect(app.page.locator("[data-stock]")).to_have_text("5 in stock")
    expect(app.page.locator(".product-page__description")).to_contain_text("Dishwasher safe.")


def test_an_out_of_stock_product_says_so_and_cannot_be_added(
    app: ShopApp, admin_api: ApiClient
) -> None:
    product = new_product(admin_api, stock=0)
    app.open(f"/products?q={product['name']}")
    row = app.find_row(product["name"])
    expect(row).to_contain_text("Out of stock")
    expect(row.get_by_role("button", name=f"Add {product['name']} to the cart")).to_be_disabled()
    app.open(f"/product?id={product['product_id']}")
    expect(app.page.locator("[data-stock]")).to_have_text("Out of stock")
    expect(app.page.get_by_role("button", name="Add to cart")).to_have_count(0)


def test_the_search_finds_products_by_any_word_of_their_name(
    app: ShopApp, admin_api: ApiClient
) -> None:
    marker = uuid.uuid4().hex[:8]
    wanted = new_product(admin_api, name=f"Zq{marker} teapot")
    new_product(admin_api, name=f"Zq{marker} mug")
    app.open("/products")
    app.search(f"TEA zq{marker}")
    expect(app.rows()).to_have_count(1)
    expect(app.rows().first).to_contain_text(wanted["name"])


def test_a_search_whose_first_page_of_the_index_holds_no_match_shows_the_match(
    app: ShopApp, admin_api: ApiClient
) -> None:
    # Given 23 products named alike, "<marker> 1" to "<marker> 23": by name, "<marker> 5" is
    # the 15th, past the first page of 10 the search's index reads
    marker = f"Zw{uuid.uuid4().hex[:6]}"
    for number in range(1, 24):
        new_product(admin_api, name=f"{marker} {number}")
    # When a visitor searches for two of its words
    app.open(f"/products?q={marker}%205")
    # Then the first page shows the match, the only page
    expect(app.rows()).to_have_text([re.compile(f"{marker} 5\\b")])
    expect(app.page.locator(".pager")).to_be_hidden()


def test_a_search_without_a_letter_or_digit_says_so_and_lists_nothing(app: ShopApp) -> None:
    # Given the catalogue listed
    app.open("/products")
    expect(app.rows().first).to_be_visible()
    # When a visitor searches for punctuation alone
    app.search("%")
    # Then the page says what a search takes, and the rows listed before are gone
    expect(app.page.locator(".list-state")).to_have_text(
        "Search for a word of the product's name: letters or digits, at most 200 characters."
    )
    expect(app.rows()).to_have_count(0)


def test_newest_first_shows_the_product_just_added_at_the_top(
    app: ShopApp, admin_api: ApiClient
) -> None:
    product = new_product(admin_api)
    app.open("/products")
    app.page.get_by_label("Sort by").select_option(label="Newest first")
    expect(app.rows().first).to_contain_text(product["name"])


def test_the_cart_keeps_its_lines_across_reloads_and_tabs_and_totals_them(
    app: ShopApp, admin_api: ApiClient
) -> None:
    # Given two products added to the cart by a visitor
    lamp = new_product(admin_api, price=19.99)
    mug = new_product(admin_api, price=4.5)
    for product in (lamp, mug):
        app.add_to_cart(product)
    # When the quantity of one line changes and the page is reloaded
    app.open("/cart")
    app.page.get_by_label(f"Quantity of {lamp['name']}").fill("3")
    app.page.reload()
    # Then the lines, per-line totals and total are as edited
    expect(app.page.get_by_label(f"Quantity of {lamp['name']}")).to_have_value("3")
    expect(
        app.page.locator(f'tr[data-product-id="{lamp["product_id"]}"] td[data-label="Line total"]')
    ).to_have_text("€59.97")
    expect(app.page.locator("[data-cart-total]")).to_have_text("Total: €64.47")
    # And another tab of the same browser has the same cart
    other = app.context.new_page()
    other.goto(f"{app.stack.base_url}#/cart")
    expect(other.locator("[data-cart-total]")).to_have_text("Total: €64.47")
    other.close()


def test_a_refused_quantity_in_the_cart_shows_no_total(app: ShopApp, admin_api: ApiClient) -> None:
    product = new_product(admin_api, price=124.5)
    app.open(f"/product?id={product['product_id']}")
    app.page.get_by_role("button", name="Add to cart").click()
    app.open("/cart")
    app.page.get_by_label(f"Quantity of {product['name']}").fill("1001")
    expect(app.page.locator(".field__error")).to_contain_text("Order from 1 to 1000 items.")
    expect(app.page.locator("[data-cart-total]")).to_have_text("")
    expect(app.page.get_by_role("button", name="Place order")).to_have_count(0)


def test_checking_out_signed_out_signs_in_and_comes_back_to_the_cart(
    app: ShopApp, admin_api: ApiClient, shopper: Tokens
) -> None:
    product = new_product(admin_api)
    app.open(f"/product?id={product['product_id']}")
    app.page.get_by_role("button", name="Add to cart").click()
    app.open("/cart")
    app.page.get_by_role("button", name="Sign in to order").click()
    expect(app.heading).to_have_text("Sign in")
    app.fill_sign_in(shopper.username, PASSWORD)
    expect(app.heading).to_have_text("Your cart")
    expect(app.page.get_by_role("button", name="Place order")).to_be_visible()


def test_the_admin_adds_a_product_with_a_picture_description_and_stock(
    admin_app: ShopApp, tmp_path: Any
) -> None:
    picture = tmp_path / "mug.png"
    picture.write_bytes(PNG)
    name = f"Pictured {uuid.uuid4().hex[:8]}"
    admin_app.page.get_by_role("button", name="Add product").click()
    dialog = admin_app.dialog
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Price").fill("8")
    dialog.get_by_label("Description").fill("Blue glaze.")
    dialog.get_by_label("Stock").fill("7")
    dialog.get_by_label("Picture").set_input_files(str(picture))
    dialog.get_by_role("button", name="Add product").click()
    # (the suite's first picture: the first call of the images function may be a cold start)
    expect(admin_app.notice).to_contain_text(f"Added {name}", timeout=COLD_START_MS)
    row = admin_app.rows().first
    expect(row).to_contain_text(name)
    expect(row).to_contain_text("7 in stock")
    image = row.locator("img.product-image")
    expect(image).to_have_attribute("src", re.compile(r"/images/[0-9a-f]{32}\.png$"))
    assert admin_app.page.evaluate("img => img.naturalWidth", image.element_handle()) == 1


def add_product_with_picture(admin_app: ShopApp, picture: Path) -> Locator:
    """The Add product dialog, sent with `picture`: the dialog, as it then is."""
    admin_app.page.get_by_role("button", name="Add product").click()
    dialog = admin_app.dialog
    dialog.get_by_label("Name", exact=True).fill(f"Pictured {picture.name}")
    dialog.get_by_label("Price").fill("8")
    dialog.get_by_label("Picture").set_input_files(str(picture))
    dialog.get_by_role("button", name="Add product").click()
    return dialog


def test_a_picture_of_another_type_is_refused_beside_the_field(
    admin_app: ShopApp, tmp_path: Path
) -> None:
    picture = tmp_path / "mug.gif"
    picture.write_bytes(b"GIF89a")
    dialog = add_product_with_picture(admin_app, picture)
    expect(admin_app.field_error("Picture", dialog)).to_have_text(
        "Choose a JPEG, PNG or WebP picture."
    )


def test_a_file_that_is_not_the_picture_its_name_says_is_refused_beside_the_field(
    admin_app: ShopApp, tmp_path: Path
) -> None:
    picture = tmp_path / "fake.png"
    picture.write_text("<html><script>alert(1)</script></html>")
    dialog = add_product_with_picture(admin_app, picture)
    expect(admin_app.field_error("Picture", dialog)).to_have_text(
        "This file is not the picture its name says: choose a JPEG, PNG or WebP picture."
    )


def test_a_picture_that_does_not_decode_is_refused_beside_the_field(
    admin_app: ShopApp, tmp_path: Path
) -> None:
    picture = tmp_path / "broken.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"<html><script>alert(1)</script></html>")
    dialog = add_product_with_picture(admin_app, picture)
    expect(admin_app.field_error("Picture", dialog)).to_have_text(
        "This picture is damaged or incomplete: choose another."
    )


def test_a_long_unbroken_name_wraps_and_keeps_the_actions_on_screen(
    app: ShopApp, admin_api: ApiClient, shopper: Tokens
) -> None:
    product = new_product(admin_api, name="W" + "x" * 150)
    app.sign_in(shopper.username)
    app.open(f"/products?q={product['name']}")
    button = app.find_row(product["name"]).get_by_role("button", name="Order")
    box = button.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= app.page.viewport_size["width"]  # type: ignore[index]


def test_a_name_over_the_limit_is_refused_saying_so(admin_app: ShopApp) -> None:
    admin_app.page.get_by_role("button", name="Add product").click()
    dialog = admin_app.dialog
    dialog.get_by_label("Name", exact=True).fill("n" * (MAX_NAME_LENGTH + 1))
    dialog.get_by_label("Price").fill("3")
    dialog.get_by_role("button", name="Add product").click()
    expect(admin_app.field_error("Name", dialog)).to_have_text(
        f"Use at most {MAX_NAME_LENGTH} characters: this one has {MAX_NAME_LENGTH + 1}."
    )


def test_a_name_and_description_of_emoji_up_to_the_limits_are_saved(admin_app: ShopApp) -> None:
    # Given the admin adding a product whose name and description are as long as the API
    # takes, in characters that UTF-16 writes as two units each
    marker = uuid.uuid4().hex[:8]
    name = marker + CAT * (MAX_NAME_LENGTH - len(marker))
    admin_app.page.get_by_role("button", name="Add product").click()
    dialog = admin_app.dialog
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Price").fill("3")
    dialog.get_by_label("Description").fill(CAT * MAX_DESCRIPTION_LENGTH)
    # When they add it
    dialog.get_by_role("button", name="Add product").click()
    # Then it is added, as typed
    expect(admin_app.notice).to_contain_text(f"Added {name} at")
    expect(admin_app.rows().first).to_contain_text(name)


def test_a_refused_quantity_in_the_order_dialog_shows_no_total(
    app: ShopApp, shopper: Tokens, product: dict[str, Any]
) -> None:
    app.sign_in(shopper.username)
    app.open(f"/products?q={product['name']}")
    app.find_row(product["name"]).get_by_role("button", name="Order").click()
    app.dialog.get_by_label("Quantity").fill("9960")
    expect(app.dialog.locator(".order-total")).to_have_text("")


def test_escape_while_placing_an_order_keeps_the_dialog_until_the_answer(
    app: ShopApp, shopper: Tokens, product: dict[str, Any]
) -> None:
    app.sign_in(shopper.username)
    app.open(f"/products?q={product['name']}")
    app.find_row(product["name"]).get_by_role("button", name="Order").click()
    app.fill_address(app.dialog)
    held = []
    app.page.route("**/order", lambda route: held.append(route))
    with app.page.expect_request("**/order"):
        app.dialog.get_by_role("button", name="Place order").click()
    app.page.keyboard.press("Escape")
    expect(app.dialog).to_be_visible()
    held[0].continue_()
    expect(app.notice).to_contain_text("Order placed")


def test_the_admins_home_says_an_admin(admin_app: ShopApp) -> None:
    admin_app.open("/")
    expect(admin_app.page.locator(".lead")).to_have_text(
        "You are signed in as an admin. What would you like to do?"
    )


def test_a_vault_viewers_home_says_so_and_leads_to_the_vault(
    app: ShopApp, stack: RunningStack
) -> None:
    # Given a shopper the admin made the config vault's viewer
    viewer = stack.new_member("viewer")
    # When they sign in and open the home page
    app.sign_in(viewer.username)
    app.open("/")
    # Then it names both roles, and offers the vault beside the shop
    expect(app.page.locator(".lead")).to_have_text(
        "You are signed in as a shopper and the config vault's viewer. What would you like to do?"
    )
    expect(app.page.get_by_role("link", name="Config vault")).to_have_attribute(
        "href", "#/distributions"
    )


def test_a_shopper_sees_when_they_ordered_and_the_whole_order_id(
    app: ShopApp, stack: RunningStack, shopper: Tokens, product: dict[str, Any]
) -> None:
    order = place_order(stack, shopper, product, 1)
    app.sign_in(shopper.username)
    app.go_to("Orders")
    row = app.find_row(order["order_id"])
    expect(row.locator('td[data-label="Ordered on"]')).not_to_be_empty()
    expect(row.locator("code.order-id")).to_have_text(order["order_id"])


def test_an_empty_order_list_says_so(app: ShopApp, shopper: Tokens) -> None:
    app.sign_in(shopper.username)
    app.go_to("Orders")
    expect(app.page.locator(".list-state")).to_have_text(
        "You have no orders yet: order from the Products page."
    )


@pytest.fixture
def admin_app(app: ShopApp, stack: RunningStack) -> ShopApp:
    app.sign_in(stack.admin_username, stack.admin_password)
    app.go_to("Products")
    expect(app.heading).to_have_text("Products")
    return app
