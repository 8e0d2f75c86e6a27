"""The config vault's pages: the Distributions list, a distribution's tabs, its versions with
Compare, and a rollback confirmed after seeing the change, refused when the distribution
changed meanwhile; a viewer sees no button that changes anything."""

import re
from typing import Any
from uuid import uuid4

import boto3
import pytest
from playwright.sync_api import Locator, expect

from tests.builders.distributions import distribution_config
from tests.e2e.stack import PASSWORD, RunningStack
from tests.web.shop_app import ShopApp

DOCS = "Sample: documentation site"


@pytest.fixture(scope="module")
def console(stack: RunningStack) -> Any:
    """CloudFront at the AWS endpoint the local stack prints, as the console would use it."""
    return boto3.client("cloudfront", endpoint_url=stack.emulator_url, region_name="us-east-1")


def distribution_id(console: Any, comment: str) -> str:
    listed = console.list_distributions()["DistributionList"]["Items"]
    (found,) = [item["Id"] for item in listed if item["Comment"] == comment]
    return str(found)


def change_comment(console: Any, distribution: str, comment: str) -> None:
    """An edit in the console: the configuration read, changed, written with its ETag."""
    current = console.get_distribution_config(Id=distribution)
    config = {**current["DistributionConfig"], "Comment": comment}
    console.update_distribution(Id=distribution, IfMatch=current["ETag"], DistributionConfig=config)


def signed_in_as(app: ShopApp, stack: RunningStack, group: str) -> ShopApp:
    app.sign_in(stack.new_member(group).username, PASSWORD)
    return app


def open_versions(app: ShopApp, comment: str) -> None:
    app.go_to("Distributions")
    app.search(comment)
    app.find_row(comment).get_by_role("link").click()
    app.page.get_by_role("tab", name="Versions").click()
    app.table_loaded()


def test_on_a_phone_the_tab_the_address_names_is_scrolled_into_the_tab_list(
    phone_app: ShopApp, stack: RunningStack, console: Any
) -> None:
    # Given a viewer on a phone, where the tab list scrolls sideways
    signed_in_as(phone_app, stack, "viewer")
    # When they open a distribution's last tab from its address
    phone_app.open(f"/distribution?id={distribution_id(console, DOCS)}&tab=versions")
    # Then that tab is scrolled into the list's visible part
    tab = phone_app.page.get_by_role("tab", name="Versions")
    expect(tab).to_have_attribute("aria-selected", "true")
    phone_app.page.wait_for_function(
        """tab => {
            const list = tab.parentElement.getBoundingClientRect();
            const box = tab.getBoundingClientRect();
            return box.left >= list.left && box.right <= list.right;
        }""",
        arg=tab.element_handle(),
    )


def test_a_viewer_reads_every_tab_and_sees_no_button_that_changes(
    app: ShopApp, stack: RunningStack
) -> None:
    # Given a viewer on a sample distribution's page
    signed_in_as(app, stack, "viewer")
    app.go_to("Distributions")
    row = app.find_row(DOCS)
    app.page.wait_for_load_state("networkidle")
    app.screenshot("vault-distributions")
    row.get_by_role("link").click()
    # When they look through its tabs
    app.page.get_by_role("tab", name="Origins").click()
    expect(app.page.get_by_role("tabpanel")).to_contain_text("docs-bucket")
    app.page.get_by_role("tab", name="Versions").click()
    row = app.rows().first
    # Then they may compare, and nothing else
    assert app.row_buttons(row) == ["Compare"]
    expect(app.page.get_by_role("button", name="Capture now")).to_have_count(0)


def test_the_tabs_keys_move_to_the_next_tab_and_to_the_first_and_last(
    app: ShopApp, stack: RunningStack
) -> None:
    # Given a viewer on a sample distribution's General tab
    signed_in_as(app, stack, "viewer")
    app.go_to("Distributions")
    app.find_row(DOCS).get_by_role("link").click()
    general = app.page.get_by_role("tab", name="General")
    general.focus()
    # When they press End, then Home, then the right arrow
    pressed = {}
    for key in ("End", "Home", "ArrowRight"):
        app.page.keyboard.press(key)
        pressed[key] = app.page.get_by_role("tab", selected=True).inner_text()
    # Then the last tab, the first, then the second is selected in turn
    assert pressed == {"End": "Versions", "Home": "General", "ArrowRight": "Origins"}


def test_compare_marks_a_change_made_in_the_console(
    app: ShopApp, stack: RunningStack, console: Any
) -> None:
    # Given an editor, and a change to a distribution's description made in the console
    comment = "Sample: an API behind the edge"
    target = distribution_id(console, comment)
    change_comment(console, target, "Edge API, renamed in the console")
    signed_in_as(app, stack, "editor")
    open_versions(app, target)
    # When they compare version 1 with the current configuration
    app.page.get_by_role("button", name="Compare version 1").click()
    # Then the description is the one field marked, with both sides
    changed = app.page.locator(".diff__row--changed")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("/Comment")
    expect(changed).to_contain_text(comment)
    expect(changed).to_contain_text("Edge API, renamed in the console")
    app.screenshot("vault-compare")


def test_a_rollback_is_confirmed_on_its_diff_and_refused_when_changed_meanwhile(
    app: ShopApp, stack: RunningStack, console: Any
) -> None:
    # Given an editor on the docs distribution's versions, with a version 2 recorded
    target = distribution_id(console, DOCS)
    change_comment(console, target, "Docs, second")
    editor = stack.client_for(stack.new_member("editor"))
    editor.post(f"/vault/distributions/{target}/versions", {"note": "second"})
    signed_in_as(app, stack, "editor")
    open_versions(app, target)
    # When the console changes it again before they roll back to version 1
    change_comment(console, target, "Docs, third")
    app.page.get_by_role("button", name="Roll back to version 1").click()
    expect(app.dialog.locator(".diff__row--changed")).to_contain_text("Docs, third")
    app.confirm("Roll back")
    # Then nothing is changed: the page says what changed and offers to reload
    expect(app.notice).to_contain_text("changed since you looked at it")
    expect(app.notice).to_contain_text("Comment")
    app.notice.get_by_role("button", name="Reload").click()
    app.table_loaded()
    # And after the reload, the rollback goes through
    app.page.get_by_role("button", name="Roll back to version 1").click()
    app.confirm("Roll back")
    expect(app.notice).to_contain_text("Rolled back")
    expect(app.rows().first).to_contain_text("Rolled back from version 1")
    app.screenshot("vault-versions")
    config = console.get_distribution_config(Id=target)["DistributionConfig"]
    assert config["Comment"] == DOCS


@pytest.mark.parametrize("clicks", [0, 2], ids=["keyboard", "double-click"])
@pytest.mark.parametrize("button", ["Roll back to version 1", "Copy version 1"])
def test_a_dialog_closed_without_a_change_gives_the_focus_back_to_its_button(
    app: ShopApp, stack: RunningStack, console: Any, button: str, clicks: int
) -> None:
    # Given an editor on a distribution's versions, with a version 2 recorded
    signed_in_as(app, stack, "editor")
    open_versions(app, with_a_second_version(console, stack))
    # When they open the dialog (from the keyboard, or with a double click), then close it
    # with Escape
    opener = app.page.get_by_role("button", name=button)
    if clicks:
        opener.dblclick()
    else:
        opener.focus()
        app.page.keyboard.press("Enter")
    expect(app.dialog).to_be_visible()
    app.page.keyboard.press("Escape")
    # Then the focus is on the button again, not at the top of the page
    expect(app.dialog).to_have_count(0)
    expect(opener).to_be_focused()


def test_a_rollbacks_confirmation_first_focuses_the_button_that_keeps_it_as_it_is(
    app: ShopApp, stack: RunningStack, console: Any
) -> None:
    # Given an editor on a distribution's versions, with a version 2 recorded
    signed_in_as(app, stack, "editor")
    open_versions(app, with_a_second_version(console, stack))
    # When they ask to roll back to version 1
    app.page.get_by_role("button", name="Roll back to version 1").press("Enter")
    # Then the confirmation opens on its safe choice, as every other confirmation does
    expect(app.dialog.get_by_role("button", name="Keep as it is")).to_be_focused()


def test_a_stacks_distribution_is_rolled_back_only_once_the_drift_is_accepted(
    app: ShopApp, stack: RunningStack, console: Any
) -> None:
    # Given a change in the console to the shop's own distribution (a stack's), recorded
    web = distribution_id(console, "shop-dev-bootstrap web client")
    change_comment(console, web, "Web client, edited in the console")
    stack.client_for(stack.new_member("editor")).post(f"/vault/distributions/{web}/versions", {})
    signed_in_as(app, stack, "editor")
    open_versions(app, web)
    # When an editor rolls it back to version 1
    app.page.get_by_role("button", name="Roll back to version 1").click()
    # Then the confirmation names the drift, and rolls back only once it is accepted
    expect(app.dialog).to_contain_text("next deploy reverts")
    expect(app.dialog.get_by_role("button", name="Roll back")).to_be_disabled()
    app.dialog.get_by_label("I understand: change it anyway").check()
    app.confirm("Roll back")
    expect(app.notice).to_contain_text("Rolled back")
    config = console.get_distribution_config(Id=web)["DistributionConfig"]
    assert config["Comment"] == "shop-dev-bootstrap web client"


def new_distribution(console: Any, stack: RunningStack, comment: str) -> str:
    """A distribution made in the console, recorded by the vault as version 1."""
    created = console.create_distribution(
        DistributionConfig=distribution_config(f"web-{uuid4()}", comment=comment)
    )
    distribution: str = created["Distribution"]["Id"]
    editor = stack.client_for(stack.new_member("editor"))
    assert editor.post(f"/vault/distributions/{distribution}/versions", {}).status_code == 201
    return distribution


def with_a_second_version(console: Any, stack: RunningStack) -> str:
    """A distribution recorded as version 1, then changed in the console and recorded as 2."""
    distribution = new_distribution(console, stack, "first")
    change_comment(console, distribution, "second")
    editor = stack.client_for(stack.new_member("editor"))
    assert editor.post(f"/vault/distributions/{distribution}/versions", {}).status_code == 201
    return distribution


def test_copy_to_puts_a_version_on_the_chosen_distribution(
    app: ShopApp, stack: RunningStack, console: Any
) -> None:
    # Given two distributions, and an editor on the first one's versions
    source = new_distribution(console, stack, "Copied from")
    target = new_distribution(console, stack, "Copied onto")
    signed_in_as(app, stack, "editor")
    open_versions(app, source)
    # When they copy version 1 onto the second, confirmed on what it changes there
    app.page.get_by_role("button", name="Copy version 1").click()
    app.dialog.get_by_label("Distribution").select_option(label=f"{target} (Copied onto)")
    app.dialog.get_by_role("button", name="Next").click()
    # (only what the copy changes: the target keeps its own CallerReference)
    changed = app.dialog.locator(".diff__row--changed")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("Copied onto")
    app.confirm("Copy")
    # Then the second distribution has the first one's configuration
    expect(app.notice).to_contain_text(f"Copied: {target}")
    config = console.get_distribution_config(Id=target)["DistributionConfig"]
    assert config["Comment"] == "Copied from"


def fact(app: ShopApp, term: str) -> Locator:
    """What the tab shown says for `term` (General's facts)."""
    return app.page.get_by_role("tabpanel").locator(f"dt:text-is('{term}') + dd")


def test_general_shows_the_distribution_as_a_rollback_left_it(
    app: ShopApp, stack: RunningStack, console: Any
) -> None:
    # Given an editor who has seen a distribution's General tab, then its versions, with a
    # version 2 recorded after a change made in the console
    target = new_distribution(console, stack, "Before the console's edit")
    change_comment(console, target, "Edited in the console")
    stack.client_for(stack.new_member("editor")).post(f"/vault/distributions/{target}/versions", {})
    signed_in_as(app, stack, "editor")
    open_versions(app, target)
    # When they roll back to version 1, then open General again
    app.page.get_by_role("button", name="Roll back to version 1").click()
    app.confirm("Roll back")
    expect(app.notice).to_contain_text("Rolled back: version 3")
    app.page.get_by_role("tab", name="General").click()
    # Then it shows the configuration and the version the rollback left
    expect(fact(app, "Description")).to_have_text("Before the console's edit")
    expect(fact(app, "Current version")).to_have_text("3")


def test_an_open_comparison_shows_what_a_capture_recorded(
    app: ShopApp, stack: RunningStack, console: Any
) -> None:
    # Given an editor comparing version 1 with the current configuration, which it still is
    target = new_distribution(console, stack, "Compared before the capture")
    signed_in_as(app, stack, "editor")
    open_versions(app, target)
    app.page.get_by_role("button", name="Compare version 1").click()
    summary = app.page.locator(".diff__summary")
    expect(summary).to_have_text("No differences.")
    # When the console changes the distribution and they capture it (unless its CloudTrail
    # event has had it recorded already)
    change_comment(console, target, "Compared after the capture")
    app.page.get_by_role("button", name="Capture now").click()
    expect(app.notice).to_contain_text(re.compile("Recorded version 2|Nothing changed"))
    # Then the comparison shows the change
    expect(summary).to_have_text("1 field differs.")
    expect(app.page.locator(".diff__row--changed")).to_contain_text("Compared after the capture")


def test_a_deleted_distribution_is_created_again_from_its_version(
    app: ShopApp, stack: RunningStack, console: Any
) -> None:
    # Given a distribution deleted in the console, which the vault has marked deleted
    deleted = new_distribution(console, stack, "Deleted in the console")
    current = console.get_distribution_config(Id=deleted)
    disabled = {**current["DistributionConfig"], "Enabled": False}
    etag = console.update_distribution(
        Id=deleted, IfMatch=current["ETag"], DistributionConfig=disabled
    )
    console.delete_distribution(Id=deleted, IfMatch=etag["ETag"])
    editor = stack.client_for(stack.new_member("editor"))
    assert editor.post(f"/vault/distributions/{deleted}/versions", {}).status_code == 404
    # When an editor finds it among the deleted ones
    signed_in_as(app, stack, "editor")
    app.go_to("Distributions")
    app.page.get_by_label("Show").select_option("deleted")
    app.find_row(deleted).get_by_role("link").click()
    app.page.get_by_role("tab", name="Versions").click()
    # Then its versions can only be compared or used to create it again
    assert app.row_buttons(app.rows().first) == ["Compare", "Create from this version"]
    app.page.get_by_role("button", name="Create a distribution from version 1").click()
    app.confirm("Create")
    expect(app.notice).to_contain_text("Created")
    created = app.notice.get_by_role("link").inner_text()
    assert console.get_distribution_config(Id=created)["DistributionConfig"]["Comment"] == (
        "Deleted in the console"
    )


def test_a_version_by_an_iam_identity_keeps_the_versions_within_the_page(
    app: ShopApp, stack: RunningStack, console: Any
) -> None:
    # Given a change made in the console, recorded with CloudTrail's identity (an ARN) as who
    comment = f"Layout {uuid4().hex[:6]}"
    target = new_distribution(console, stack, comment)
    change_comment(console, target, f"{comment}, changed in the console")
    viewer = stack.client_for(stack.new_member("viewer"))
    for _ in range(60):  # the CloudTrail event reaches the vault within seconds
        versions = viewer.get(f"/vault/distributions/{target}/versions").json()
        if versions[0]["version"] == 2:
            break
        app.page.wait_for_timeout(500)
    assert str(versions[0]["who"]).startswith("arn:aws:iam::")
    # When an editor opens its versions on a laptop's screen
    signed_in_as(app, stack, "editor")
    open_versions(app, target)
    # Then the table fits the page: every version's actions are in view, none past its edge
    table = app.page.get_by_role("tabpanel").locator("table")
    expect(table).to_contain_text("arn:aws:iam::")
    assert table.evaluate("(t) => t.scrollWidth <= t.parentElement.clientWidth")
