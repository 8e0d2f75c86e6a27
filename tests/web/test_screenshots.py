"""Screenshots of Home, Products and Orders for a shopper and for the admin (docs/screenshots/).

They are taken on a stack of their own, holding only the sample products and a few orders in
every status, so that they show the shop as a newcomer would see it.
"""

import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.stack import RunningStack, Tokens, local_stack
from tests.web.data import change_status, place_order
from tests.web.shop_app import DESKTOP, PHONE, ShopApp, shop_tab

PAGES = {"Home": "home", "Products": "products", "Orders": "orders"}
# Each order: (shopper, product name, quantity, the statuses it goes through after pending).
ORDERS = [
    ("alice", "Coffee beans, 1 kg", 2, ["shipped", "delivered"]),
    ("alice", "Hand grinder", 1, ["shipped"]),
    ("alice", "Espresso cup", 6, ["cancelled"]),
    ("alice", "Pour-over kettle", 1, []),
    ("bob", "Espresso cup", 2, []),
]


@pytest.fixture(scope="module")
def stack() -> Iterator[RunningStack]:
    """A stack of this module's own (it overrides the suite's shared one)."""
    with local_stack() as running:
        yield running


@pytest.fixture(scope="module")
def shoppers(stack: RunningStack) -> dict[str, Tokens]:
    """alice and bob, signed up and confirmed, with ORDERS placed and moved along."""
    tokens = {name: sign_up_confirmed(stack, name) for name in ("alice", "bob")}
    admin = stack.client_for(stack.sign_in(stack.admin_username, stack.admin_password))
    products = {product["name"]: product for product in admin.get("/products").json()}
    for shopper, product_name, quantity, statuses in ORDERS:
        order = place_order(stack, tokens[shopper], products[product_name], quantity)
        for status in statuses:
            mover = stack.client_for(tokens[shopper]) if status == "cancelled" else admin
            order = change_status(mover, order, status)
    return tokens


def sign_up_confirmed(stack: RunningStack, username: str) -> Tokens:
    stack.sign_up(username)
    code = stack.confirmation_code(username)
    stack.cognito.confirm_sign_up(
        ClientId=stack.client_id, Username=username, ConfirmationCode=code
    )
    return stack.sign_in(username)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def shoot_every_page(app: ShopApp, role: str) -> list[Path]:
    shots = []
    for link, page in PAGES.items():
        app.go_to(link)
        if page != "home":
            app.table_loaded()
        app.page.wait_for_load_state("networkidle")
        shots.append(app.screenshot(f"{role}-{page}"))
    return shots


@pytest.mark.usefixtures("shoppers")
def test_screenshots_of_a_shoppers_pages(app: ShopApp) -> None:
    # Given alice, with orders in every status
    app.sign_in("alice")
    # When her three pages are photographed
    shots = shoot_every_page(app, "shopper")
    # Then her orders are all there, and each page is a desktop-wide PNG in docs/screenshots
    expect(app.rows()).to_have_count(4)
    assert [png_size(shot)[0] for shot in shots] == [DESKTOP["width"]] * 3


@pytest.mark.usefixtures("shoppers")
def test_screenshots_of_the_admins_pages(app: ShopApp, stack: RunningStack) -> None:
    # Given the admin, with alice's and bob's orders in the shop
    app.sign_in(stack.admin_username, stack.admin_password)
    # When the admin's three pages are photographed
    shots = shoot_every_page(app, "admin")
    # Then every order is listed with its customer, and each page is a PNG
    expect(app.rows()).to_have_count(len(ORDERS))
    expect(app.page.get_by_role("columnheader", name="Customer")).to_be_visible()
    assert [png_size(shot)[0] for shot in shots] == [DESKTOP["width"]] * 3


@pytest.mark.usefixtures("shoppers")
def test_screenshot_of_the_orders_on_a_phone(
    browser: Browser, stack: RunningStack, csp: str
) -> None:
    # Given alice on a phone-sized screen
    with shop_tab(browser, stack, csp, PHONE) as phone:
        phone.sign_in("alice")
        # When her Orders page is photographed
        phone.go_to("Orders")
        phone.table_loaded()
        shot = phone.screenshot("shopper-orders-phone")
    # Then the picture is as wide as the phone
    assert png_size(shot)[0] == PHONE["width"]
