"""Orders of several products in the browser: checking a cart out as one order, the lines
the shop cannot fill (stock, products gone), an order's page and history, the lists, and
"Order again"."""

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.stack import ApiClient, RunningStack, Tokens
from tests.web.data import change_status, new_product, place_lines, set_price, set_stock
from tests.web.shop_app import ADDRESS, ADDRESS_COUNTRY, COLD_START_MS, ShopApp

type Item = dict[str, Any]
type Products = list[Item]
type OrderLister = Callable[[], list[Item]]


@pytest.fixture
def shoppers_orders(stack: RunningStack, shopper: Tokens) -> OrderLister:
    """The shopper's orders as the API lists them, when called."""

    def listed() -> list[Item]:
        response = stack.client_for(shopper).get("/orders")
        assert response.status_code == 200, response.text
        orders: list[Item] = response.json()
        return orders

    return listed


@pytest.fixture
def three_products(admin_api: ApiClient) -> Products:
    """A lamp at 19.99 (3 in stock), a mug at 4.50 (5 in stock), and tea at 7.25 (untracked)."""
    return [
        new_product(admin_api, price=19.99, stock=3),
        new_product(admin_api, price=4.5, stock=5),
        new_product(admin_api, price=7.25),
    ]


@pytest.fixture
def cart_of_three(app: ShopApp, shopper: Tokens, three_products: Products) -> Products:
    """The signed-in shopper's cart: 2 lamps, 1 mug, 4 teas; the shopper on the cart page."""
    app.sign_in(shopper.username)
    for product, quantity in zip(three_products, (2, 1, 4), strict=True):
        app.add_to_cart(product, quantity)
    app.open("/cart")
    expect(app.page.locator("[data-cart-total]")).to_have_text("Total: €73.48")
    return three_products


def remove_from_the_cart(app: ShopApp, product: dict[str, Any]) -> None:
    """Press the cart line's Remove from the keyboard."""
    app.cart_line(product).get_by_role("button", name="Remove").press("Enter")


def test_removing_a_cart_line_moves_the_focus_to_the_next_lines_remove(
    app: ShopApp, cart_of_three: Products
) -> None:
    # Given a shopper with three products in the cart
    lamp, mug, _ = cart_of_three
    # When they remove the first from the keyboard
    remove_from_the_cart(app, lamp)
    # Then the line is gone and the focus is on the next line's Remove, not the page's body
    expect(app.cart_line(lamp)).to_have_count(0)
    expect(app.cart_line(mug).get_by_role("button", name="Remove")).to_be_focused()


def test_the_focus_stays_on_remove_when_the_products_read_again_arrive_after_it(
    app: ShopApp, cart_of_three: Products
) -> None:
    # Given a shopper on the cart page whose products' second reading is still on its way
    lamp, mug, _ = cart_of_three
    with app.requests_held("**/product/*"):
        app.page.reload()
        expect(app.cart_line(lamp)).to_have_count(1)
        # When they remove the first line from the keyboard
        remove_from_the_cart(app, lamp)
        drawn_before = app.cart_line(mug).get_by_role("button", name="Remove").element_handle()
    # Then, the reading arrived and the lines drawn again, the focus is still on the next Remove
    drawn_before.wait_for_element_state("hidden")
    expect(app.cart_line(mug).get_by_role("button", name="Remove")).to_be_focused()


def test_emptying_the_cart_moves_the_focus_to_the_notice(
    app: ShopApp, shopper: Tokens, product: dict[str, Any]
) -> None:
    # Given a shopper with one product in the cart
    app.sign_in(shopper.username)
    app.add_to_cart(product)
    app.open("/cart")
    # When they remove it from the keyboard
    remove_from_the_cart(app, product)
    # Then the focus is on the notice saying so
    expect(app.notice).to_be_focused()
    expect(app.notice).to_have_text(f"Removed {product['name']}.")


def test_a_cart_of_several_products_is_placed_as_one_order(
    app: ShopApp,
    cart_of_three: Products,
    shoppers_orders: OrderLister,
) -> None:
    # Given a shopper with three products in the cart
    lamp, mug, tea = cart_of_three
    # When they place the order
    with app.page.expect_request(re.compile(r".*/order$")) as sent:
        app.place_cart_order()
    # Then one order holds the three lines, to the address typed, its page shows them priced
    # by the shop, and the cart is empty
    assert sent.value.post_data_json == {
        "lines": [
            {"product_id": lamp["product_id"], "quantity": 2},
            {"product_id": mug["product_id"], "quantity": 1},
            {"product_id": tea["product_id"], "quantity": 4},
        ],
        "address": {
            "name": ADDRESS["Full name"],
            "lines": [ADDRESS["Address"]],
            "postcode": ADDRESS["Postcode"],
            "city": ADDRESS["City"],
            "country": ADDRESS_COUNTRY,
        },
    }
    app.wait_for_order_page()
    expect(app.notice).to_have_text("Your order is placed.")
    expect(app.page.locator(".table tbody tr")).to_have_count(3)
    expect(app.page.locator("[data-order-total]")).to_have_text("Total: €73.48")
    (order,) = shoppers_orders()
    assert [line["quantity"] for line in order["lines"]] == [2, 1, 4]
    app.open("/cart")
    expect(app.page.locator(".list-state")).to_contain_text("Your cart is empty.")


def in_the_cart_of(app: ShopApp, shopper: Tokens, product: Item, quantity: int) -> Item:
    """`product`, `quantity` of it put in the cart by the shopper, signed in."""
    app.sign_in(shopper.username)
    app.add_to_cart(product, quantity)
    return product


def open_cart_of(app: ShopApp, shopper: Tokens, product: Item) -> None:
    """The shopper signed in, `product` in their cart, and the cart page open."""
    app.sign_in(shopper.username)
    app.add_to_cart(product)
    app.open("/cart")


def test_the_cart_shows_the_price_the_shop_sells_at_now(
    app: ShopApp, shopper: Tokens, admin_api: ApiClient
) -> None:
    # Given a shopper who put a product at 12.50 in the cart, which the admin then made 15.00
    product = new_product(admin_api)
    app.sign_in(shopper.username)
    app.add_to_cart(product)
    set_price(admin_api, product, 15)
    # When they open the cart
    app.open("/cart")
    # Then the line and the total are at the new price, and the cart says what changed
    expect(app.cart_line(product).locator('td[data-label="Price"]')).to_have_text("€15.00")
    expect(app.page.locator("[data-cart-total]")).to_have_text("Total: €15.00")
    expect(app.notice).to_contain_text(f"{product['name']} is now €15.00 (it was €12.50")


def test_an_address_line_of_emoji_up_to_the_limit_is_taken(
    app: ShopApp, shopper: Tokens, shoppers_orders: OrderLister, admin_api: ApiClient
) -> None:
    # Given a shopper checking out a cart, whose address line is 100 emoji (the API's limit
    # in characters: 200 UTF-16 code units)
    product = new_product(admin_api)
    open_cart_of(app, shopper, product)
    app.fill_address()
    app.page.get_by_label("Address", exact=True).fill("\U0001f3e0" * 100)
    # When they place the order
    with app.page.expect_response(re.compile(r".*/order$")):
        app.page.get_by_role("button", name="Place order").click()
    # Then it is placed to that line, whole
    app.wait_for_order_page()
    (order,) = shoppers_orders()
    assert order["address"]["lines"] == ["\U0001f3e0" * 100]


# The ways a shopper places the cart's order: the button, or Enter in the address typed
# (the focus then in the checkout form).
PLACE_ORDER: dict[str, Callable[[ShopApp], None]] = {
    "button": lambda app: app.page.get_by_role("button", name="Place order").click(),
    "enter": lambda app: app.page.get_by_label("City", exact=True).press("Enter"),
}


@pytest.mark.parametrize("place_order", PLACE_ORDER.values(), ids=PLACE_ORDER.keys())
def test_a_price_changed_while_the_cart_was_open_is_shown_and_nothing_ordered(
    app: ShopApp,
    shopper: Tokens,
    admin_api: ApiClient,
    shoppers_orders: OrderLister,
    place_order: Callable[[ShopApp], None],
) -> None:
    # Given a shopper on the cart page, its total at 12.50, when the admin makes it 15.00
    product = new_product(admin_api)
    open_cart_of(app, shopper, product)
    expect(app.page.locator("[data-cart-total]")).to_have_text("Total: €12.50")
    set_price(admin_api, product, 15)
    # When they place the order
    app.fill_address()
    place_order(app)
    # Then nothing is ordered: the line and the total show the new price, and the cart says so
    expect(app.notice).to_contain_text("Nothing was ordered: check the total")
    expect(app.page.locator("[data-cart-total]")).to_have_text("Total: €15.00")
    expect(app.cart_line(product)).to_contain_text("€15.00")
    assert shoppers_orders() == []


def test_a_quantity_above_the_stock_is_marked_when_the_cart_opens(
    app: ShopApp, shopper: Tokens, admin_api: ApiClient
) -> None:
    # Given a shopper who put 5 of a product in the cart, of which 3 are left since
    product = in_the_cart_of(app, shopper, new_product(admin_api, stock=6), 5)
    set_stock(admin_api, product, 3)
    # When they open the cart
    app.open("/cart")
    # Then the line says how many are left, and the order cannot be placed as it is
    expect(app.line_error(product)).to_have_text("Order from 1 to 3: 3 in stock.")
    expect(app.page.get_by_role("button", name="Place order")).to_be_disabled()


@pytest.fixture
def cart_short_of_stock(admin_api: ApiClient, cart_of_three: Products) -> Products:
    """The cart of 2 lamps, 1 mug and 4 teas, after others bought all but one lamp and every
    mug."""
    lamp, mug, _ = cart_of_three
    set_stock(admin_api, lamp, 1)
    set_stock(admin_api, mug, 0)
    return cart_of_three


def test_lines_short_of_stock_say_how_many_are_left_and_nothing_is_ordered(
    app: ShopApp,
    admin_api: ApiClient,
    cart_short_of_stock: Products,
    shoppers_orders: OrderLister,
) -> None:
    # Given a cart of 2 lamps, 1 mug and 4 teas, with 1 lamp and no mug left in stock
    lamp, mug, tea = cart_short_of_stock
    # When the shopper places the order
    app.place_cart_order()
    # Then each short line says how many are left, the cart is kept as it was, and nothing
    # was ordered or reserved
    expect(app.notice).to_contain_text("Not enough stock for this order.")
    expect(app.notice).to_contain_text("Nothing was ordered")
    expect(app.line_error(lamp)).to_have_text("Only 1 left.")
    expect(app.line_error(mug)).to_have_text("Out of stock.")
    expect(app.line_error(tea)).to_be_hidden()
    expect(app.page.get_by_label(f"Quantity of {lamp['name']}")).to_have_value("2")
    expect(app.page.get_by_label(f"Quantity of {lamp['name']}")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(app.page.locator("[data-cart-total]")).to_have_text("Total: €73.48")
    assert shoppers_orders() == []
    assert admin_api.get(f"/product/{lamp['product_id']}").json()["stock"] == 1


@pytest.fixture
def cart_with_a_product_gone(admin_api: ApiClient, cart_of_three: Products) -> Products:
    """The cart of lamps, a mug and teas, the mug deleted since."""
    assert admin_api.delete(f"/product/{cart_of_three[1]['product_id']}").status_code == 204
    return cart_of_three


def test_a_line_whose_product_is_gone_is_marked_in_the_cart(
    app: ShopApp,
    cart_with_a_product_gone: Products,
    shoppers_orders: OrderLister,
) -> None:
    # Given a cart of three products, the mug (the second) deleted since
    errors = [app.line_error(product) for product in cart_with_a_product_gone]
    # When the shopper places the order
    app.place_cart_order()
    # Then that line says the product is no longer for sale, the others nothing, and nothing
    # was ordered
    expect(errors[1]).to_have_text("This product is no longer for sale.")
    for kept in (errors[0], errors[2]):
        expect(kept).to_be_hidden()
    expect(app.page.locator("tbody tr")).to_have_count(3)
    assert shoppers_orders() == []


def test_a_cart_of_more_products_than_an_order_holds_says_so_and_offers_no_checkout(
    app: ShopApp, shopper: Tokens
) -> None:
    # Given a shopper whose cart (kept in this browser, filled before they signed in) holds
    # 51 products
    lines = [
        {"productId": str(uuid.uuid4()), "name": f"Web {n}", "unitPrice": 1, "quantity": 1}
        for n in range(51)
    ]
    app.open("/")
    app.page.evaluate("lines => localStorage.setItem('shop.cart', JSON.stringify(lines))", lines)
    app.sign_in(shopper.username)
    # When they open the cart
    app.open("/cart")
    # Then it says an order holds at most 50, and the order cannot be placed as it is
    expect(app.page.locator("[data-cart-limit]")).to_have_text(
        "An order holds at most 50 products: remove 1 to place this one."
    )
    expect(app.page.get_by_role("button", name="Place order")).to_be_disabled()


def test_a_short_quantity_in_the_order_dialog_says_how_many_are_left(
    app: ShopApp,
    shopper: Tokens,
    admin_api: ApiClient,
    shoppers_orders: OrderLister,
) -> None:
    # Given a shopper ordering a product from the Products page, 2 left once others bought
    # the rest meanwhile
    product = new_product(admin_api, stock=10)
    app.sign_in(shopper.username)
    app.open(f"/products?q={product['name']}")
    app.find_row(product["name"]).get_by_role("button", name="Order").click()
    app.fill_address(app.dialog)
    set_stock(admin_api, product, 2)
    # When they ask for 3
    app.dialog.get_by_label("Quantity").fill("3")
    app.dialog.get_by_role("button", name="Place order").click()
    # Then the dialog says, beside the quantity, how many are left, and nothing was ordered
    expect(app.field_error("Quantity", app.dialog)).to_have_text("Only 2 left.")
    assert shoppers_orders() == []


def test_a_price_changed_while_the_order_dialog_was_open_is_shown_and_nothing_ordered(
    app: ShopApp, shopper: Tokens, admin_api: ApiClient, shoppers_orders: OrderLister
) -> None:
    # Given a shopper ordering a product at 12.50 from the Products page, which the admin
    # makes 15.00 meanwhile
    product = new_product(admin_api)
    app.sign_in(shopper.username)
    app.open(f"/products?q={product['name']}")
    app.find_row(product["name"]).get_by_role("button", name="Order").click()
    app.fill_address(app.dialog)
    expect(app.dialog.locator(".order-total")).to_have_text("Total: €12.50")
    set_price(admin_api, product, 15)
    # When they place the order
    app.dialog.get_by_role("button", name="Place order").click()
    # Then the dialog says the price changed and shows the new total, and nothing was ordered
    expect(app.dialog).to_contain_text("The price is now €15.00 (it was €12.50)")
    expect(app.dialog.locator(".order-total")).to_have_text("Total: €15.00")
    assert shoppers_orders() == []


def test_the_order_dialog_offers_at_most_the_stock(
    app: ShopApp, shopper: Tokens, admin_api: ApiClient
) -> None:
    # Given a product with 40 in stock
    product = new_product(admin_api, stock=40)
    app.sign_in(shopper.username)
    app.open(f"/products?q={product['name']}")
    # When a shopper opens its Order dialog on the Products page
    app.find_row(product["name"]).get_by_role("button", name="Order").click()
    # Then the quantity goes from 1 to the stock, as on the product's page
    quantity = app.field("Quantity", app.dialog)
    expect(quantity.locator(".field__hint")).to_have_text("From 1 to 40.")
    expect(app.dialog.get_by_label("Quantity")).to_have_attribute("max", "40")


def test_the_quantity_hint_of_the_last_one_in_stock_says_only_1_is_left(
    app: ShopApp, admin_api: ApiClient
) -> None:
    # Given a product with 1 in stock
    product = new_product(admin_api, stock=1)
    # When a visitor opens its page
    app.open(f"/product?id={product['product_id']}")
    # Then the quantity's hint says only 1 is left, not "From 1 to 1."
    quantity = app.field("Quantity")
    expect(quantity.locator(".field__hint")).to_have_text("Only 1 left.", timeout=COLD_START_MS)


def test_the_product_page_says_out_of_stock_once_an_order_took_the_last(
    app: ShopApp, shopper: Tokens, admin_api: ApiClient
) -> None:
    # Given a product with 2 in stock, both in a shopper's cart
    product = in_the_cart_of(app, shopper, new_product(admin_api, stock=2), 2)
    expect(app.page.locator("[data-stock]")).to_have_text("2 in stock")
    # When they place the order and go back to the product's page
    app.open("/cart")
    app.place_cart_order()
    app.wait_for_order_page()
    app.open(f"/product?id={product['product_id']}")
    # Then it is out of stock and cannot be put in the cart
    expect(app.page.locator("[data-stock]")).to_have_text("Out of stock")
    expect(app.page.get_by_role("button", name="Add to cart")).to_have_count(0)


@pytest.fixture
def shipped_order_of_three(
    stack: RunningStack,
    shopper: Tokens,
    admin_api: ApiClient,
    three_products: Products,
) -> Item:
    """The shopper's order of 2 lamps, 1 mug and 4 teas, shipped by the admin."""
    lamp, mug, tea = three_products
    order = place_lines(stack, shopper, [(lamp, 2), (mug, 1), (tea, 4)])
    return change_status(admin_api, order, "shipped")


def test_an_order_page_shows_every_line_and_the_total(
    app: ShopApp,
    shopper: Tokens,
    three_products: Products,
    shipped_order_of_three: Item,
) -> None:
    # Given a shopper's order of three products
    order = shipped_order_of_three
    # When they follow its link from their orders
    app.sign_in(shopper.username)
    app.go_to("Orders")
    app.find_row(order["order_id"]).get_by_role("link").click()
    # Then its page shows each line's name, unit price, quantity and line total, and the total
    app.wait_for_order_page()
    expect(app.page.locator("code.order-id")).to_have_text(order["order_id"])
    lines = [
        [cell.strip() for cell in app.cart_line(product).locator("td").all_inner_texts()]
        for product in three_products
    ]
    assert lines == [
        [three_products[0]["name"], "€19.99", "2", "€39.98"],
        [three_products[1]["name"], "€4.50", "1", "€4.50"],
        [three_products[2]["name"], "€7.25", "4", "€29.00"],
    ]
    expect(app.page.locator("[data-order-total]")).to_have_text("Total: €73.48")


def test_an_order_page_shows_the_admin_who_did_what(
    app: ShopApp, stack: RunningStack, shopper: Tokens, shipped_order_of_three: Item
) -> None:
    # Given a shopper's order, shipped by the admin
    order = shipped_order_of_three
    # When the admin opens its page
    app.sign_in(stack.admin_username, stack.admin_password)
    app.open(f"/order?id={order['order_id']}")
    # Then its history says who placed it and who shipped it, and when
    history = app.page.locator(".history li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Pending")
    expect(history.nth(0)).to_contain_text(f"by {shopper.username}")
    expect(history.nth(1)).to_contain_text("Shipped")
    expect(history.nth(1)).to_contain_text(f"by {stack.admin_username}")
    expect(history.locator("time").first).not_to_be_empty()


@pytest.mark.parametrize("viewer", ["shopper", "admin"])
def test_the_orders_lists_show_the_first_product_and_how_many_more(
    app: ShopApp,
    stack: RunningStack,
    shopper: Tokens,
    three_products: Products,
    shipped_order_of_three: Item,
    viewer: str,
) -> None:
    # Given a shopper's order of three products
    order = shipped_order_of_three
    # When the shopper (their orders), or the admin (every order), opens the Orders page
    if viewer == "admin":
        app.sign_in(stack.admin_username, stack.admin_password)
    else:
        app.sign_in(shopper.username)
    app.go_to("Orders")
    # Then its row names the first product and how many more, the items and the total
    row = app.order_row(order)
    expect(row.locator('td[data-label="Products"]')).to_have_text(
        f"{three_products[0]['name']} and 2 more"
    )
    expect(row.locator('td[data-label="Items"]')).to_have_text("7")
    expect(row.locator('td[data-label="Total"]')).to_have_text("€73.48")


def test_a_large_total_and_its_status_are_never_broken_across_lines(
    app: ShopApp, stack: RunningStack, shopper: Tokens, admin_api: ApiClient
) -> None:
    # Given a shopper's delivered order of a thousand of a product at 999,999.99
    product = new_product(admin_api, name=f"Web long name {'x' * 60}", price=999_999.99)
    order = place_lines(stack, shopper, [(product, 1000)])
    change_status(admin_api, change_status(admin_api, order, "shipped"), "delivered")
    # When the shopper opens their orders
    app.sign_in(shopper.username)
    app.go_to("Orders")
    # Then its total and its status each read on one line
    row = app.order_row(order)
    expect(row.locator('td[data-label="Total"]')).to_have_text("€999,999,990.00")
    assert app.text_lines(row.locator('td[data-label="Total"]')) == 1
    assert app.text_lines(row.locator(".badge")) == 1


def test_order_again_puts_every_line_in_the_cart_up_to_the_stock_and_names_the_product_gone(
    app: ShopApp,
    shopper: Tokens,
    admin_api: ApiClient,
    three_products: Products,
    shipped_order_of_three: Item,
    shoppers_orders: OrderLister,
) -> None:
    # Given a shopper's delivered order of three products, the mug deleted since
    lamp, mug, tea = three_products
    change_status(admin_api, shipped_order_of_three, "delivered")
    assert admin_api.delete(f"/product/{mug['product_id']}").status_code == 204
    # When the shopper orders it again
    app.sign_in(shopper.username)
    app.go_to("Orders")
    app.click_in_row(app.order_row(shipped_order_of_three), "Order again")
    # Then the cart holds the other lines with their quantities (the lamp's up to the one
    # left), for review, and says so line by line, the mug no longer for sale; nothing is
    # ordered yet
    expect(app.heading).to_have_text("Your cart")
    expect(app.page.locator("[data-order-again] li")).to_have_text(
        [
            f"{lamp['name']}: 1 of 2 added, 1 now (1 in stock).",
            f"{tea['name']}: 4 added.",
            f"{mug['name']}: no longer for sale, not added.",
        ]
    )
    expect(app.page.locator("tbody tr")).to_have_count(2)
    expect(app.page.get_by_label(f"Quantity of {lamp['name']}")).to_have_value("1")
    expect(app.page.get_by_label(f"Quantity of {tea['name']}")).to_have_value("4")
    assert len(shoppers_orders()) == 1


def test_a_link_cannot_make_the_cart_say_words_of_its_own(app: ShopApp) -> None:
    # Given a link to the cart carrying a message, as "Order again" once wrote its note
    link = "/cart?skipped=Your account is locked: call +1 555 0100"
    # When a visitor follows it
    app.open(link)
    # Then the cart shows no such message
    expect(app.heading).to_have_text("Your cart")
    expect(app.page.get_by_text("Your account is locked")).to_have_count(0)
