"""The admin's Partners page in the browser: create a partner and copy its key (shown once),
see its usage, change its tier, disable it and revoke it; shoppers are not offered it."""

import uuid

import requests
from playwright.sync_api import Locator, expect

from partners.models import MAX_PARTNER_NAME_LENGTH
from tests.e2e.stack import ApiClient, RunningStack
from tests.web.shop_app import COLD_START_MS, ShopApp

BASIC = "Basic: 10 requests/s, 100 a day"


def catalogue_with(stack: RunningStack, key: str) -> requests.Response:
    return requests.get(f"{stack.api_url}/partner/products", headers={"x-api-key": key}, timeout=30)


def fill_new_partner(admin_app: ShopApp, name: str, tier_label: str = BASIC) -> None:
    """Opens the Partners page's Add partner dialog and fills it in, unsent."""
    admin_app.go_to("Partners")
    admin_app.page.get_by_role("button", name="Add partner").click()
    admin_app.dialog.get_by_label("Name").fill(name)
    admin_app.dialog.get_by_label("Tier").select_option(label=tier_label)


def show_new_key(admin_app: ShopApp, name: str, tier_label: str = BASIC) -> Locator:
    """Adds a partner through the page; returns the field of the dialog that shows its key
    (once)."""
    fill_new_partner(admin_app, name, tier_label)
    admin_app.dialog.get_by_role("button", name="Create key").click()
    return admin_app.dialog.get_by_label("API key")


def add_partner(admin_app: ShopApp, name: str, tier_label: str) -> str:
    """Adds a partner through the page; returns the key the page showed (once)."""
    key_field = show_new_key(admin_app, name, tier_label)
    # The page reads the partners before it creates one (a function that may start cold).
    expect(key_field).to_have_attribute("readonly", "", timeout=COLD_START_MS)
    key = key_field.input_value()
    admin_app.dialog.get_by_role("button", name="Copy key").click()
    expect(admin_app.dialog.get_by_role("status")).to_have_text("Copied.")
    admin_app.dialog.get_by_role("button", name="I have copied it").click()
    return key


def test_the_admin_creates_a_partner_whose_key_works_and_is_shown_once(
    admin_app: ShopApp, stack: RunningStack
) -> None:
    # Given the admin creates a pro partner on the Partners page
    admin_app.context.grant_permissions(["clipboard-read", "clipboard-write"])
    name = f"Web partner {uuid.uuid4().hex[:6]}"
    key = add_partner(admin_app, name, "Pro: 100 requests/s, 100,000 a day")
    # Then the copied key is the key, it reads the catalogue, and the list shows the partner
    # (without its key)
    assert admin_app.page.evaluate("navigator.clipboard.readText()") == key
    assert catalogue_with(stack, key).status_code == 200
    expect(admin_app.notice).to_contain_text(f"Added {name} on the pro tier.")
    row = admin_app.find_row(name)
    expect(row.locator('td[data-label="Tier"]')).to_have_text("Pro")
    expect(row.locator('td[data-label="Key"]')).to_have_text("Enabled")
    assert key not in admin_app.page.content()


def test_escape_does_not_close_the_key_shown_once(admin_app: ShopApp) -> None:
    # Given the admin shown a new partner's key, which is not shown again
    key_field = show_new_key(admin_app, f"Web partner {uuid.uuid4().hex[:6]}")
    expect(key_field).to_be_visible(timeout=COLD_START_MS)
    # When they press Escape
    admin_app.page.keyboard.press("Escape")
    # Then the key stays, and the dialog says how to close it once the key is copied
    expect(key_field).to_be_visible()
    expect(admin_app.dialog.get_by_role("status")).to_contain_text("not shown again")


def test_a_name_of_emoji_up_to_the_limit_is_taken_whole(admin_app: ShopApp) -> None:
    # Given a partner's name as long as the API takes, in characters that UTF-16 writes as two
    # units each (an input's maxlength counts those units)
    marker = uuid.uuid4().hex[:6]
    name = marker + "\U0001f431" * (MAX_PARTNER_NAME_LENGTH - len(marker))
    # When the admin adds the partner on the Partners page
    add_partner(admin_app, name, BASIC)
    # Then it is added under the whole name
    expect(admin_app.notice).to_contain_text(f"Added {name} on the basic tier.")


def test_the_admin_sees_usage_moves_disables_and_revokes_a_partner(
    admin_app: ShopApp, admin_api: ApiClient, stack: RunningStack
) -> None:
    # Given a basic partner that made two requests today
    name = f"Web partner {uuid.uuid4().hex[:6]}"
    created = admin_api.post("/partner", {"name": name, "tier": "basic"}).json()
    for _ in range(2):
        assert catalogue_with(stack, created["api_key"]).status_code == 200
    admin_app.go_to("Partners")
    row = admin_app.find_row(name)
    expect(row.locator('td[data-label="Today on this tier"]')).to_have_text("2")
    expect(row.locator('td[data-label="This week on this tier"]')).to_have_text("2")
    admin_app.screenshot("admin-partners")
    # When the admin moves it to pro  Then it is on pro
    admin_app.click_in_row(row, "Move")
    expect(admin_app.notice).to_contain_text(f"{name} is now on the pro tier.")
    expect(admin_app.find_row(name).locator('td[data-label="Tier"]')).to_have_text("Pro")
    # When the admin disables it  Then its key is refused
    admin_app.click_in_row(admin_app.find_row(name), "Disable")
    expect(admin_app.find_row(name).locator('td[data-label="Key"]')).to_have_text("Disabled")
    assert catalogue_with(stack, created["api_key"]).status_code == 403
    # When the admin revokes it and confirms  Then it is gone
    admin_app.click_in_row(admin_app.find_row(name), "Revoke")
    admin_app.confirm("Revoke key")
    expect(admin_app.notice).to_contain_text(f"Revoked {name}'s key.")
    expect(admin_app.page.locator("tbody tr", has_text=name)).to_have_count(0)


def test_partners_of_one_name_are_told_apart_by_their_key_id(
    admin_app: ShopApp, admin_api: ApiClient
) -> None:
    # Given two partners of one name
    name = f"Web namesake {uuid.uuid4().hex[:6]}"
    created = [admin_api.post("/partner", {"name": name, "tier": "basic"}) for _ in range(2)]
    ids = [answer.json()["partner_id"] for answer in created]
    # When the admin opens the Partners page
    admin_app.go_to("Partners")
    # Then each row shows its key's id, and its buttons name it
    for partner_id in ids:
        row = admin_app.find_row(partner_id)
        expect(row.locator('td[data-label="Name"]')).to_have_text(f"{name} {partner_id}")
        expect(row.get_by_role("button", name=f"Revoke {name} (key {partner_id})")).to_have_count(1)


def test_adding_a_name_another_partner_has_is_warned_about_and_creates_nothing(
    admin_app: ShopApp, admin_api: ApiClient
) -> None:
    # Given a partner named like the one the admin is adding
    name = f"Web namesake {uuid.uuid4().hex[:6]}"
    existing = admin_api.post("/partner", {"name": name, "tier": "basic"}).json()
    fill_new_partner(admin_app, name)
    # When the admin presses Create key (the page then reads the partners afresh: a function
    # that may start cold)
    admin_app.dialog.get_by_role("button", name="Create key").click()
    # Then the name's field says which partner has it, and no partner is added
    expect(admin_app.field_error("Name", admin_app.dialog)).to_have_text(
        f"{name} is a partner already (key {existing['partner_id']}): "
        "partners of one name are told apart by their key's id only.",
        timeout=COLD_START_MS,
    )
    names = [partner["name"] for partner in admin_api.get("/partners").json()]
    assert names.count(name) == 1


def test_a_name_warned_about_is_added_when_the_admin_presses_create_key_again(
    admin_app: ShopApp, admin_api: ApiClient
) -> None:
    # Given the page warned that another partner has the name typed
    name = f"Web namesake {uuid.uuid4().hex[:6]}"
    admin_api.post("/partner", {"name": name, "tier": "basic"})
    fill_new_partner(admin_app, name)
    admin_app.dialog.get_by_role("button", name="Create key").click()
    expect(admin_app.field_error("Name", admin_app.dialog)).to_be_visible(timeout=COLD_START_MS)
    # When the admin presses Create key again
    admin_app.dialog.get_by_role("button", name="Create key").click()
    # Then the partner is added all the same
    expect(admin_app.dialog.get_by_label("API key")).to_have_attribute(
        "readonly", "", timeout=COLD_START_MS
    )
    names = [partner["name"] for partner in admin_api.get("/partners").json()]
    assert names.count(name) == 2


def test_the_requests_shown_are_said_to_be_counted_on_the_current_tier(
    admin_app: ShopApp, admin_api: ApiClient, stack: RunningStack
) -> None:
    # Given a basic partner that made a request, then moved to pro (API Gateway counts each
    # tier's requests apart)
    name = f"Web partner {uuid.uuid4().hex[:6]}"
    created = admin_api.post("/partner", {"name": name, "tier": "basic"}).json()
    assert catalogue_with(stack, created["api_key"]).status_code == 200
    admin_api.post(f"/partner/{created['partner_id']}", {"tier": "pro"})
    # When the admin opens the Partners page
    admin_app.go_to("Partners")
    # Then its 0 is the count on its tier, and the page says a move starts the count again
    row = admin_app.find_row(name)
    expect(row.locator('td[data-label="Today on this tier"]')).to_have_text("0")
    expect(admin_app.page.locator(".partners .lead")).to_have_text(
        "Requests are counted on each tier apart: a partner moved to another tier starts "
        "today's and this week's counts at 0 there."
    )


def test_a_blank_name_is_refused_beside_the_field(admin_app: ShopApp) -> None:
    admin_app.go_to("Partners")
    admin_app.page.get_by_role("button", name="Add partner").click()
    admin_app.dialog.get_by_role("button", name="Create key").click()
    expect(admin_app.field_error("Name", admin_app.dialog)).to_have_text(
        "Enter the partner's name."
    )


def test_a_shopper_is_not_offered_the_partners_page(app: ShopApp, stack: RunningStack) -> None:
    shopper = stack.new_shopper("web-partners")
    app.sign_in(shopper.username)
    expect(app.account).to_contain_text("Shopper")
    expect(app.page.get_by_role("link", name="Partners")).to_have_count(0)
    app.open("/partners")
    expect(app.heading).to_have_text(f"Hello, {shopper.username}")
    assert app.page.url.endswith("#/")
