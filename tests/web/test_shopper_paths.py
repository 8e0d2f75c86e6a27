"""The shopper's ways through the shop that used to lose something: the cart on Order again
and on sign-out, the way back through sign-up, the product page's way back to the list, and
the API's own words on a page."""

import re
import uuid
from typing import Any

from playwright.sync_api import expect

from tests.e2e.stack import PASSWORD, ApiClient, RunningStack, Tokens
from tests.web.data import change_status, new_product, place_lines, set_stock
from tests.web.shop_app import COLD_START_MS, ShopApp

type Item = dict[str, Any]


def test_order_again_adds_to_the_cart_up_to_the_stock_and_says_what_changed(
    app: ShopApp, stack: RunningStack, shopper: Tokens, admin_api: ApiClient
) -> None:
    # Given a delivered order of 2 kettles and 1 tea, 10 kettles left now, and a cart that
    # already holds 9 kettles
    kettle = new_product(admin_api, stock=20)
    tea = new_product(admin_api)
    order = place_lines(stack, shopper, [(kettle, 2), (tea, 1)])
    change_status(admin_api, change_status(admin_api, order, "shipped"), "delivered")
    set_stock(admin_api, kettle, 10)
    app.sign_in(shopper.username)
    app.add_to_cart(kettle, 9)
    # When the shopper orders it again
    app.go_to("Orders")
    app.click_in_row(app.order_row(order), "Order again")
    # Then the cart keeps its kettles, adds what the stock allows and the tea, and says so
    expect(app.heading).to_have_text("Your cart")
    expect(app.page.get_by_label(f"Quantity of {kettle['name']}")).to_have_value("10")
    expect(app.page.get_by_label(f"Quantity of {tea['name']}")).to_have_value("1")
    changes = app.page.locator("[data-order-again] li")
    expect(changes).to_have_text(
        [f"{kettle['name']}: 1 of 2 added, 10 now (10 in stock).", f"{tea['name']}: 1 added."]
    )


def test_the_order_page_cancels_the_order_and_orders_it_again(
    app: ShopApp, stack: RunningStack, shopper: Tokens, product: Item
) -> None:
    # Given a shopper on the page of their pending order of 2
    order = place_lines(stack, shopper, [(product, 2)])
    app.sign_in(shopper.username)
    app.open(f"/order?id={order['order_id']}")
    expect(app.page.locator(".order-facts")).to_contain_text("Pending", timeout=COLD_START_MS)
    # When they cancel it there
    app.page.get_by_role("button", name="Cancel order").click()
    app.confirm("Cancel order")
    # Then the page shows it cancelled, and offers to order it again, into the cart
    expect(app.notice).to_have_text("This order is now cancelled.")
    expect(app.page.locator(".order-facts .badge")).to_have_text("Cancelled")
    app.page.get_by_role("button", name="Order again").click()
    expect(app.heading).to_have_text("Your cart")
    expect(app.page.get_by_label(f"Quantity of {product['name']}")).to_have_value("2")


def test_a_product_address_without_a_product_says_so_in_the_shops_words(app: ShopApp) -> None:
    # When a visitor opens a product page with no product named (API Gateway answers such
    # a path itself, "Missing Authentication Token")
    app.open("/product")
    # Then the page says there is no such product, in its own words
    expect(app.heading).to_have_text("Product not found")
    expect(app.page.get_by_role("alert")).to_have_text("This product does not exist (any more).")
    expect(app.page.locator("main")).not_to_contain_text("Authentication")


def test_signing_up_from_checkout_comes_back_to_the_cart(
    app: ShopApp, stack: RunningStack, product: Item
) -> None:
    # Given a visitor with a product in the cart, asked to sign in to check out
    app.add_to_cart(product)
    app.open("/cart")
    app.page.get_by_role("button", name="Sign in to order").click()
    expect(app.notice).to_have_text("Sign in to place your order.")
    # When they create an account instead, confirm it and sign in
    username = f"web-checkout-{uuid.uuid4().hex[:6]}"
    app.page.get_by_role("link", name="Create an account").click()
    app.sign_up(username)
    app.page.get_by_label("Confirmation code").fill(stack.confirmation_code(username))
    app.page.get_by_role("button", name="Confirm").click()
    expect(app.notice).to_have_text("Your account is confirmed: sign in to place your order.")
    app.page.get_by_label("Password", exact=True).fill(PASSWORD)
    app.page.get_by_role("button", name="Sign in", exact=True).click()
    # Then they are back at their cart, signed in, ready to place the order
    expect(app.heading).to_have_text("Your cart")
    expect(app.account).to_contain_text(username)
    expect(app.cart_line(product)).to_be_visible()
    expect(app.page.get_by_role("button", name="Place order")).to_be_enabled()


def test_signing_out_empties_the_cart_a_visitor_filled_before_signing_in(
    app: ShopApp, shopper: Tokens, product: Item
) -> None:
    # Given a visitor's cart, which is theirs still once they sign in
    app.add_to_cart(product, 2)
    app.sign_in(shopper.username)
    app.open("/cart")
    expect(app.page.get_by_label(f"Quantity of {product['name']}")).to_have_value("2")
    # When they sign out
    app.sign_out()
    # Then the next person at this browser finds an empty cart
    expect(app.page.locator("[data-cart-count]")).to_be_hidden()
    app.open("/cart")
    expect(app.page.get_by_text("Your cart is empty.")).to_be_visible()


def test_the_product_page_steps_the_quantity_up_to_the_stock(
    app: ShopApp, admin_api: ApiClient
) -> None:
    # Given a product with 2 left and no picture
    product = new_product(admin_api, stock=2)
    # When a visitor opens its page and steps the quantity up
    app.open(f"/product?id={product['product_id']}")
    expect(app.heading).to_have_text(product["name"], timeout=COLD_START_MS)
    more = app.page.get_by_role("button", name="One more")
    more.click()
    # Then it stops at the stock, a drawing stands for the picture, named after the product
    expect(app.page.get_by_label("Quantity")).to_have_value("2")
    expect(more).to_be_disabled()
    expect(app.page.get_by_role("img", name=f"No picture of {product['name']}")).to_be_visible()
    app.page.get_by_label("Quantity").fill("3")
    app.page.get_by_role("button", name="Add to cart").click()
    expect(app.field_error("Quantity")).to_have_text("Order from 1 to 2: 2 in stock.")


def search_of_two_pages(app: ShopApp, admin_api: ApiClient) -> tuple[str, list[dict[str, Any]]]:
    """12 products whose names start with one marker, and the first of the search's two
    pages of them shown: the marker and the products, in order."""
    marker = f"Zb{uuid.uuid4().hex[:6]}"
    products = [new_product(admin_api, name=f"{marker} {index:02d}") for index in range(12)]
    app.open(f"/products?q={marker}")
    expect(app.page.locator(".pager__label")).to_have_text("Page 1 of 2")
    return marker, products


def test_the_way_back_from_a_product_keeps_the_lists_search_and_page(
    app: ShopApp, admin_api: ApiClient
) -> None:
    # Given 12 products whose names start alike: two pages of a search
    marker, products = search_of_two_pages(app, admin_api)
    # When the shopper goes to the second page, opens a product and goes back
    app.page.get_by_role("button", name="Next page").click()
    expect(app.page.locator(".pager__label")).to_have_text("Page 2 of 2")
    assert app.page.url.endswith(f"#/products?q={marker}&page=2")
    app.page.get_by_role("link", name=products[10]["name"]).click()
    expect(app.heading).to_have_text(products[10]["name"], timeout=COLD_START_MS)
    app.page.get_by_role("link", name="Back to the products").click()
    # Then the list is the same search at the same page
    expect(app.page.get_by_label("Search")).to_have_value(marker)
    expect(app.page.locator(".pager__label")).to_have_text("Page 2 of 2")
    expect(app.rows()).to_have_count(2)
    # and a reload of that address shows that page again
    app.page.reload()
    expect(app.table_loaded().locator("tbody tr").first).to_contain_text(products[10]["name"])


def test_the_back_button_turns_the_lists_page_back(app: ShopApp, admin_api: ApiClient) -> None:
    # Given the second page of a search of two pages
    marker, products = search_of_two_pages(app, admin_api)
    app.page.get_by_role("button", name="Next page").click()
    expect(app.page.locator(".pager__label")).to_have_text("Page 2 of 2")
    # When the shopper presses the browser's Back button
    app.page.go_back()
    # Then the first page of the same search is shown, at its own address
    expect(app.page.locator(".pager__label")).to_have_text("Page 1 of 2")
    expect(app.table_loaded().locator("tbody tr").first).to_contain_text(products[0]["name"])
    expect(app.page.get_by_label("Search")).to_have_value(marker)
    assert app.page.url.endswith(f"#/products?q={marker}")


def test_turning_to_the_last_page_keeps_the_focus_on_the_pager(
    app: ShopApp, admin_api: ApiClient
) -> None:
    # Given the first page of a search of two pages
    marker = f"Zf{uuid.uuid4().hex[:6]}"
    for index in range(12):
        new_product(admin_api, name=f"{marker} {index:02d}")
    app.open(f"/products?q={marker}")
    expect(app.page.locator(".pager__label")).to_have_text("Page 1 of 2")
    # When the shopper turns to the last page with Next page, which it disables
    app.page.get_by_role("button", name="Next page").click()
    expect(app.page.locator(".pager__label")).to_have_text("Page 2 of 2")
    # Then the focus is on Previous page, not lost to the page's body
    expect(app.page.get_by_role("button", name="Previous page")).to_be_focused()


def test_the_delivery_address_goes_with_the_order_and_is_kept_for_the_next(
    app: ShopApp, shopper: Tokens, product: Item
) -> None:
    # Given a shopper checking out a cart
    app.sign_in(shopper.username)
    app.add_to_cart(product)
    app.open("/cart")
    # When they type where to deliver it and place the order
    app.place_cart_order()
    # Then the order's page says where it goes
    app.wait_for_order_page()
    expect(app.page.locator("[data-address]")).to_have_text(
        re.compile(r"Alice Martin\s*12 rue de la Paix\s*75002 Paris\s*France")
    )
    # and the next checkout starts from that address
    app.add_to_cart(product)
    app.open("/cart")
    expect(app.page.get_by_label("Full name")).to_have_value("Alice Martin")
    expect(app.page.get_by_label("Country")).to_have_value("FR")
