"""The admin's Users page in the browser: invite a user (who then signs in with the temporary
password the local stack prints and chooses their own), change a role, send a new password,
remove a user after confirming; nobody but an admin is offered the page."""

import re
import time
import uuid

from playwright.sync_api import expect

from tests.e2e.stack import PASSWORD, ApiClient, RunningStack
from tests.web.shop_app import COLD_START_MS, ShopApp

CHOSEN_PASSWORD = "Chosen-Password-42"


def printed_password(stack: RunningStack, username: str, start: int) -> str:
    pattern = re.compile(rf"Temporary password for {re.escape(username)}: (?P<password>\S+)$")
    return stack.output.wait_for(pattern, timeout=10, start=start).group("password")


def invited_user(admin_api: ApiClient, role: str) -> str:
    """The username of a user the admin invited in `role` through the API."""
    username = f"web-{role}-{uuid.uuid4().hex[:6]}"
    invited = {"username": username, "email": f"{username}@example.com", "role": role}
    assert admin_api.post("/vault/users", invited).status_code == 201
    return username


def click_for(admin_app: ShopApp, username: str, button: str) -> None:
    """The row's button named for the user (`Make <user> viewer`): a username can be part of
    another's, a role's name part of a username."""
    admin_app.find_row(username)
    admin_app.page.get_by_role("button", name=button, exact=True).click()


def test_an_invited_user_signs_in_with_the_temporary_password_and_chooses_their_own(
    admin_app: ShopApp, stack: RunningStack
) -> None:
    # Given the admin invites a viewer on the Users page
    username = f"web-invited-{uuid.uuid4().hex[:6]}"
    start = len(stack.output.lines)
    admin_app.go_to("Users")
    admin_app.page.get_by_role("button", name="Invite user").click()
    admin_app.dialog.get_by_label("Username").fill(username)
    admin_app.dialog.get_by_label("E-mail").fill(f"{username}@example.com")
    admin_app.dialog.get_by_label("Role").select_option("viewer")
    admin_app.dialog.get_by_role("button", name="Invite", exact=True).click()
    expect(admin_app.notice).to_contain_text(f"Invited {username} as viewer", timeout=COLD_START_MS)
    row = admin_app.find_row(username)
    expect(row.locator('td[data-label="Status"]')).to_have_text("Invited")
    admin_app.screenshot("vault-users")
    # When they sign in with the password Cognito sent and choose their own
    admin_app.sign_out()
    admin_app.open("/sign-in")
    admin_app.fill_sign_in(username, printed_password(stack, username, start))
    admin_app.page.get_by_label("New password").fill(CHOSEN_PASSWORD)
    admin_app.page.get_by_role("button", name="Set password and sign in").click()
    # Then they are signed in as a viewer, who is offered the Distributions but not the Users
    expect(admin_app.account).to_contain_text(username)
    navigation = admin_app.page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Distributions")).to_be_visible()
    expect(navigation.get_by_role("link", name="Users")).to_have_count(0)


def test_the_admin_changes_a_role_resets_a_password_and_removes_a_user(
    admin_app: ShopApp, admin_api: ApiClient, stack: RunningStack
) -> None:
    # Given an editor who was invited and has not signed in yet
    username = invited_user(admin_api, "editor")
    admin_app.go_to("Users")
    # When the admin makes them a viewer, and confirms  Then the row says so, and they were
    # signed out
    click_for(admin_app, username, f"Make {username} viewer")
    admin_app.confirm("Make viewer")
    expect(admin_app.notice).to_contain_text(f"{username} is now viewer", timeout=COLD_START_MS)
    expect(admin_app.notice).to_contain_text("signed out everywhere")
    row = admin_app.find_row(username)
    expect(row.locator('td[data-label="Role"]')).to_have_text("Viewer")
    # When the admin resets their password, and confirms  Then the invitation is sent again
    click_for(admin_app, username, f"Reset {username}'s password")
    admin_app.confirm("Reset password")
    expect(admin_app.notice).to_contain_text("was sent the invitation again", timeout=COLD_START_MS)
    # When the admin removes them and confirms  Then they are gone
    click_for(admin_app, username, f"Remove {username}")
    admin_app.confirm("Remove user")
    expect(admin_app.notice).to_contain_text(f"Removed {username}.", timeout=COLD_START_MS)
    expect(admin_app.rows().filter(has_text=username)).to_have_count(0)


def test_making_a_user_admin_asks_first_saying_what_an_admin_may_do(
    admin_app: ShopApp, admin_api: ApiClient
) -> None:
    # Given a viewer on the Users page
    username = invited_user(admin_api, "viewer")
    admin_app.go_to("Users")
    # When the admin clicks Make admin, then thinks better of it
    click_for(admin_app, username, f"Make {username} admin")
    expect(admin_app.dialog).to_contain_text("An admin runs the whole shop")
    admin_app.dialog.get_by_role("button", name="Cancel").click()
    # Then nothing changed: they are still a viewer
    expect(admin_app.dialog).to_be_hidden()
    admin_app.page.reload()
    expect(admin_app.find_row(username).locator('td[data-label="Role"]')).to_have_text("Viewer")


def test_removing_the_user_a_later_page_starts_with_shows_the_list_from_its_start(
    admin_app: ShopApp, admin_api: ApiClient, stack: RunningStack
) -> None:
    # Given more users than a page holds, and the admin on the second page
    for _ in range(11):
        invited_user(admin_api, "viewer")
    admin_app.go_to("Users")
    admin_app.page.get_by_role("button", name="Next page").click()
    expect(admin_app.page.get_by_text("Page 2")).to_be_visible()
    first = admin_app.rows().first.locator('td[data-label="Username"]').inner_text()
    assert first != stack.admin_username
    # When the admin removes the user the page starts with (Cognito then refuses its cursor)
    click_for(admin_app, first, f"Remove {first}")
    admin_app.confirm("Remove user")
    # Then the listing is shown again from its first page, without them
    expect(admin_app.notice).to_contain_text(f"Removed {first}.", timeout=COLD_START_MS)
    expect(admin_app.page.get_by_text("Page 1")).to_be_visible()
    expect(admin_app.rows().filter(has_text=stack.admin_username).first).to_be_visible()
    expect(admin_app.rows().filter(has_text=first)).to_have_count(0)


def test_the_last_admin_is_refused_with_the_reason(admin_app: ShopApp, stack: RunningStack) -> None:
    # Given the stack's admin is the vault's only admin
    stack.leave_one_admin()
    # When they try to make themselves an editor  Then the page says why not
    admin_app.go_to("Users")
    click_for(admin_app, stack.admin_username, f"Make {stack.admin_username} editor")
    admin_app.confirm("Make editor")
    expect(admin_app.notice).to_contain_text(
        "The last admin can be neither removed nor demoted", timeout=COLD_START_MS
    )


def test_a_change_while_another_of_the_user_is_under_way_says_something_changed_meanwhile(
    admin_app: ShopApp, admin_api: ApiClient, stack: RunningStack
) -> None:
    # Given an editor whom another change holds (its lease on them runs on)
    username = invited_user(admin_api, "editor")
    stack.dynamodb.put_item(
        TableName=stack.table_name("VaultTable"),
        Item={
            "pk": {"S": "user-leases"},
            "sk": {"S": username.lower()},
            "holder": {"S": "another change"},
            "until": {"N": str(int(time.time()) + 60)},
        },
    )
    # When the admin makes them a viewer  Then the page says something changed meanwhile
    # (not that Cognito refused)
    admin_app.go_to("Users")
    click_for(admin_app, username, f"Make {username} viewer")
    admin_app.confirm("Make viewer")
    expect(admin_app.notice).to_contain_text("something changed meanwhile", timeout=COLD_START_MS)


def test_an_address_that_is_not_one_is_refused_beside_the_field(admin_app: ShopApp) -> None:
    admin_app.go_to("Users")
    admin_app.page.get_by_role("button", name="Invite user").click()
    admin_app.dialog.get_by_label("Username").fill("someone")
    admin_app.dialog.get_by_label("E-mail").fill("someone")
    admin_app.dialog.get_by_role("button", name="Invite", exact=True).click()
    expect(admin_app.field_error("E-mail", admin_app.dialog)).to_have_text(
        "Enter an e-mail address."
    )


def test_a_taken_username_is_refused_beside_the_field(
    admin_app: ShopApp, stack: RunningStack
) -> None:
    # Given the admin invites someone under the stack's admin's own username
    admin_app.go_to("Users")
    admin_app.page.get_by_role("button", name="Invite user").click()
    admin_app.dialog.get_by_label("Username").fill(stack.admin_username)
    admin_app.dialog.get_by_label("E-mail").fill("someone@example.com")
    admin_app.dialog.get_by_role("button", name="Invite", exact=True).click()
    # Then the username is said to be taken, beside it
    expect(admin_app.field_error("Username", admin_app.dialog)).to_have_text(
        "This username is taken.", timeout=COLD_START_MS
    )


def test_an_editor_is_not_offered_the_users_page(app: ShopApp, stack: RunningStack) -> None:
    editor = stack.new_member("editor")
    app.sign_in(editor.username, PASSWORD)
    expect(app.page.get_by_role("link", name="Users")).to_have_count(0)
    app.open("/users")
    expect(app.heading).to_have_text(f"Hello, {editor.username}")
