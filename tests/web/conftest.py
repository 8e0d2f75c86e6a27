"""Browser tests: Debian's Chromium, driven by Playwright, against one local stack per session.

Every page is served with the Content-Security-Policy that CloudFront's response-headers
policy sets (read from bootstrap/template.yaml), and every test fails if the page reported a
CSP violation or an uncaught error.
"""

import os
import re
import uuid
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Error, Playwright, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.stack import ApiClient, RunningStack, Tokens, local_stack
from tests.web.data import change_status, new_product, place_order
from tests.web.shop_app import DESKTOP, PHONE, ShopApp, content_security_policy, shop_tab

CHROMIUM = Path("/usr/bin/chromium")
STACK_LOG_START = pytest.StashKey[int]()
BROWSER_TESTS = Path(__file__).parent
# A browser test whose page never got to where the test acts (a Playwright action's timeout,
# never an assertion's) runs once more: two cores shared by Chromium, the stack and pytest
# are slow at times, and Playwright Test retries on CI by default too. Each one is listed at
# the end of the run with what its tabs showed (`pytest_terminal_summary`).
RERUN_AFTER_TIMEOUT = pytest.mark.flaky(reruns=1, only_rerun=[PlaywrightTimeoutError])
_run_again: list[pytest.TestReport] = []
# An access log line of a 2xx or 3xx answer.
SUCCESS_LOG_LINE = re.compile(r'"status":"[23]\d\d"')
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


@pytest.fixture(autouse=True)
def stack_log_start(request: pytest.FixtureRequest) -> None:
    """Where the stack's log stood when the test began (a failed test's report shows the rest)."""
    if "stack" in request.fixturenames:
        stack: RunningStack = request.getfixturevalue("stack")
        request.node.stash[STACK_LOG_START] = len(stack.output.lines)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed test's report says what each of its tabs showed, and what the stack logged
    meanwhile that was not a success: a browser test that fails once in a CI run is then
    explained by its report."""
    report: pytest.TestReport = yield
    if report.when == "call" and report.failed:
        funcargs = getattr(item, "funcargs", {})
        tabs = {id(value): name for name, value in funcargs.items() if isinstance(value, ShopApp)}
        for name, value in funcargs.items():
            if tabs.get(id(value)) == name:
                try:
                    report.sections.append((f"tab {name}", value.describe()))
                except Error as exc:  # a closed tab or a crashed browser says so
                    report.sections.append((f"tab {name}", f"could not be read: {exc}"))
        stack = funcargs.get("stack")
        if isinstance(stack, RunningStack):
            logged = stack.output.lines[item.stash.get(STACK_LOG_START, 0) :]
            unusual = [line for line in logged if not SUCCESS_LOG_LINE.search(line)]
            report.sections.append(("stack log (successes left out)", "\n".join(unusual[-60:])))
    return report


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(RERUN_AFTER_TIMEOUT)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # pytest-rerunfailures marks an attempt it runs again with an outcome pytest does not type.
    if str(report.outcome) == "rerun":
        _run_again.append(report)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _run_again:
        return
    terminalreporter.section("browser tests run again after a timeout")
    for report in _run_again:
        terminalreporter.line(f"{report.nodeid} ({report.when}):")
        crash = getattr(report.longrepr, "reprcrash", None)
        terminalreporter.line(crash.message if crash else report.longreprtext)
        for title, content in report.sections:
            if title.startswith(("tab ", "stack log")):
                terminalreporter.line(f"--- {title}")
                terminalreporter.line(content)
