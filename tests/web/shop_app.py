"""The shop as a user sees it in the browser: what the tests click, type and read."""

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import requests
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    ElementHandle,
    Locator,
    Page,
    Response,
    Route,
    ViewportSize,
    expect,
)

from stacks.templates import BOOTSTRAP_TEMPLATE, REPO_ROOT, load_template, parameter_defaults
from tests.e2e.stack import PASSWORD, RunningStack

DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
# The README shows the screenshots in docs/; a test run writes them there only when asked
# (`make screenshots`), so that `make test` leaves the work tree as it found it.
SCREENSHOTS = (
    REPO_ROOT / "docs" / "screenshots"
    if os.environ.get("SHOP_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "shop-screenshots"
)
# The request that places an order (from the cart, or the Products page's dialog).
ORDER_REQUEST = re.compile(r".*/order$")
SESSION_KEY = "shop.session"
# The multiplication sign the app writes between a quantity and a product name.
TIMES = "\u00d7"
# The delivery address the tests type at checkout, by the fields' labels (and the country's code).
ADDRESS = {
    "Full name": "Alice Martin",
    "Address": "12 rue de la Paix",
    "Postcode": "75002",
    "City": "Paris",
}
ADDRESS_COUNTRY = "FR"
# A password Cognito refuses (it begins and ends with a space) and whose trimmed text its
# policy takes: a page that trimmed it would set another password than the one typed.
SPACED_PASSWORD = "  Leading-Spac3 "
# A function's first call starts its worker process: on a busy machine, seconds.
COLD_START_MS = 30_000


def content_security_policy(stack: RunningStack) -> str:
    """The CSP that CloudFront's response-headers policy adds to every page, as the local
    stack deploys the bootstrap template: its parameters' defaults (no ApiOrigin: the API is
    on the site's own origin, 'self'), and its resources' attributes as the stack made them
    (read from the header it serves, which must otherwise be the template's policy)."""
    template = load_template(BOOTSTRAP_TEMPLATE)
    headers = template["Resources"]["SecurityHeadersPolicy"]["Properties"]
    config = headers["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    value = str(config["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"])
    value = value.replace("${AWS::Region}", stack.config["region"])
    for name, default in parameter_defaults(template).items():
        value = value.replace("${" + name + "}", str(default))
    # Each `${Resource.Attribute}` left: any one source.
    literal_parts = re.split(r"\$\{[^}]+\}", " ".join(value.split()))
    pattern = r"[^\s;]+".join(re.escape(part) for part in literal_parts)
    served = requests.get(stack.base_url, timeout=10).headers["Content-Security-Policy"]
    assert re.fullmatch(pattern, served), f"the local stack serves {served}, not {value}"
    return served


# What the paged table shows, read at one moment: "busy" (loading), "found" (a row holds the
# text, as Playwright's has_text matches it), "next" (another page follows) or "none".
_TABLE_HAS_ROW = """(text) => {
  const table = document.querySelector(".paged-table");
  if (!table || table.hasAttribute("aria-busy")) return "busy";
  const wanted = text.toLowerCase();
  const rows = [...table.querySelectorAll("tbody tr")];
  if (rows.some((row) => row.textContent.toLowerCase().includes(wanted))) return "found";
  const next = [...table.querySelectorAll(".pager button")].find(
    (button) => button.textContent === "Next page",
  );
  const pagerShown = next && !next.closest("[hidden]");
  return pagerShown && !next.disabled ? "next" : "none";
}"""


class ShopApp:
    """One browser context on the local stack's web client."""

    def __init__(self, context: BrowserContext, stack: RunningStack, csp: str) -> None:
        self.context = context
        self.stack = stack
        self.csp = csp
        self.console: list[str] = []
        self.page_errors: list[str] = []
        context.route("**/*", self._serve_with_csp)
        self.page: Page = context.new_page()
        self.page.on("console", self._record_console)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        # What a failed test's report shows (see `describe`): the requests that went wrong.
        self.refusals: list[str] = []
        self.page.on("response", self._record_refusal)
        self.page.on(
            "requestfailed",
            lambda request: self.refusals.append(
                f"failed {request.method} {request.url}: {request.failure}"
            ),
        )

    # ------------------------------------------------------------ browser plumbing
    def _serve_with_csp(self, route: Route) -> None:
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch()
        route.fulfill(
            response=response,
            headers={**response.headers, "content-security-policy": self.csp},
        )

    def _record_console(self, message: ConsoleMessage) -> None:
        self.console.append(f"{message.type}: {message.text}")

    def _record_refusal(self, response: Response) -> None:
        if response.status >= 400:
            self.refusals.append(f"{response.status} {response.request.method} {response.url}")

    def describe(self) -> str:
        """Where the tab is and what it shows, read without waiting: a failed test's report."""
        shown = self.page.evaluate(
            """() => ({
                url: location.href,
                heading: document.querySelector("h1")?.innerText ?? null,
                notices: [...document.querySelectorAll(".notice:not([hidden])")]
                    .map((notice) => notice.innerText),
                account: document.querySelector("#account")?.innerText ?? null,
            })"""
        )
        return "\n".join(
            [f"{name}: {value}" for name, value in shown.items()]
            + ["requests refused or failed:", *self.refusals[-20:]]
            + ["console:", *self.console[-20:], "page errors:", *self.page_errors]
        )

    def csp_violations(self) -> list[str]:
        return [line for line in self.console if "Content Security Policy" in line]

    def problems(self) -> list[str]:
        """CSP violations and uncaught errors the page reported."""
        return self.csp_violations() + self.page_errors

    def close(self) -> None:
        self.context.close()

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    # ------------------------------------------------------------ navigation
    def open(self, route: str = "/") -> Response | None:
        """Go to the app's `route` as a typed address, and wait until its page is shown: on
        the app already loaded only the hash changes, and the page before is still there to
        be read until the hashchange renders the new one. The same address again changes
        nothing: it is loaded afresh."""
        address = f"{self.stack.base_url}#{route}"
        if self.page.url == address:
            return self.page.reload()
        if not self.page.url.startswith(self.stack.base_url):
            return self.page.goto(address)
        with self.new_page_shown():
            return self.page.goto(address)

    def shown_page(self) -> ElementHandle:
        """The page (view) shown now: once it is hidden, the app has rendered another one."""
        return self.page.locator("#main > :last-child").element_handle()

    @contextmanager
    def new_page_shown(self) -> Iterator[None]:
        """Wait, after what the block does, until the app has rendered a page in place of the
        one shown before it: a page follows a link, a sign-in or a sign-out on the hashchange
        after it, and until then the page before (its table among others) is still there."""
        shown = self.shown_page()
        yield
        shown.wait_for_element_state("hidden")

    @contextmanager
    def requests_held(self, url: str) -> Iterator[None]:
        """Hold every request to `url` (a glob) until the block ends, so that the test sees the
        page as it is while it waits for an answer (for seconds on a cold start)."""
        held: list[Route] = []
        self.page.route(url, lambda route: held.append(route))
        try:
            yield
        finally:
            for route in held:
                route.continue_()
            self.page.unroute(url)

    def go_to(self, link: str) -> None:
        """Follow a link of the main navigation (Home, Products, Orders), and wait until the
        page it leads to is shown (or a sign-in, if the page needs one)."""
        with self.new_page_shown():
            self.page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()

    @property
    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    @property
    def account(self) -> Locator:
        return self.page.locator("#account")

    @property
    def notice(self) -> Locator:
        return self.page.locator(".notice:not([hidden])")

    @property
    def dialog(self) -> Locator:
        return self.page.get_by_role("dialog")

    # ------------------------------------------------------------ accounts
    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        """Sign in from the sign-in page and wait until the app has moved on."""
        if "#/sign-in" not in self.page.url:
            self.open("/sign-in")
        self.page.get_by_label("Username").wait_for()
        # The header changes as the session starts, the page on the hashchange after it.
        with self.new_page_shown():
            self.fill_sign_in(username, password)
            expect(self.account).to_contain_text(username)

    def fill_sign_in(self, username: str, password: str) -> None:
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.page.get_by_role("button", name="Sign in", exact=True).click()

    def fill_sign_up(
        self, username: str, email: str | None = None, password: str = PASSWORD
    ) -> None:
        """Send the sign-up form of the page shown (refused or not)."""
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("E-mail address").fill(email or f"{username}@example.com")
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Create account").click()

    def sign_up(self, username: str) -> None:
        """Sign up on the sign-up page shown, and wait for the confirmation page: the code is
        printed once the sign-up is answered, which that page follows (read before, it may
        not be printed yet)."""
        self.fill_sign_up(username)
        expect(self.heading).to_have_text("Confirm your e-mail address", timeout=COLD_START_MS)

    def sign_out(self) -> None:
        """Sign out, and wait until the app has moved on to the home page."""
        with self.new_page_shown():
            self.account.get_by_role("button", name="Sign out").click()
            expect(self.account.get_by_role("link", name="Sign in")).to_be_visible()

    def stored_session(self) -> dict[str, str]:
        session: dict[str, str] = self.page.evaluate(
            "key => JSON.parse(sessionStorage.getItem(key))", SESSION_KEY
        )
        return session

    def replace_stored_tokens(self, **tokens: str) -> None:
        """Overwrite tokens in session storage (as if they had expired or been revoked)."""
        self.page.evaluate(
            """([key, tokens]) => {
                const session = JSON.parse(sessionStorage.getItem(key));
                sessionStorage.setItem(key, JSON.stringify({ ...session, ...tokens }));
            }""",
            [SESSION_KEY, tokens],
        )

    # ------------------------------------------------------------ tables
    def table_loaded(self) -> Locator:
        table = self.page.locator(".paged-table:not([aria-busy])")
        table.wait_for()
        return table

    def rows(self) -> Locator:
        return self.table_loaded().locator("tbody tr")

    def find_row(self, text: str) -> Locator:
        """The table row containing `text`, paging forward from the current page until found.

        The table is read in one step in the page (busy, the row there, or the pager): read
        piece by piece, a reload starting in between (an action's answer arriving) showed a
        busy table with no row and a disabled pager, taken for "on no page"."""
        while True:
            self.table_loaded()
            seen = self.page.evaluate(_TABLE_HAS_ROW, text)
            if seen == "found":
                return self.rows().filter(has_text=text)
            if seen == "none":
                raise AssertionError(f"no row with {text!r} on any page")
            if seen == "next":
                self.page.get_by_role("button", name="Next page").click()

    def text_lines(self, element: Locator) -> int:
        """How many lines the text of `element` takes on screen."""
        lines: int = element.evaluate(
            """(element) => {
                const range = document.createRange();
                range.selectNodeContents(element);
                const tops = [...range.getClientRects()].map((rect) => Math.round(rect.top));
                return new Set(tops).size;
            }"""
        )
        return lines

    def row_buttons(self, row: Locator) -> list[str]:
        return [text.strip() for text in row.get_by_role("button").all_inner_texts()]

    def search(self, text: str) -> None:
        """Type `text` in the list's Search box, and wait until the table shows the search:
        it starts a moment after the last key, as the address takes it, and until then the
        table shows the list before it, not busy."""
        self.page.get_by_label("Search").fill(text)
        expect(self.page).to_have_url(re.compile(rf"[?&]q={re.escape(quote_plus(text))}(&|$)"))
        self.table_loaded()

    def filter_orders(self, status: str) -> None:
        self.page.get_by_label("Status").select_option(label=status)
        self.table_loaded()

    # ------------------------------------------------------------ forms
    def field(self, label: str, scope: Locator | None = None) -> Locator:
        where = scope or self.page.locator("body")
        return where.locator(".field").filter(has=self.page.get_by_label(label, exact=True))

    def field_error(self, label: str, scope: Locator | None = None) -> Locator:
        return self.field(label, scope).locator(".field__error")

    # ------------------------------------------------------------ shopping
    def fill_address(self, scope: Locator | None = None) -> None:
        """Type the delivery address (ADDRESS) in the checkout form of `scope` (the page)."""
        where = scope or self.page.locator("main")
        for label, value in ADDRESS.items():
            where.get_by_label(label, exact=True).fill(value)
        where.get_by_label("Country").select_option(ADDRESS_COUNTRY)

    def order(self, product_name: str, quantity: int) -> Response:
        """Order from the Products page, wait for the confirmation, and return the shop's
        answer to the order's request."""
        self.find_row(product_name).get_by_role("button", name="Order").click()
        self.fill_address(self.dialog)
        self.dialog.get_by_label("Quantity").fill(str(quantity))
        answer = self.submit_dialog("Place order", ORDER_REQUEST)
        expect(self.notice).to_contain_text(f"Order placed: {quantity} {TIMES} {product_name}")
        return answer

    def add_to_cart(self, product: dict[str, Any], quantity: int = 1) -> None:
        """Put `quantity` of `product` in the cart from its page."""
        self.open(f"/product?id={product['product_id']}")
        expect(self.heading).to_have_text(product["name"], timeout=COLD_START_MS)
        self.page.get_by_label("Quantity").fill(str(quantity))
        self.page.get_by_role("button", name="Add to cart").click()
        expect(self.notice).to_contain_text("to your cart")

    def cart_line(self, product: dict[str, Any]) -> Locator:
        """The cart's row of `product` (or an order page's line of it)."""
        return self.page.locator(f'tr[data-product-id="{product["product_id"]}"]')

    def line_error(self, product: dict[str, Any]) -> Locator:
        """What the cart says is wrong with its line of `product`."""
        return self.cart_line(product).locator("[data-line-error]")

    def place_cart_order(self) -> None:
        """Check the cart out (signed in) to ADDRESS and wait for the answer: its page, or a
        refusal."""
        self.fill_address()
        with self.page.expect_response(ORDER_REQUEST):
            self.page.get_by_role("button", name="Place order").click()

    def wait_for_order_page(self) -> None:
        """Wait until an order's page shows the order: its heading (and the notice of an order
        just placed) are there before the order is loaded, whose first load may start the
        function (a cold start)."""
        expect(self.page.locator(".order-facts")).to_be_visible(timeout=COLD_START_MS)

    def order_row(self, order: dict[str, Any]) -> Locator:
        return self.find_row(order["order_id"][:8])

    def click_in_row(self, row: Locator, button: str) -> None:
        row.get_by_role("button", name=button).click()

    def submit_dialog(self, button: str, request: re.Pattern[str]) -> Response:
        """Press the dialog's `button`, and wait until the shop answered the `request` it
        sends, the dialog closed and the table behind it was shown again: the message about
        an action before this one (its notice) is still there until then."""
        with self.page.expect_response(request) as answer:
            self.dialog.get_by_role("button", name=button, exact=True).click()
        expect(self.dialog).to_have_count(0)
        # The dialog closes, the notice shows the outcome and the table starts reloading at
        # once; focus moves to the notice once the table shows its page again.
        self.table_loaded()
        return answer.value

    def confirm(self, button: str) -> None:
        self.dialog.get_by_role("button", name=button, exact=True).click()
        expect(self.dialog).to_have_count(0)


def status_of(row: Locator) -> str:
    text = row.locator(".badge").inner_text()
    return re.sub(r"\s+", " ", text).strip()


@contextmanager
def shop_tab(
    browser: Browser, stack: RunningStack, csp: str, viewport: ViewportSize
) -> Iterator[ShopApp]:
    """A fresh browser context on the shop; it must report no CSP violation or uncaught error."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(15_000)
    shop = ShopApp(context, stack, csp)
    yield shop
    problems = shop.problems()
    shop.close()
    assert not problems, f"the page reported: {problems}"
