"""One browser, several people: each account's cart and delivery address are its own, and
the next person at the browser finds neither of the last one's, however the last one's
session ended (a tab closed, a session expired: the session lives in the tab)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.stack import ApiClient, Tokens
from tests.web.data import new_product
from tests.web.shop_app import ShopApp


@pytest.fixture
def left_in_the_cart(app: ShopApp, shopper: Tokens, admin_api: ApiClient) -> dict[str, Any]:
    """The product a shopper left in their cart, after an order to their address, when they
    closed the tab without signing out (the tab's session, and what the tab kept, are gone;
    what the browser keeps stays)."""
    ordered, left = new_product(admin_api), new_product(admin_api)
    app.sign_in(shopper.username)
    app.add_to_cart(ordered)
    app.open("/cart")
    app.place_cart_order()
    app.wait_for_order_page()
    app.add_to_cart(left)
    app.page.evaluate("sessionStorage.clear()")
    app.page.reload()
    expect(app.account.get_by_role("link", name="Sign in")).to_be_visible()
    return left


def test_the_next_shopper_finds_neither_the_last_ones_cart_nor_address(
    app: ShopApp, left_in_the_cart: dict[str, Any], other_shopper: Tokens, admin_api: ApiClient
) -> None:
    # Given a shopper who left a product in the cart and closed the tab
    # When another shopper signs in at the browser and fills a cart of their own
    mine = new_product(admin_api)
    app.sign_in(other_shopper.username)
    app.add_to_cart(mine)
    app.open("/cart")
    # Then the cart holds their product alone, and the address is not the last shopper's
    expect(app.cart_line(mine)).to_be_visible()
    expect(app.cart_line(left_in_the_cart)).to_have_count(0)
    expect(app.page.get_by_label("Full name", exact=True)).to_have_value("")


def test_a_shopper_finds_their_cart_again_after_their_session_ended(
    app: ShopApp, left_in_the_cart: dict[str, Any], shopper: Tokens
) -> None:
    # Given a shopper who left a product in the cart and closed the tab
    # When they sign in again
    app.sign_in(shopper.username)
    app.open("/cart")
    # Then their cart is as they left it
    expect(app.cart_line(left_in_the_cart)).to_be_visible()


def test_a_visitor_finds_no_cart_of_the_account_whose_tab_was_closed(
    app: ShopApp, left_in_the_cart: dict[str, Any]
) -> None:
    # Given a shopper who left a product in the cart and closed the tab
    # When the next person at the browser opens the cart, signed out
    app.open("/cart")
    # Then it is empty
    expect(app.page.locator(".list-state")).to_contain_text("Your cart is empty.")
