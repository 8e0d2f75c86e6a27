"""What every page must be: within the strict CSP, usable by keyboard, legible, fit for a phone."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, expect

from tests.builders.data import address
from tests.e2e.stack import PASSWORD, RunningStack, Tokens
from tests.web.shop_app import DESKTOP, PHONE, ShopApp, shop_tab

# Measures, in the page, each text's contrast (WCAG 2) and whether it is large text.
CONTRAST_SCRIPT = (Path(__file__).parent / "contrast.js").read_text()


def low_contrast(app: ShopApp) -> list[dict[str, Any]]:
    """Text below WCAG AA: 4.5:1, or 3:1 for large text."""
    measured: list[dict[str, Any]] = app.page.evaluate(CONTRAST_SCRIPT)
    assert measured, "no text was measured"
    return [item for item in measured if item["ratio"] < (3 if item["large"] else 4.5)]


def visit_every_page(app: ShopApp) -> list[str]:
    """Each page of a signed-in user (with its dialogs), then the account pages."""
    visited = []
    for link in ("Home", "Products", "Orders"):
        app.go_to(link)
        app.page.wait_for_load_state("networkidle")
        visited.append(link)
    app.sign_out()
    for route in ("/sign-in", "/sign-up", "/confirm"):
        app.open(route)
        visited.append(route)
    return visited


def test_every_page_runs_under_the_cloudfront_csp_without_a_violation(
    app: ShopApp, stack: RunningStack, csp: str
) -> None:
    # Given the page served with CloudFront's Content-Security-Policy
    response = app.open("/")
    # When the admin goes through every page and opens the product dialog
    app.sign_in(stack.admin_username, stack.admin_password)
    app.page.get_by_role("button", name="Add product").click()
    app.page.keyboard.press("Escape")
    visited = visit_every_page(app)
    # Then nothing the app does is refused by the policy
    assert response is not None
    assert response.headers["content-security-policy"] == csp
    assert len(visited) == 6
    assert app.csp_violations() == []


def test_the_csp_detector_sees_a_violation(app: ShopApp) -> None:
    # Given the app under the CSP
    app.open("/")
    expect(app.heading).to_be_visible()
    # When something adds an inline style, which the policy forbids
    with app.page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        app.page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')"
        )
    # Then the violation is reported (so the other tests' "no violation" means something)
    assert app.csp_violations()
    app.console.clear()


def test_text_meets_the_aa_contrast_ratio_on_every_page(app: ShopApp, stack: RunningStack) -> None:
    # Given the admin's pages (they show every kind of element the shopper's do, and more)
    app.sign_in(stack.admin_username, stack.admin_password)
    failures = []
    # When the contrast of every text is measured on each page
    for link in ("Home", "Products", "Orders"):
        app.go_to(link)
        app.page.wait_for_load_state("networkidle")
        failures += low_contrast(app)
    # Then none is under WCAG AA
    assert failures == []


def test_navigating_moves_focus_to_the_new_page_heading(app: ShopApp, shopper: Tokens) -> None:
    # Given a signed-in shopper
    app.sign_in(shopper.username)
    # When they follow a link of the navigation
    app.go_to("Orders")
    # Then the keyboard focus is on the new page's heading and the link says it is current
    expect(app.heading).to_be_focused()
    main_nav = app.page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Orders")).to_have_attribute("aria-current", "page")


def test_the_order_dialog_works_from_the_keyboard(
    app: ShopApp, shopper: Tokens, product: dict[str, Any]
) -> None:
    # Given a shopper on the Products page, focus on a product's Order button
    app.sign_in(shopper.username)
    app.go_to("Products")
    order_button = app.find_row(product["name"]).get_by_role("button", name="Order")
    order_button.focus()
    # When they press Enter, then Escape
    app.page.keyboard.press("Enter")
    expect(app.dialog.get_by_label("Quantity")).to_be_focused()
    app.page.keyboard.press("Escape")
    # Then the dialog opened on its field, closed, and gave focus back to the button
    expect(app.dialog).to_have_count(0)
    expect(order_button).to_be_focused()


def expect_busy_with_the_focus(button: Locator) -> None:
    """`button` is busy and unavailable, yet keeps the focus (a disabled one drops it to the
    page's body, where the keyboard user is lost until the answer comes)."""
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-disabled", "true")
    expect(button).to_have_attribute("aria-busy", "true")


def test_a_form_being_sent_keeps_the_focus_on_its_busy_button(
    app: ShopApp, shopper: Tokens
) -> None:
    # Given a shopper on the sign-in page, the form filled in
    app.open("/sign-in")
    app.page.get_by_label("Username").fill(shopper.username)
    app.page.get_by_label("Password", exact=True).fill(PASSWORD)
    with app.requests_held("**/cognito/"):
        # When they press Sign in, and Cognito has not answered yet
        app.page.get_by_role("button", name="Sign in", exact=True).press("Enter")
        # Then the button, saying it is busy, still has the focus
        expect_busy_with_the_focus(app.page.get_by_role("button", name="Signing in…"))


def test_a_confirmed_row_action_keeps_the_focus_on_its_busy_button(
    admin_app: ShopApp, product: dict[str, Any]
) -> None:
    # Given the admin deleting a product from its row, from the keyboard
    admin_app.go_to("Products")
    delete = admin_app.find_row(product["name"]).get_by_role("button", name="Delete")
    delete.press("Enter")
    with admin_app.requests_held("**/product/*"):
        # When they confirm, and the API has not answered yet
        admin_app.confirm("Delete product")
        # Then the focus went back to the row's button, busy
        expect_busy_with_the_focus(delete)


def test_sending_a_new_code_keeps_the_focus_on_its_busy_button(
    app: ShopApp, shopper: Tokens
) -> None:
    # Given the confirmation page
    app.open(f"/confirm?username={shopper.username}")
    resend = app.page.get_by_role("button", name="Send a new code")
    with app.requests_held("**/cognito/"):
        # When the keyboard user asks for a new code, and Cognito has not answered yet
        resend.press("Enter")
        # Then the button still has the focus, busy
        expect_busy_with_the_focus(resend)


def test_the_skip_link_takes_the_keyboard_to_the_content(app: ShopApp) -> None:
    # Given the home page
    app.open("/")
    expect(app.heading).to_be_visible()
    # When the keyboard user tabs to the first link and follows it
    app.page.keyboard.press("Tab")
    skip = app.page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    app.page.keyboard.press("Enter")
    # Then the main content has the focus and the page stayed where it was
    expect(app.page.locator("main")).to_be_focused()
    assert app.page.url.endswith("#/")


def test_on_a_phone_tables_become_cards_that_fit_the_screen(
    phone_app: ShopApp, shopper: Tokens, product: dict[str, Any]
) -> None:
    # Given a shopper on a phone-sized screen
    phone_app.sign_in(shopper.username)
    # When they open the Products page
    phone_app.go_to("Products")
    row = phone_app.find_row(product["name"])
    # Then nothing scrolls sideways, and each cell is labelled with its column's name
    page_width = phone_app.page.evaluate("document.documentElement.scrollWidth")
    label = row.locator("td").first.evaluate("cell => getComputedStyle(cell, '::before').content")
    order_button = row.get_by_role("button", name="Order").bounding_box()
    assert page_width <= PHONE["width"]
    assert label == '"Name"'
    assert order_button is not None
    assert order_button["x"] + order_button["width"] <= PHONE["width"]


def test_on_a_phone_a_long_unbroken_address_line_wraps(
    phone_app: ShopApp, stack: RunningStack, shopper: Tokens, product: dict[str, Any]
) -> None:
    # Given an order delivered to an address with a line of 100 characters and no space
    body = {
        "lines": [{"product_id": product["product_id"], "quantity": 1}],
        "address": address(lines=["x" * 100]),
    }
    order = stack.client_for(shopper).post("/order", body).json()
    # When the shopper opens it on a phone-sized screen
    phone_app.sign_in(shopper.username)
    phone_app.open(f"/order?id={order['order_id']}")
    expect(phone_app.page.locator("[data-address]")).to_contain_text("x" * 20)
    # Then nothing scrolls sideways
    assert phone_app.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("width", [PHONE["width"], DESKTOP["width"]])
def test_a_long_username_never_widens_the_page(
    browser: Browser, stack: RunningStack, csp: str, width: int
) -> None:
    # Given a shopper whose username is 120 characters
    shopper = stack.new_shopper("w" * 111)
    with shop_tab(browser, stack, csp, {"width": width, "height": 800}) as app:
        # When they are signed in, on any page
        app.sign_in(shopper.username)
        app.go_to("Products")
        # Then nothing scrolls sideways, and Sign out is on the screen
        assert app.page.evaluate("document.documentElement.scrollWidth") <= width
        sign_out = app.page.get_by_role("button", name="Sign out").bounding_box()
        assert sign_out is not None
        assert sign_out["x"] + sign_out["width"] <= width
