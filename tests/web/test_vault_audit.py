"""The vault's Audit page and the Notifications section of its settings: a change made
through the vault is in the trail with its outcome, one distribution's alone on request; an
admin saves the lists (a bad address marked on its list), a viewer reads them with no button."""

from typing import Any
from uuid import uuid4

import boto3
import pytest
from playwright.sync_api import expect

from tests.builders.distributions import distribution_config
from tests.e2e.stack import PASSWORD, ApiClient, RunningStack
from tests.web.shop_app import COLD_START_MS, ShopApp


@pytest.fixture(scope="module")
def console(stack: RunningStack) -> Any:
    return boto3.client("cloudfront", endpoint_url=stack.emulator_url, region_name="us-east-1")


@pytest.fixture
def captured(console: Any, stack: RunningStack) -> tuple[str, str]:
    """A distribution made in the console and captured by an editor: its id, the editor."""
    created = console.create_distribution(
        DistributionConfig=distribution_config(f"web-{uuid4()}", comment="audited")
    )
    distribution_id: str = created["Distribution"]["Id"]
    tokens = stack.new_member("editor")
    editor = stack.client_for(tokens)
    assert editor.post(f"/vault/distributions/{distribution_id}/versions", {}).status_code == 201
    return distribution_id, tokens.username


def test_a_viewer_finds_a_capture_in_the_trail_of_its_distribution(
    app: ShopApp, stack: RunningStack, captured: tuple[str, str]
) -> None:
    # Given a capture an editor made
    distribution_id, editor = captured
    app.sign_in(stack.new_member("viewer").username, PASSWORD)
    app.go_to("Audit")
    # When a viewer asks for that distribution's trail
    app.page.get_by_label("Distribution").fill(distribution_id.lower())
    app.page.get_by_role("button", name="Show").click()
    # Then its one entry is shown, with who made it and its outcome, and no button
    row = app.rows()
    expect(row).to_have_count(1)
    expect(row).to_contain_text(editor)
    expect(row).to_contain_text("Capture")
    expect(row).to_contain_text("Succeeded")
    expect(row).to_contain_text("version 1")
    assert app.row_buttons(row) == []
    assert f"id={distribution_id}" in app.page.url
    app.screenshot("vault-audit")


def test_an_id_that_cannot_be_a_distributions_is_marked_and_no_trail_is_shown_for_it(
    app: ShopApp, stack: RunningStack, captured: tuple[str, str]
) -> None:
    # Given a viewer on the trail of one distribution
    distribution_id, _ = captured
    app.sign_in(stack.new_member("viewer").username, PASSWORD)
    app.go_to("Audit")
    app.page.get_by_label("Distribution").fill(distribution_id)
    app.page.get_by_role("button", name="Show").click()
    expect(app.rows()).to_have_count(1)
    # When they ask for an id no distribution can have
    app.page.get_by_label("Distribution").fill("E1-not-an-id")
    app.page.get_by_role("button", name="Show").click()
    # Then it is marked, and the other distribution's rows are no longer shown under it
    expect(app.page.locator(".field__error")).to_contain_text("only letters and digits")
    expect(app.rows()).to_have_count(0)


CHANGES_LIST = "A rollback, copy or creation"


def save_changes_list(admin_app: ShopApp, text: str) -> None:
    """The admin on the vault's settings saves `text` as the list of the vault's changes."""
    admin_app.go_to("Vault settings")
    changes = admin_app.page.get_by_label(CHANGES_LIST)
    expect(changes).to_be_editable(timeout=COLD_START_MS)
    changes.fill(text)
    admin_app.page.get_by_role("button", name="Save notifications").click()


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        (
            "\nops@example.com\n\nnot an address\nops2@example.com",
            'Line 4: "not an address" is not an e-mail address.',
        ),
        ("ops@example.com\nOPS@example.com", "Line 2 repeats line 1."),
        ("ops@example.com; OPS@example.com", 'Line 1 holds "OPS@example.com" twice.'),
    ],
    ids=["not an address", "on two lines", "twice on a line"],
)
def test_a_bad_list_is_marked_by_its_line_as_typed_and_nothing_is_saved(
    admin_app: ShopApp, admin_api: ApiClient, text: str, marked: str
) -> None:
    before = admin_api.get("/vault/notifications").json()

    save_changes_list(admin_app, text)

    expect(admin_app.field_error(CHANGES_LIST)).to_have_text(marked)
    assert admin_api.get("/vault/notifications").json() == before


def test_an_admin_saves_the_lists_as_the_api_then_reads_them(
    admin_app: ShopApp, admin_api: ApiClient
) -> None:
    save_changes_list(admin_app, "ops@example.com\noncall@example.com")

    expect(admin_app.notice).to_contain_text("saved", timeout=COLD_START_MS)
    saved = admin_api.get("/vault/notifications").json()
    assert saved["distribution_changed"] == ["ops@example.com", "oncall@example.com"]
    admin_app.screenshot("vault-notifications")


def test_a_viewer_reads_the_lists_and_has_no_save_button(
    app: ShopApp, stack: RunningStack, admin_api: ApiClient
) -> None:
    lists = admin_api.get("/vault/notifications").json()
    admin_api.post("/vault/notifications", {**lists, "detection_failed": ["runs@example.com"]})
    app.sign_in(stack.new_member("viewer").username, PASSWORD)

    app.go_to("Vault settings")

    expect(app.page.locator(".facts")).to_contain_text("runs@example.com", timeout=COLD_START_MS)
    expect(app.page.get_by_role("button", name="Save notifications")).to_have_count(0)
