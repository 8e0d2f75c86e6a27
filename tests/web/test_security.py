"""Account security in the browser: signing out revokes the session at Cognito, signing out
everywhere ends the other browsers' sessions, two-step sign-in with an authenticator app
(its codes made here with pyotp), and the admin's reminder to turn it on."""

import json
import subprocess
import time
import uuid
from collections.abc import Callable

import pyotp
import pytest
import requests
from botocore.exceptions import ClientError
from playwright.sync_api import Browser, Response, expect

from tests.e2e.stack import PASSWORD, RunningStack, Tokens
from tests.web.shop_app import DESKTOP, ShopApp, shop_tab
from web_client.vendor import VENDOR_FILES, vendor_files

QR_LABEL = "QR code of your authenticator secret"
STEP_SECONDS = 30
QR_LIBRARY = "assets/vendor/qrcode.mjs"
# Time for the page to act on an answer it received (before checking it did not show something).
ANSWER_HANDLED_MS = 500


def refresh_refused(stack: RunningStack, refresh_token: str) -> bool:
    try:
        stack.cognito.initiate_auth(
            ClientId=stack.config["userPoolClientId"],
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    except ClientError as error:
        return bool(error.response["Error"]["Code"] == "NotAuthorizedException")
    return False


def asks_cognito(action: str) -> Callable[[Response], bool]:
    def answers(response: Response) -> bool:
        return response.request.headers.get("x-amz-target", "").endswith(f".{action}")

    return answers


def open_security(app: ShopApp) -> None:
    app.account.get_by_role("link", name="Security").click()
    expect(app.heading).to_have_text("Account security")


def start_mfa_setup(app: ShopApp) -> str:
    """Asks for a secret on the Security page; returns the secret the page shows."""
    open_security(app)
    app.page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(app.page.get_by_role("img", name=QR_LABEL)).to_be_visible()
    secret = app.page.locator("[data-secret]").get_attribute("data-secret")
    assert secret
    return secret


def turn_on_mfa(app: ShopApp) -> pyotp.TOTP:
    authenticator = pyotp.TOTP(start_mfa_setup(app))
    app.page.get_by_label("Code from the app").fill(authenticator.now())
    app.page.get_by_role("button", name="Turn on", exact=True).click()
    expect(app.page.locator("[data-mfa-status=on]")).to_be_visible()
    return authenticator


def next_code(authenticator: pyotp.TOTP) -> str:
    """The code of the next 30-second step: the one used to turn MFA on works only once."""
    return authenticator.at(time.time() + STEP_SECONDS)


def new_admin(stack: RunningStack) -> str:
    """An admin of their own (MFA turned on for the stack's admin would change every test)."""
    username = f"web-admin-{uuid.uuid4().hex[:6]}"
    pool = stack.config["userPoolId"]
    stack.cognito_admin.admin_create_user(
        UserPoolId=pool,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
    )
    stack.cognito_admin.admin_set_user_password(
        UserPoolId=pool, Username=username, Password=PASSWORD, Permanent=True
    )
    stack.cognito_admin.admin_add_user_to_group(
        UserPoolId=pool, Username=username, GroupName="admin"
    )
    return username


# ---------------------------------------------------------------- signing out
def test_signing_out_revokes_the_session_at_cognito(
    app: ShopApp, stack: RunningStack, shopper: Tokens
) -> None:
    # Given a signed-in shopper whose refresh token works
    app.sign_in(shopper.username)
    refresh_token = app.stored_session()["refreshToken"]
    assert not refresh_refused(stack, refresh_token)

    # When they sign out
    with app.page.expect_response(asks_cognito("RevokeToken")):
        app.sign_out()

    # Then a copy of that refresh token gets no new tokens
    assert refresh_refused(stack, refresh_token)


def test_a_sign_out_cognito_did_not_hear_of_is_said_so(app: ShopApp, shopper: Tokens) -> None:
    # Given a signed-in shopper whose browser cannot reach Cognito any more
    app.sign_in(shopper.username)
    app.page.route("**/cognito/**", lambda route: route.abort())

    # When they sign out
    app.account.get_by_role("button", name="Sign out").click()

    # Then this browser forgot them, and they are told the session may live on elsewhere
    expect(app.heading).to_have_text("Sign in")
    expect(app.notice).to_contain_text("could not be reached")
    assert app.stored_session() is None


def test_signing_out_everywhere_ends_the_other_browsers_sessions(
    browser: Browser, stack: RunningStack, csp: str, shopper: Tokens
) -> None:
    # Given a shopper signed in on two browsers
    with (
        shop_tab(browser, stack, csp, DESKTOP) as laptop,
        shop_tab(browser, stack, csp, DESKTOP) as phone,
    ):
        laptop.sign_in(shopper.username)
        phone.sign_in(shopper.username)
        phones_refresh_token = phone.stored_session()["refreshToken"]

        # When they sign out everywhere from one of them
        open_security(laptop)
        laptop.page.get_by_role("button", name="Sign out everywhere").click()
        laptop.confirm("Sign out everywhere")

        # Then that one is signed out and says so, and the other's session is over
        expect(laptop.heading).to_have_text("Sign in")
        expect(laptop.notice).to_contain_text("signed out everywhere")
        # (the other's access token lives on until it expires: the page says how long)
        expect(laptop.notice).to_contain_text("signed out within 16 minutes")
        assert refresh_refused(stack, phones_refresh_token)


def test_signing_out_everywhere_is_asked_first_and_can_be_kept(
    app: ShopApp, shopper: Tokens
) -> None:
    # Given a signed-in shopper on the Security page
    app.sign_in(shopper.username)
    open_security(app)
    # When they press Sign out everywhere, then keep their sessions
    app.page.get_by_role("button", name="Sign out everywhere").click()
    app.confirm("Keep my sessions")
    # Then they are still signed in here, on the same page
    expect(app.heading).to_have_text("Account security")
    assert app.stored_session() is not None


# ---------------------------------------------------------------- two-step sign-in
def test_a_user_turns_on_two_step_sign_in_and_signs_in_with_the_apps_code(
    app: ShopApp, shopper: Tokens
) -> None:
    # Given a shopper who turned on two-step sign-in with their authenticator app
    app.sign_in(shopper.username)
    authenticator = turn_on_mfa(app)
    expect(app.notice).to_contain_text("Two-step sign-in is on")
    app.sign_out()

    # When they sign in with their password
    app.open("/sign-in")
    app.fill_sign_in(shopper.username, PASSWORD)

    # Then the app's code is asked for, and it signs them in
    app.page.get_by_label("Authentication code").fill(next_code(authenticator))
    app.page.get_by_role("button", name="Verify and sign in").click()
    expect(app.account).to_contain_text(shopper.username)


def test_a_wrong_code_at_sign_in_is_shown_beside_the_code(app: ShopApp, shopper: Tokens) -> None:
    # Given a shopper with two-step sign-in on, asked for the code
    app.sign_in(shopper.username)
    authenticator = turn_on_mfa(app)
    app.sign_out()
    app.open("/sign-in")
    app.fill_sign_in(shopper.username, PASSWORD)

    # When they type a code that is not the app's
    app.page.get_by_label("Authentication code").fill(
        authenticator.at(time.time() - 20 * STEP_SECONDS)
    )
    app.page.get_by_role("button", name="Verify and sign in").click()

    # Then the code is refused, beside the field, and they are not signed in
    expect(app.field_error("Authentication code")).to_contain_text("does not match")
    expect(app.account.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_wrong_code_does_not_turn_two_step_sign_in_on(app: ShopApp, shopper: Tokens) -> None:
    # Given a shopper shown a new secret
    app.sign_in(shopper.username)
    secret = start_mfa_setup(app)

    # When they confirm it with a wrong code
    app.page.get_by_label("Code from the app").fill(
        pyotp.TOTP(secret).at(time.time() - 20 * STEP_SECONDS)
    )
    app.page.get_by_role("button", name="Turn on", exact=True).click()

    # Then it is refused and stays off after a reload
    expect(app.field_error("Code from the app")).to_contain_text("does not match")
    app.page.reload()
    expect(app.page.locator("[data-mfa-status=off]")).to_be_visible()


def test_the_qr_code_is_drawn_here_by_the_installed_library_from_the_secret(
    app: ShopApp, stack: RunningStack, shopper: Tokens
) -> None:
    # Given a shopper
    app.sign_in(shopper.username)
    requested: list[str] = []
    app.page.on("request", lambda request: requested.append(request.url))

    # When they ask for a secret
    secret = start_mfa_setup(app)

    # Then the QR library came from the shop's own site, and the code drawn is the one it
    # makes of the authenticator address with this user and secret
    assert [url for url in requested if "qrcode" in url] == [f"{stack.base_url}{QR_LIBRARY}"]
    drawn = app.page.get_by_role("img", name=QR_LABEL)
    address = f"otpauth://totp/Shop%3A{shopper.username}?secret={secret}&issuer=Shop"
    assert drawn.locator("path").get_attribute("d") == expected_modules_path(address)


def expected_modules_path(text: str) -> str:
    """The SVG path of `text`'s QR modules as the installed library lays them out (Node)."""
    script = f"""
        import qrcode from {json.dumps(str(vendor_files()[QR_LIBRARY]))};
        const code = qrcode(0, "M");
        code.addData({json.dumps(text)});
        code.make();
        const quiet = 4, squares = [];
        for (let row = 0; row < code.getModuleCount(); row += 1)
          for (let column = 0; column < code.getModuleCount(); column += 1)
            if (code.isDark(row, column))
              squares.push(`M${{column + quiet}} ${{row + quiet}}h1v1h-1z`);
        process.stdout.write(squares.join(""));
    """
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout


# ---------------------------------------------------------------- the admin's reminder
def test_the_admin_is_asked_on_every_page_until_two_step_sign_in_is_on(
    app: ShopApp, stack: RunningStack
) -> None:
    # Given an admin without two-step sign-in
    username = new_admin(stack)
    app.sign_in(username)
    reminder = app.page.locator("[data-mfa-reminder]")

    # When they move around the shop, then turn it on from the reminder
    for page in ("Home", "Products", "Orders"):
        app.go_to(page)
        expect(reminder).to_be_visible()
    reminder.get_by_role("link", name="Turn on two-step sign-in").click()
    turn_on_mfa(app)

    # Then the reminder is gone, on every page and after a reload
    expect(reminder).to_be_hidden()
    app.go_to("Orders")
    with app.page.expect_response(asks_cognito("GetUser")):
        app.page.reload()
    expect(app.heading).to_have_text("All orders")
    app.page.wait_for_timeout(ANSWER_HANDLED_MS)
    expect(reminder).to_be_hidden()


def test_a_shopper_is_not_asked_to_turn_on_two_step_sign_in(app: ShopApp, shopper: Tokens) -> None:
    # Given a shopper without two-step sign-in
    # When they sign in
    app.sign_in(shopper.username)
    app.go_to("Orders")

    # Then no reminder is shown (it is offered on their Security page)
    expect(app.page.locator("[data-mfa-reminder]")).to_be_hidden()


@pytest.mark.parametrize("key", sorted(VENDOR_FILES))
def test_the_site_serves_each_installed_package_it_loads(stack: RunningStack, key: str) -> None:
    response = requests.get(f"{stack.base_url}{key}", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        ("text/javascript", "application/javascript")
    )
    assert response.content == vendor_files()[key].read_bytes()
