"""A forgotten password reset with the e-mailed code, and a password changed on the
Security page, in the browser against Cognito's public API (the local stack prints the
reset code as Cognito would e-mail it)."""

from playwright.sync_api import expect

from tests.e2e.stack import PASSWORD, RunningStack, Tokens
from tests.web.shop_app import SPACED_PASSWORD, ShopApp

NEW_PASSWORD = "Fresh-Passw0rd!"


def test_a_forgotten_password_is_reset_with_the_emailed_code(
    app: ShopApp, stack: RunningStack, shopper: Tokens
) -> None:
    # Given a shopper who forgot their password, on the sign-in page
    app.open("/sign-in")
    app.page.get_by_role("link", name="Forgot password?").click()
    # When they ask for a code, and type it with a new password
    app.page.get_by_label("Username").fill(shopper.username)
    app.page.get_by_role("button", name="E-mail me a code").click()
    expect(app.heading).to_have_text("Set a new password")
    app.page.get_by_label("Code from the e-mail").fill(stack.password_reset_code(shopper.username))
    app.page.get_by_label("New password").fill(NEW_PASSWORD)
    app.page.get_by_role("button", name="Set new password").click()
    # Then the sign-in page says so, and the new password signs them in
    expect(app.notice).to_have_text("Your password is changed: sign in with the new one.")
    expect(app.page.get_by_label("Username")).to_have_value(shopper.username)
    app.page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    app.page.get_by_role("button", name="Sign in", exact=True).click()
    expect(app.account).to_contain_text(shopper.username)


def test_forgot_password_takes_the_username_typed_along(app: ShopApp) -> None:
    # Given a visitor who typed their username on the sign-in page
    app.open("/sign-in")
    app.page.get_by_label("Username").fill("alice")
    # When they follow "Forgot password?"
    app.page.get_by_role("link", name="Forgot password?").click()
    # Then the username is typed there already
    expect(app.heading).to_have_text("Forgot your password?")
    expect(app.page.get_by_label("Username")).to_have_value("alice")


def test_a_link_cannot_put_its_own_words_in_the_reset_page(app: ShopApp) -> None:
    # When a visitor opens a crafted link to the reset page
    app.open("/reset-password?username=alice&sent=evil.example%20-%20call%20us")
    # Then the page says nothing of where a code went, let alone the link's words
    expect(app.notice).to_contain_text("a code is on its way to its e-mail address")
    expect(app.notice).not_to_contain_text("evil.example")


def test_the_security_page_changes_the_password(app: ShopApp, shopper: Tokens) -> None:
    # Given a signed-in shopper on the Security page
    app.sign_in(shopper.username)
    app.open("/security")
    panel = app.page.get_by_role("region", name="Password")
    # When they type a wrong current password
    panel.get_by_label("Current password").fill("Not-the-passw0rd!")
    panel.get_by_label("New password").fill(NEW_PASSWORD)
    panel.get_by_role("button", name="Change password").click()
    # Then they are told beside it
    expect(app.field_error("Current password", panel)).to_have_text(
        "Type the password you sign in with now."
    )
    # and with the right one the password is changed: the new one signs in
    panel.get_by_label("Current password").fill(PASSWORD)
    panel.get_by_label("New password").fill(NEW_PASSWORD)
    panel.get_by_role("button", name="Change password").click()
    expect(panel.get_by_role("status")).to_have_text(
        "Your password is changed: sign in with the new one from now on."
    )
    app.sign_out()
    app.sign_in(shopper.username, NEW_PASSWORD)


def test_a_reset_to_a_password_between_spaces_is_refused_not_trimmed(app: ShopApp) -> None:
    # Given a user on the page that sets a new password with the e-mailed code
    app.open("/reset-password?username=alice&sent=1")
    # When they type a new password between spaces
    app.page.get_by_label("Code from the e-mail").fill("123456")
    app.page.get_by_label("New password").fill(SPACED_PASSWORD)
    app.page.get_by_role("button", name="Set new password").click()
    # Then the new password field says why
    expect(app.field_error("New password")).to_have_text(
        "New password must not begin or end with a space."
    )


def test_a_change_to_a_password_between_spaces_is_refused_not_trimmed(
    app: ShopApp, shopper: Tokens
) -> None:
    # Given a signed-in shopper on the Security page
    app.sign_in(shopper.username)
    app.open("/security")
    panel = app.page.get_by_role("region", name="Password")
    # When they change their password to one between spaces
    panel.get_by_label("Current password").fill(PASSWORD)
    panel.get_by_label("New password").fill(SPACED_PASSWORD)
    panel.get_by_role("button", name="Change password").click()
    # Then the new password field says why
    expect(app.field_error("New password", panel)).to_have_text(
        "New password must not begin or end with a space."
    )
