"""The admin's tools that used to leave them stuck or guessing: a stock changed by orders
while they edit it, the Partners list after a create, one customer's orders, and the orders
as a CSV file."""

import csv
import io
import uuid
from typing import Any

from playwright.sync_api import Download, expect

from tests.e2e.stack import ApiClient, RunningStack, Tokens
from tests.web.data import change_status, new_product, place_order
from tests.web.shop_app import ShopApp


def test_a_stock_changed_by_orders_meanwhile_is_shown_and_saved_against(
    admin_app: ShopApp, stack: RunningStack, shopper: Tokens, admin_api: ApiClient
) -> None:
    # Given the admin editing a product with 10 in stock, of which a shopper then orders 6
    product = new_product(admin_api, stock=10)
    admin_app.open(f"/products?q={product['name']}")
    admin_app.find_row(product["name"]).get_by_role("button", name="Edit").click()
    place_order(stack, shopper, product, 6)
    # When the admin sets the stock to 20 and saves
    admin_app.dialog.get_by_label("Stock").fill("20")
    admin_app.dialog.get_by_role("button", name="Save changes").click()
    # Then the dialog says, in plain words, what the stock is now and what saving will do
    alert = admin_app.dialog.get_by_role("alert")
    expect(alert).to_contain_text("it is now 4 in stock")
    expect(alert).to_contain_text("Save again to set the stock to 20")
    expect(admin_app.field_error("Stock", admin_app.dialog)).to_have_text("Now 4 in stock.")
    expect(admin_app.dialog).not_to_contain_text("expected_stock")
    # and saving again sets it
    admin_app.dialog.get_by_role("button", name="Save changes").click()
    expect(admin_app.notice).to_contain_text(f"Saved {product['name']}")
    assert admin_api.get(f"/product/{product['product_id']}").json()["stock"] == 20


def test_a_new_partner_is_listed_while_its_key_is_shown(admin_app: ShopApp) -> None:
    # Given the admin on the Partners page
    admin_app.go_to("Partners")
    admin_app.table_loaded()
    name = f"Web lister {uuid.uuid4().hex[:6]}"
    # When they create a partner
    admin_app.page.get_by_role("button", name="Add partner").click()
    admin_app.dialog.get_by_label("Name").fill(name)
    admin_app.dialog.get_by_role("button", name="Create key").click()
    # Then the list behind the key's dialog already shows it
    expect(admin_app.dialog.get_by_label("API key")).to_be_visible()
    expect(admin_app.page.locator("tbody tr").filter(has_text=name)).to_have_count(1)


def export_orders(admin_app: ShopApp, status: str) -> Download:
    """The CSV file of the Orders page filtered by `status`."""
    admin_app.go_to("Orders")
    admin_app.filter_orders(status)
    with admin_app.page.expect_download() as download:
        admin_app.page.get_by_role("button", name="Export CSV").click()
    return download.value


def csv_rows(download: Download) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8"))))


def test_the_exported_totals_keep_their_cents(
    admin_app: ShopApp, stack: RunningStack, shopper: Tokens, admin_api: ApiClient
) -> None:
    # Given a shipped order of 2 at 12.50, whose total is a whole number
    product = new_product(admin_api, price=12.5)
    order = change_status(admin_api, place_order(stack, shopper, product, 2), "shipped")
    # When the admin exports the shipped orders
    rows = csv_rows(export_orders(admin_app, "Shipped"))
    # Then its total is written with its 2 decimals
    assert {row["order_id"]: row["total"] for row in rows}[order["order_id"]] == "25.00"


def test_the_admin_exports_the_filtered_orders_as_csv(
    admin_app: ShopApp, stack: RunningStack, shopper: Tokens, admin_api: ApiClient
) -> None:
    # Given a shipped order and a pending one, of a product with a comma in its name
    product = new_product(admin_api, name=f"Kettle, {uuid.uuid4().hex[:6]}")
    shipped = change_status(admin_api, place_order(stack, shopper, product, 2), "shipped")
    pending = place_order(stack, shopper, product, 1)
    # When the admin lists the shipped orders and exports them
    download = export_orders(admin_app, "Shipped")
    # Then the file holds the shipped orders, the comma kept inside its cell, and no other
    assert download.suggested_filename == "orders-shipped.csv"
    rows = csv_rows(download)
    exported: dict[str, Any] = {row["order_id"]: row for row in rows}
    assert {row["status"] for row in rows} == {"shipped"}
    assert pending["order_id"] not in exported
    assert exported[shipped["order_id"]]["products"] == f"2 x {product['name']}"
    assert exported[shipped["order_id"]]["customer"] == shopper.username
    expect(admin_app.notice).to_contain_text(f"Exported {len(rows)}")


def test_the_admin_finds_a_customers_orders_by_username(
    admin_app: ShopApp,
    stack: RunningStack,
    shopper: Tokens,
    other_shopper: Tokens,
    product: dict[str, Any],
) -> None:
    # Given orders of two shoppers
    wanted = place_order(stack, shopper, product, 1)
    place_order(stack, other_shopper, product, 1)
    # When the admin types one shopper's username on the Orders page
    admin_app.go_to("Orders")
    admin_app.page.get_by_label("Customer").fill(shopper.username)
    # Then only that shopper's orders are listed, and the address keeps the search
    rows = admin_app.page.locator(".paged-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(wanted["order_id"])
    assert f"customer={shopper.username}" in admin_app.page.url
    # and a username the shop does not have is said so
    admin_app.page.get_by_label("Customer").fill(f"{shopper.username}-nobody")
    expect(admin_app.page.locator(".list-state")).to_have_text(
        f"No customer is called “{shopper.username}-nobody”: check the username."
    )
