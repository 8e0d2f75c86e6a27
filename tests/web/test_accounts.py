"""Signing up, confirming the e-mail address and signing in, in the browser."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.stack import PASSWORD, RunningStack, Tokens
from tests.web.shop_app import SPACED_PASSWORD, ShopApp


def open_sign_up(app: ShopApp) -> None:
    """The sign-up page, by the home page's link."""
    app.open("/")
    app.page.get_by_role("link", name="Create an account").click()


def fill_sign_up(app: ShopApp, username: str, email: str | None = None) -> None:
    """Send the sign-up form from the home page (refused or not)."""
    open_sign_up(app)
    app.fill_sign_up(username, email)


def sign_up(app: ShopApp, username: str) -> None:
    """Sign up from the home page, and wait for the confirmation page."""
    open_sign_up(app)
    app.sign_up(username)


def test_a_visitor_signs_up_confirms_with_the_emailed_code_and_signs_in(
    app: ShopApp, stack: RunningStack
) -> None:
    # Given a visitor on the sign-up page
    username = f"web-new-{uuid.uuid4().hex[:6]}"
    # When they sign up, type the code "e-mailed" to them (printed by the local stack)
    sign_up(app, username)
    app.page.get_by_label("Confirmation code").fill(stack.confirmation_code(username))
    app.page.get_by_role("button", name="Confirm").click()
    # and sign in with the username already filled in
    expect(app.heading).to_have_text("Sign in")
    expect(app.notice).to_contain_text("Your account is confirmed")
    expect(app.page.get_by_label("Username")).to_have_value(username)
    app.page.get_by_label("Password", exact=True).fill(PASSWORD)
    app.page.get_by_role("button", name="Sign in", exact=True).click()
    # Then they are on the Products page, signed in as a shopper
    expect(app.heading).to_have_text("Products")
    expect(app.account).to_contain_text(username)
    expect(app.account).to_contain_text("Shopper")


def test_a_wrong_confirmation_code_is_shown_beside_the_code(
    app: ShopApp, stack: RunningStack
) -> None:
    # Given a visitor who signed up
    username = f"web-code-{uuid.uuid4().hex[:6]}"
    sign_up(app, username)
    code = stack.confirmation_code(username)
    # When they type another code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    app.page.get_by_label("Confirmation code").fill(wrong)
    app.page.get_by_role("button", name="Confirm").click()
    # Then the refusal is beside the code field, which is marked invalid
    expect(app.field_error("Confirmation code")).to_contain_text("does not match")
    expect(app.page.get_by_label("Confirmation code")).to_have_attribute("aria-invalid", "true")


def test_a_new_code_can_be_sent_and_confirms_the_account(app: ShopApp, stack: RunningStack) -> None:
    # Given a visitor who signed up and lost the first code
    username = f"web-resend-{uuid.uuid4().hex[:6]}"
    sign_up(app, username)
    stack.confirmation_code(username)
    lines_before = len(stack.output.lines)
    # When they ask for a new code and type it
    app.page.get_by_role("button", name="Send a new code").click()
    expect(app.notice).to_contain_text("A new code is on its way")
    second = stack.confirmation_code(username, start=lines_before)
    app.page.get_by_label("Confirmation code").fill(second)
    app.page.get_by_role("button", name="Confirm").click()
    # Then the account is confirmed
    expect(app.notice).to_contain_text("Your account is confirmed")


@pytest.mark.parametrize("button", ["Confirm", "Send a new code"])
def test_a_confirmed_account_is_said_to_be_confirmed_already(
    app: ShopApp, shopper: Tokens, button: str
) -> None:
    # Given a shopper whose account is confirmed, on the confirmation page
    app.open(f"/confirm?username={shopper.username}")
    # When a code is typed and confirmed, or a new one asked for
    app.page.get_by_label("Confirmation code").fill("123456")
    app.page.get_by_role("button", name=button).click()
    # Then the page says the account is confirmed already, beside the username
    expect(app.field_error("Username")).to_have_text("This account is confirmed already.")
    expect(app.notice).not_to_contain_text("Your account is confirmed")


def test_a_taken_username_is_shown_beside_the_username(app: ShopApp, shopper: Tokens) -> None:
    # Given an existing shopper
    # When a visitor signs up with the same username
    fill_sign_up(app, shopper.username)
    # Then they are told beside the username field and stay on the sign-up page
    expect(app.field_error("Username")).to_contain_text("this one is taken")
    expect(app.heading).to_have_text("Create an account")


def test_a_wrong_password_is_refused_with_a_readable_message(app: ShopApp, shopper: Tokens) -> None:
    # Given a shopper on the sign-in page
    app.open("/sign-in")
    # When they type a wrong password
    app.fill_sign_in(shopper.username, "Not-the-Passw0rd!")
    # Then the form says so and they stay signed out
    expect(app.page.locator(".form-alert")).to_have_text("Incorrect username or password.")
    expect(app.account.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_wrong_password_is_selected_in_its_field_to_be_typed_again(
    app: ShopApp, shopper: Tokens
) -> None:
    # Given a shopper on the sign-in page
    app.open("/sign-in")
    # When they type a wrong password
    app.fill_sign_in(shopper.username, "Not-the-Passw0rd!")
    # Then the focus is in the password field, its content selected, not on the message
    expect(app.page.locator(".form-alert")).to_be_visible()
    password = app.page.get_by_label("Password", exact=True)
    expect(password).to_be_focused()
    selected = password.evaluate(
        "input => input.value.slice(input.selectionStart, input.selectionEnd)"
    )
    assert selected == "Not-the-Passw0rd!"


def test_an_unconfirmed_account_is_sent_to_the_confirmation_page(
    app: ShopApp, stack: RunningStack
) -> None:
    # Given someone who signed up but never confirmed
    username = f"web-unconfirmed-{uuid.uuid4().hex[:6]}"
    stack.sign_up(username)
    # When they sign in
    app.open("/sign-in")
    app.fill_sign_in(username, PASSWORD)
    # Then they are asked for the code, their username filled in
    expect(app.heading).to_have_text("Confirm your e-mail address")
    expect(app.page.get_by_label("Username")).to_have_value(username)


def test_an_account_created_by_an_admin_chooses_its_password_at_first_sign_in(
    app: ShopApp, stack: RunningStack
) -> None:
    # Given a user an administrator created with a temporary password
    username = f"web-invited-{uuid.uuid4().hex[:6]}"
    temporary = "Temp0rary-Passw0rd!"
    stack.cognito_admin.admin_create_user(
        UserPoolId=stack.config["userPoolId"],
        Username=username,
        TemporaryPassword=temporary,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
    )
    # When they sign in with it and choose their own password
    app.open("/sign-in")
    app.fill_sign_in(username, temporary)
    app.page.get_by_label("New password").fill(PASSWORD)
    app.page.get_by_role("button", name="Set password and sign in").click()
    # Then they are signed in, and the new password is the one that works from now on
    expect(app.account).to_contain_text(username)
    assert stack.sign_in(username, PASSWORD).access_token


def test_a_malformed_email_is_shown_beside_the_field_before_anything_is_sent(
    app: ShopApp, stack: RunningStack
) -> None:
    # Given a visitor signing up with an e-mail that is not an address
    username = f"web-mail-{uuid.uuid4().hex[:6]}"
    lines_before = len(stack.output.lines)
    # When they submit the form
    fill_sign_up(app, username, email="name@host")
    # Then the e-mail field says why, they stay on the page, and no code was sent
    expect(app.field_error("E-mail address")).to_contain_text("name@example.com")
    expect(app.heading).to_have_text("Create an account")
    assert not any(username in line for line in stack.output.lines[lines_before:])


def test_a_password_that_begins_or_ends_with_a_space_is_refused_not_trimmed(
    app: ShopApp,
) -> None:
    # Given a visitor signing up with a password typed between spaces (Cognito refuses it)
    open_sign_up(app)
    # When they submit the form
    app.fill_sign_up(f"web-space-{uuid.uuid4().hex[:6]}", password=SPACED_PASSWORD)
    # Then the password field says why, and they stay on the page
    expect(app.field_error("Password")).to_have_text("Password must not begin or end with a space.")
    expect(app.heading).to_have_text("Create an account")
