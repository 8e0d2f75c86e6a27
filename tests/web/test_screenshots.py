"""Screenshots of Home, Products and Orders for a shopper and for the admin, of a search by a
later word of a name, of a product page, a cart of several products with its delivery address,
an order's page with its address and history, and the e-mail its delivery sent, as the local
mail server printed and kept it (docs/screenshots/).

They are taken on a stack of their own, holding only the sample products and a few orders in
every status, so that they show the shop as a newcomer would see it.
"""

import html
import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, expect

from tests.builders.pictures import picture_png
from tests.e2e.stack import RunningStack, Tokens, local_stack
from tests.web.data import change_status, place_lines
from tests.web.shop_app import COLD_START_MS, DESKTOP, PHONE, SCREENSHOTS, ShopApp, shop_tab

PAGES = {"Home": "home", "Products": "products", "Orders": "orders"}
# Each order: (shopper, its lines as (product name, quantity), the statuses it goes through
# after pending). The first is the one whose page is photographed.
ORDERS = [
    (
        "alice",
        [("Coffee beans, 1 kg", 2), ("Hand grinder", 1), ("Espresso cup", 2)],
        ["shipped", "delivered"],
    ),
    ("alice", [("Hand grinder", 1)], ["shipped"]),
    ("alice", [("Espresso cup", 6)], ["cancelled"]),
    ("alice", [("Pour-over kettle", 1), ("Coffee beans, 1 kg", 1)], []),
    ("bob", [("Espresso cup", 2)], []),
]


@pytest.fixture(scope="module")
def stack() -> Iterator[RunningStack]:
    """A stack of this module's own (it overrides the suite's shared one)."""
    with local_stack() as running:
        yield running


@pytest.fixture(scope="module")
def orders(stack: RunningStack) -> list[dict[str, Any]]:
    """ORDERS, placed by alice and bob (signed up and confirmed) and moved along."""
    tokens = {name: sign_up_confirmed(stack, name) for name in ("alice", "bob")}
    admin = stack.client_for(stack.sign_in(stack.admin_username, stack.admin_password))
    products = {product["name"]: product for product in admin.get("/products").json()}
    products["Espresso cup"] = with_picture(stack, admin, products["Espresso cup"])
    placed = []
    for shopper, lines, statuses in ORDERS:
        order = place_lines(stack, tokens[shopper], [(products[name], n) for name, n in lines])
        for status in statuses:
            mover = stack.client_for(tokens[shopper]) if status == "cancelled" else admin
            order = change_status(mover, order, status)
        placed.append(order)
    return placed


def with_picture(stack: RunningStack, admin: Any, product: dict[str, Any]) -> dict[str, Any]:
    """`product` with a picture uploaded as the admin's form does (presigned POST)."""
    upload = admin.post("/images", {"content_type": "image/png"}).json()
    files = {"file": ("cup.png", picture_png(), "image/png")}
    assert requests.post(upload["url"], data=upload["fields"], files=files, timeout=30).ok
    body = {key: product[key] for key in ("product_id", "name", "price", "description", "stock")}
    response = admin.post(
        "/product", {**body, "image": upload["image"], "expected_stock": product["stock"]}
    )
    assert response.status_code == 200, response.text
    changed: dict[str, Any] = response.json()
    return changed


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


@pytest.mark.usefixtures("orders")
def test_screenshots_of_a_shoppers_pages(app: ShopApp) -> None:
    # Given alice, with orders in every status
    app.sign_in("alice")
    # When her three pages are photographed
    shots = shoot_every_page(app, "shopper")
    # Then her orders are all there, and each page is a desktop-wide PNG in docs/screenshots
    expect(app.rows()).to_have_count(4)
    assert [png_size(shot)[0] for shot in shots] == [DESKTOP["width"]] * 3


@pytest.mark.usefixtures("orders")
def test_screenshots_of_the_admins_pages(app: ShopApp, stack: RunningStack) -> None:
    # Given the admin, with alice's and bob's orders in the shop
    app.sign_in(stack.admin_username, stack.admin_password)
    # When the admin's three pages are photographed
    shots = shoot_every_page(app, "admin")
    # Then every order is listed with its customer, and each page is a PNG
    expect(app.rows()).to_have_count(len(ORDERS))
    expect(app.page.get_by_role("columnheader", name="Customer")).to_be_visible()
    assert [png_size(shot)[0] for shot in shots] == [DESKTOP["width"]] * 3


@pytest.mark.usefixtures("orders")
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


@pytest.mark.usefixtures("orders")
def test_screenshots_of_a_product_page_and_a_cart(app: ShopApp, stack: RunningStack) -> None:
    # Given alice on the Espresso cup's page
    app.sign_in("alice")
    products = {product["name"]: product for product in stack.client(None).get("/products").json()}
    app.open(f"/product?id={products['Espresso cup']['product_id']}")
    expect(app.heading).to_have_text("Espresso cup", timeout=COLD_START_MS)
    # (its picture named after it, for those who do not see it)
    expect(app.page.locator("img.product-image--large")).to_have_attribute("alt", "Espresso cup")
    app.page.wait_for_load_state("networkidle")
    page_shot = app.screenshot("shopper-product")
    # When she puts two in her cart, then a bag of beans and a kettle
    app.add_to_cart(products["Espresso cup"], 2)
    app.add_to_cart(products["Coffee beans, 1 kg"])
    app.add_to_cart(products["Pour-over kettle"])
    app.go_to("Cart")
    expect(app.page.locator("[data-cart-total]")).to_have_text("Total: €98.90")
    # and types where to deliver them
    app.fill_address()
    app.page.wait_for_load_state("networkidle")
    cart_shot = app.screenshot("shopper-cart")
    # Then both are desktop-wide PNGs
    assert [png_size(shot)[0] for shot in (page_shot, cart_shot)] == [DESKTOP["width"]] * 2


@pytest.mark.usefixtures("orders")
def test_screenshot_of_a_search_by_a_later_word_of_the_name(app: ShopApp) -> None:
    # Given alice on the Products page
    app.sign_in("alice")
    app.go_to("Products")
    # When she searches for a word that is not the start of any name
    app.search("grinder")
    # Then the Hand grinder alone is listed, and the page is photographed
    expect(app.rows()).to_have_count(1)
    expect(app.rows().first).to_contain_text("Hand grinder")
    app.page.wait_for_load_state("networkidle")
    assert png_size(app.screenshot("shopper-search"))[0] == DESKTOP["width"]


def test_screenshot_of_an_order_page(app: ShopApp, orders: list[dict[str, Any]]) -> None:
    # Given alice's delivered order of three products
    order = orders[0]
    app.sign_in("alice")
    # When she opens it from her orders and its page is photographed
    app.go_to("Orders")
    app.order_row(order).get_by_role("link").click()
    expect(app.page.locator(".history li")).to_have_count(3, timeout=COLD_START_MS)
    app.page.wait_for_load_state("networkidle")
    shot = app.screenshot("shopper-order")
    # Then the page shows every line, and the picture is a desktop-wide PNG
    expect(app.page.locator(".table tbody tr")).to_have_count(3)
    assert png_size(shot)[0] == DESKTOP["width"]


def test_screenshot_of_an_order_email_as_make_run_shows_it(
    browser: Browser, stack: RunningStack, orders: list[dict[str, Any]]
) -> None:
    # Given alice's delivered order, and the e-mails the local mail server kept for her
    short = orders[0]["order_id"][:8]
    subject = f"Your order {short} is delivered"
    message = stack.email("alice@example.com", subject)
    printed = stack.output.wait_for(re.compile(rf"^Mail to alice@example\.com: {subject}$"), 5)
    # When the console line and the message are shown as a terminal would
    headers = "".join(f"{name}: {message[name]}\n" for name in ("From", "To", "Subject", "Date"))
    text = f"$ make run\n...\n{printed.group(0)}\n\n{headers}\n{message.get_content()}"
    page = browser.new_page(viewport={"width": 760, "height": 400})
    style = "background:#1e1e1e;color:#e8e8e8;font:14px/1.4 monospace;padding:16px;margin:0"
    page.set_content(f'<pre style="{style}">{html.escape(text)}</pre>')
    shot = SCREENSHOTS / "order-email.png"
    page.screenshot(path=shot, full_page=True)
    page.close()
    # Then the picture shows its lines, total and address
    body = message.get_content()
    assert "Total: " in body
    assert "Delivery address:\n  Alice Martin\n" in body
    assert png_size(shot)[0] == 760
