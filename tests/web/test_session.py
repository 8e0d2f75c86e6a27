"""The session in the browser: where tokens live, refresh, expiry and signing out."""

from playwright.sync_api import expect

from tests.e2e.stack import Tokens
from tests.web.shop_app import ShopApp

# A token whose signature the API cannot verify: what it sees of a forged or stale token.
FORGED_SIGNATURE = "Zm9yZ2Vk"


def forged(token: str) -> str:
    header, payload, _ = token.split(".")
    return f"{header}.{payload}.{FORGED_SIGNATURE}"


def test_tokens_are_kept_in_session_storage_and_never_in_the_address(
    app: ShopApp, shopper: Tokens
) -> None:
    # Given a shopper
    # When they sign in and move around the shop
    app.sign_in(shopper.username)
    app.go_to("Orders")
    app.go_to("Products")
    stored = app.stored_session()
    # Then this tab's session storage holds the three tokens and no address ever showed one
    assert set(stored) == {"idToken", "accessToken", "refreshToken"}
    assert all(token not in app.page.url for token in stored.values())


def test_a_token_the_api_refuses_is_refreshed_without_signing_in_again(
    app: ShopApp, shopper: Tokens
) -> None:
    # Given a shopper on their Orders page whose access token the API no longer accepts
    app.sign_in(shopper.username)
    app.go_to("Orders")
    refused = forged(app.stored_session()["accessToken"])
    app.replace_stored_tokens(accessToken=refused)
    # When the page asks the API again
    app.page.reload()
    # Then the app refreshed the tokens with the refresh token and shows the page
    expect(app.heading).to_have_text("Your orders")
    app.table_loaded()
    assert app.stored_session()["accessToken"] != refused


def test_an_expired_session_returns_to_sign_in_and_then_to_the_same_page(
    app: ShopApp, shopper: Tokens
) -> None:
    # Given a shopper on their Orders page whose session has ended (the API refuses the access
    # token and Cognito the refresh token)
    app.sign_in(shopper.username)
    app.go_to("Orders")
    app.table_loaded()
    app.replace_stored_tokens(
        accessToken=forged(app.stored_session()["accessToken"]), refreshToken="revoked"
    )
    # When the page asks the API again
    app.page.reload()
    # Then they are asked to sign in again, and once they have, they are back on that page
    expect(app.heading).to_have_text("Sign in")
    expect(app.notice).to_have_text("Your session has expired. Sign in again to continue.")
    expect(app.account.get_by_role("link", name="Sign in")).to_be_visible()
    app.sign_in(shopper.username)
    expect(app.heading).to_have_text("Your orders")


def test_a_page_that_needs_an_account_asks_to_sign_in_first(app: ShopApp, shopper: Tokens) -> None:
    # Given a visitor who is not signed in
    # When they open the Orders page
    app.open("/orders")
    # Then they sign in first and land on it
    expect(app.heading).to_have_text("Sign in")
    app.sign_in(shopper.username)
    expect(app.heading).to_have_text("Your orders")


def test_signing_out_forgets_the_tokens(app: ShopApp, shopper: Tokens) -> None:
    # Given a signed-in shopper
    app.sign_in(shopper.username)
    # When they sign out
    app.sign_out()
    # Then nothing of the session is kept, and their orders need a new sign-in
    assert app.page.evaluate("sessionStorage.length") == 0
    app.go_to("Orders")
    expect(app.heading).to_have_text("Sign in")
