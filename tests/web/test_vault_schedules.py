"""The Schedules section of the vault's settings: the default hourly schedule first; an admin
adds a schedule of a distribution chosen among those without one (a cron firing too often
marked on the Cron field with the API's reason), pauses and deletes it; a viewer reads them
with no button."""

from uuid import uuid4

import boto3
import pytest
from playwright.sync_api import expect

from tests.builders.distributions import distribution_config
from tests.e2e.stack import PASSWORD, ApiClient, RunningStack
from tests.web.shop_app import ShopApp

# A route's first call starts its function's worker.
COLD_START_MS = 30_000


@pytest.fixture
def distribution(stack: RunningStack, admin_api: ApiClient) -> str:
    """A distribution made at the printed AWS endpoint, at version 1 in the vault."""
    console = boto3.client("cloudfront", endpoint_url=stack.emulator_url, region_name="us-east-1")
    created = console.create_distribution(
        DistributionConfig=distribution_config(f"web-{uuid4()}", comment="scheduled")
    )
    distribution_id: str = created["Distribution"]["Id"]
    assert admin_api.post(f"/vault/distributions/{distribution_id}/versions", {}).status_code == 201
    return distribution_id


def test_an_admin_adds_pauses_and_deletes_a_distribution_s_schedule(
    admin_app: ShopApp, admin_api: ApiClient, distribution: str
) -> None:
    # Given the admin on the vault's settings
    admin_app.go_to("Vault settings")
    expect(admin_app.rows().first).to_contain_text("All distributions")
    # When they add a schedule firing every 2 minutes
    admin_app.page.get_by_role("button", name="Add schedule").click()
    admin_app.dialog.get_by_label("Distribution", exact=True).select_option(distribution)
    admin_app.dialog.get_by_label("Cron", exact=True).fill("*/2 * * * *")
    admin_app.dialog.get_by_role("button", name="Add schedule").click()
    # Then the Cron field says why, and nothing is added
    expect(admin_app.field_error("Cron", admin_app.dialog)).to_contain_text(
        "minute: fires 2 minutes apart: at most every 5 minutes", timeout=COLD_START_MS
    )
    # And every 5 minutes is added, active, not run yet
    admin_app.dialog.get_by_label("Cron", exact=True).fill("*/5 * * * *")
    admin_app.dialog.get_by_role("button", name="Add schedule").click()
    expect(admin_app.notice).to_contain_text(f"Added a schedule of {distribution}")
    row = admin_app.find_row(distribution)
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("Not yet")
    admin_app.screenshot("vault-schedules")
    # When they pause it  Then it is paused for the API too
    admin_app.click_in_row(row, "Pause")
    # (the first pause starts its function: a cold start on a busy machine)
    expect(admin_app.notice).to_contain_text("is paused", timeout=COLD_START_MS)
    expect(admin_app.find_row(distribution)).to_contain_text("Paused")
    [mine] = [
        s for s in admin_api.get("/vault/schedules").json() if s["distribution_id"] == distribution
    ]
    assert mine["active"] is False
    # When they delete it  Then it is gone
    admin_app.click_in_row(admin_app.find_row(distribution), "Delete")
    admin_app.confirm("Delete schedule")
    expect(admin_app.notice).to_contain_text("Deleted", timeout=COLD_START_MS)
    expect(admin_app.rows().filter(has_text=distribution)).to_have_count(0)


def test_an_empty_cron_is_refused_in_the_pages_words_before_it_is_sent(
    admin_app: ShopApp, distribution: str
) -> None:
    admin_app.go_to("Vault settings")
    admin_app.page.get_by_role("button", name="Add schedule").click()
    admin_app.dialog.get_by_role("button", name="Add schedule").click()
    expect(admin_app.field_error("Cron", admin_app.dialog)).to_have_text(
        "Enter when it runs: five fields, e.g. 0 * * * *."
    )


def test_a_distribution_with_a_schedule_is_not_offered(
    admin_app: ShopApp, admin_api: ApiClient, distribution: str
) -> None:
    # Given a distribution that has a schedule
    schedule = {"distribution_id": distribution, "cron": "0 6 * * *"}
    assert admin_api.post("/vault/schedules", schedule).status_code == 201
    # When the admin adds a schedule  Then it is not among the distributions offered
    admin_app.go_to("Vault settings")
    admin_app.page.get_by_role("button", name="Add schedule").click()
    offered = admin_app.dialog.get_by_label("Distribution", exact=True).locator("option")
    expect(offered.first).to_be_attached(timeout=COLD_START_MS)
    values = offered.evaluate_all("options => options.map((option) => option.value)")
    assert distribution not in values


def test_a_distribution_scheduled_meanwhile_is_refused_in_the_pages_words(
    admin_app: ShopApp, admin_api: ApiClient, distribution: str
) -> None:
    # Given the admin adding a schedule of a distribution, which another admin schedules
    admin_app.go_to("Vault settings")
    admin_app.page.get_by_role("button", name="Add schedule").click()
    admin_app.dialog.get_by_label("Distribution", exact=True).select_option(distribution)
    admin_app.dialog.get_by_label("Cron", exact=True).fill("0 7 * * *")
    schedule = {"distribution_id": distribution, "cron": "0 6 * * *"}
    assert admin_api.post("/vault/schedules", schedule).status_code == 201
    # When they add theirs  Then the Distribution field says why, in the page's words
    admin_app.dialog.get_by_role("button", name="Add schedule").click()
    expect(admin_app.field_error("Distribution", admin_app.dialog)).to_have_text(
        "This distribution has a schedule already: change its cron or pause it instead.",
        timeout=COLD_START_MS,
    )


def test_the_hourly_schedule_can_be_paused_but_has_no_delete_button(admin_app: ShopApp) -> None:
    admin_app.go_to("Vault settings")
    hourly = admin_app.rows().filter(has_text="All distributions")
    assert admin_app.row_buttons(hourly) in (["Pause"], ["Resume"])


def test_a_viewer_reads_the_schedules_with_no_button(
    app: ShopApp, stack: RunningStack, admin_api: ApiClient, distribution: str
) -> None:
    created = admin_api.post(
        "/vault/schedules", {"distribution_id": distribution, "cron": "0 6 * * *"}
    )
    assert created.status_code == 201
    app.sign_in(stack.new_member("viewer").username, PASSWORD)

    app.go_to("Vault settings")

    row = app.find_row(distribution)
    expect(row).to_contain_text("0 6 * * *")
    assert app.row_buttons(row) == []
    expect(app.page.get_by_role("button", name="Add schedule")).to_have_count(0)
