"""What the browser walk found on the account pages (issue 12, item 7), each fixed."""

import uuid

from playwright.sync_api import expect

from tests.e2e.stack import RunningStack
from tests.web.shop_app import ShopApp


def test_a_weak_password_says_which_rule_it_fails(app: ShopApp) -> None:
    # When a visitor signs up with a password that lacks only a symbol
    app.open("/sign-up")
    app.fill_sign_up(f"web-weak-{uuid.uuid4().hex[:6]}", password="Abcdefghijk1")
    # Then the rule is named beside the password, not the emulator's wording
    expect(app.field_error("Password")).to_have_text("Add a symbol, such as ! or #.")
    expect(app.page.get_by_text("confirm to the configured")).to_have_count(0)


def test_a_new_code_clears_the_refusal_of_the_old_one(app: ShopApp, stack: RunningStack) -> None:
    # Given a visitor whose code was refused
    username = f"web-again-{uuid.uuid4().hex[:6]}"
    app.open("/sign-up")
    app.sign_up(username)
    code = stack.confirmation_code(username)
    app.page.get_by_label("Confirmation code").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    app.page.get_by_role("button", name="Confirm").click()
    expect(app.page.get_by_text("The code is not right.")).to_be_visible()
    # When they ask for a new code
    app.page.get_by_role("button", name="Send a new code").click()
    # Then only the news of the new code is shown
    expect(app.notice).to_contain_text("A new code is on its way")
    expect(app.page.get_by_text("The code is not right.")).to_have_count(0)
    expect(app.field_error("Confirmation code")).to_be_hidden()
