"""Browser tests: Debian's Chromium, driven by Playwright, against one local stack per session.

Every page is served with the Content-Security-Policy that CloudFront's response-headers
policy sets (read from bootstrap/template.yaml), and every test fails if the page reported a
CSP violation or an uncaught error.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Playwright, expect, sync_playwright

from tests.e2e.stack import ApiClient, RunningStack, Tokens, local_stack
from tests.web.data import change_status, new_product, place_order
from tests.web.shop_app import DESKTOP, PHONE, ShopApp, content_security_policy, shop_tab

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def stack() -> Iterator[RunningStack]:
    with local_stack() as running:
        yield running


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


def chromium_executable() -> str | None:
    """Debian's Chromium (`make test` installs it), or `SHOP_CHROMIUM`; None lets Playwright
    use the browser `playwright install chromium` put in place (CodeBuild's Ubuntu images).
    Without any, the launch fails and says so: the browser tests are never skipped."""
    configured = os.environ.get("SHOP_CHROMIUM")
    if configured:
        return configured
    return str(CHROMIUM) if CHROMIUM.exists() else None


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def csp(stack: RunningStack) -> str:
    return content_security_policy(stack)


@pytest.fixture
def app(browser: Browser, stack: RunningStack, csp: str) -> Iterator[ShopApp]:
    """The shop in a fresh desktop-sized tab (nothing in session storage)."""
    with shop_tab(browser, stack, csp, DESKTOP) as shop:
        yield shop


@pytest.fixture
def phone_app(browser: Browser, stack: RunningStack, csp: str) -> Iterator[ShopApp]:
    """The shop on a phone-sized screen."""
    with shop_tab(browser, stack, csp, PHONE) as shop:
        yield shop


@pytest.fixture
def admin_app(app: ShopApp, stack: RunningStack) -> ShopApp:
    """The shop signed in as the admin."""
    app.sign_in(stack.admin_username, stack.admin_password)
    expect(app.account).to_contain_text("Admin")
    return app


@pytest.fixture
def shopper(stack: RunningStack) -> Tokens:
    """A shopper who signed up and confirmed (through the API: the UI flow has its own test)."""
    return stack.new_shopper("web")


@pytest.fixture
def other_shopper(stack: RunningStack) -> Tokens:
    return stack.new_shopper("web-other")


@pytest.fixture
def admin_api(stack: RunningStack) -> ApiClient:
    """The API as the admin, signed in for each test: an access token lives 15 minutes (the
    user pool client's), and a suite on a busy machine runs longer than that."""
    return stack.client_for(stack.sign_in(stack.admin_username, stack.admin_password))


@pytest.fixture
def product(admin_api: ApiClient) -> dict[str, Any]:
    """A product with a name no other test uses."""
    return new_product(admin_api, name=f"Web kettle {uuid.uuid4().hex[:6]}")


@pytest.fixture
def shipped_order(
    stack: RunningStack, shopper: Tokens, admin_api: ApiClient, product: dict[str, Any]
) -> dict[str, Any]:
    """The shopper's order of one `product`, shipped by the admin."""
    return change_status(admin_api, place_order(stack, shopper, product, 1), "shipped")
