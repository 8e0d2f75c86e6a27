"""A shopper in the browser: ordering, following, cancelling and re-ordering their orders."""

import re
from typing import Any

import pytest
from playwright.sync_api import Route, expect

from tests.e2e.stack import ApiClient, RunningStack, Tokens
from tests.web.data import change_status, place_order
from tests.web.shop_app import COLD_START_MS, TIMES, ShopApp, status_of


def test_a_shopper_orders_a_product_and_sees_the_order(
    app: ShopApp, stack: RunningStack, shopper: Tokens, product: dict[str, Any]
) -> None:
    # Given a signed-in shopper on the Products page
    app.sign_in(shopper.username)
    app.go_to("Products")
    # When they order three of a product
    app.order(product["name"], 3)
    # Then their Orders page shows it pending, with the total the server computed
    app.go_to("Orders")
    expect(app.heading).to_have_text("Your orders")
    row = app.find_row(product["name"])
    expect(row).to_contain_text("Pending")
    expect(row.locator('td[data-label="Items"]')).to_have_text("3")
    expect(row.locator('td[data-label="Total"]')).to_have_text("€37.50")
    assert len(stack.orders_of(shopper.username)) == 1


@pytest.fixture
def pending_order(
    app: ShopApp, stack: RunningStack, shopper: Tokens, product: dict[str, Any]
) -> dict[str, Any]:
    """A shopper's pending order of two of `product`, the shopper on their Orders page."""
    order = place_order(stack, shopper, product, 2)
    app.sign_in(shopper.username)
    app.go_to("Orders")
    return order


def test_a_shopper_cancels_their_pending_order(app: ShopApp, pending_order: dict[str, Any]) -> None:
    # Given a shopper's pending order
    order = pending_order
    # When they cancel it and confirm
    app.click_in_row(app.order_row(order), "Cancel")
    app.confirm("Cancel order")
    # Then it is cancelled, and the only thing left to do with it is to order it again
    expect(app.notice).to_contain_text("is now cancelled")
    row = app.order_row(order)
    expect(row.locator(".badge")).to_have_text("Cancelled")
    assert app.row_buttons(row) == ["Order again"]


def test_cancelling_an_order_shipped_meanwhile_from_the_list_says_it_changed(
    app: ShopApp, admin_api: ApiClient, pending_order: dict[str, Any]
) -> None:
    # Given a shopper's pending order on their Orders page, which the admin ships meanwhile
    order = pending_order
    row = app.order_row(order)
    change_status(admin_api, order, "shipped")
    # When the shopper cancels it and confirms (the API: only the admin cancels it now)
    app.click_in_row(row, "Cancel")
    app.confirm("Cancel order")
    # Then they are told it changed meanwhile, and the list shows it shipped
    expect(app.notice).to_contain_text(f"Order {order['order_id'][:8]} changed meanwhile")
    expect(app.order_row(order).locator(".badge")).to_have_text("Shipped")


def test_cancelling_an_order_shipped_meanwhile_on_its_page_says_it_changed(
    app: ShopApp, admin_api: ApiClient, pending_order: dict[str, Any]
) -> None:
    # Given a shopper on the page of their pending order, which the admin ships meanwhile
    order = pending_order
    app.open(f"/order?id={order['order_id']}")
    expect(app.page.locator(".order-facts")).to_contain_text("Pending", timeout=COLD_START_MS)
    change_status(admin_api, order, "shipped")
    # When the shopper cancels it and confirms
    app.page.get_by_role("button", name="Cancel order").click()
    app.confirm("Cancel order")
    # Then they are told it changed meanwhile, and the page shows it shipped
    expect(app.notice).to_have_text("This order changed meanwhile: here it is as it is now.")
    expect(app.page.locator(".order-facts .badge")).to_have_text("Shipped")


def test_a_shopper_who_thinks_again_keeps_the_order(
    app: ShopApp, pending_order: dict[str, Any]
) -> None:
    # Given a shopper's pending order
    order = pending_order
    # When they start cancelling it but keep it
    app.click_in_row(app.order_row(order), "Cancel")
    app.confirm("Keep order")
    # Then it is still pending
    assert status_of(app.order_row(order)) == "Pending"


def test_a_shopper_orders_a_cancelled_order_again(
    app: ShopApp, stack: RunningStack, shopper: Tokens, product: dict[str, Any]
) -> None:
    # Given a shopper's cancelled order of two of a product
    order = place_order(stack, shopper, product, 2)
    change_status(stack.client_for(shopper), order, "cancelled")
    app.sign_in(shopper.username)
    app.go_to("Orders")
    # When they order it again
    app.click_in_row(app.order_row(order), "Order again")
    # Then the cart holds the same product and quantity, for review: nothing is ordered yet
    expect(app.heading).to_have_text("Your cart")
    expect(app.page.get_by_label(f"Quantity of {product['name']}")).to_have_value("2")
    assert len(stack.orders_of(shopper.username)) == 1


def test_a_shopper_orders_a_delivered_order_again(
    app: ShopApp,
    stack: RunningStack,
    shopper: Tokens,
    admin_api: ApiClient,
    product: dict[str, Any],
) -> None:
    # Given a shopper's delivered order
    order = place_order(stack, shopper, product, 1)
    change_status(admin_api, order, "shipped")
    change_status(admin_api, order, "delivered")
    app.sign_in(shopper.username)
    app.go_to("Orders")
    # When they order it again
    app.click_in_row(app.order_row(order), "Order again")
    # Then the product is in the cart, the price as it is now, for review
    expect(app.heading).to_have_text("Your cart")
    expect(app.page.locator("[data-cart-total]")).to_have_text("Total: €12.50")
    assert len(stack.orders_of(shopper.username)) == 1


def test_another_shopper_does_not_see_the_order(
    app: ShopApp,
    stack: RunningStack,
    shopper: Tokens,
    other_shopper: Tokens,
    product: dict[str, Any],
) -> None:
    # Given a shopper's order
    place_order(stack, shopper, product, 1)
    # When another shopper opens their Orders page
    app.sign_in(other_shopper.username)
    app.go_to("Orders")
    # Then they see none of it
    app.table_loaded()
    expect(app.page.get_by_text(product["name"])).to_have_count(0)
    expect(app.page.get_by_text("You have no orders yet")).to_be_visible()


def test_a_shopper_is_offered_no_admin_action(
    app: ShopApp,
    stack: RunningStack,
    shopper: Tokens,
    shipped_order: dict[str, Any],
    product: dict[str, Any],
) -> None:
    # Given a shopper with a pending and a shipped order
    pending = place_order(stack, shopper, product, 1)
    app.sign_in(shopper.username)
    # When they look at the products and their orders
    app.go_to("Products")
    product_actions = set(app.row_buttons(app.find_row(product["name"])))
    add_buttons = app.page.get_by_role("button", name="Add product").count()
    app.go_to("Orders")
    pending_actions = app.row_buttons(app.order_row(pending))
    shipped_actions = app.row_buttons(app.order_row(shipped_order))
    # Then only a shopper's actions are offered: order, and cancel while pending
    assert product_actions == {"Order", "Add to cart"}
    assert add_buttons == 0
    assert pending_actions == ["Cancel"]
    assert shipped_actions == []
    expect(app.page.get_by_label("Status")).to_have_count(0)
    expect(app.page.get_by_role("columnheader", name="Customer")).to_have_count(0)


def test_a_quantity_out_of_range_is_shown_beside_the_quantity(
    app: ShopApp, stack: RunningStack, shopper: Tokens, product: dict[str, Any]
) -> None:
    # Given a shopper ordering a product
    app.sign_in(shopper.username)
    app.go_to("Products")
    app.find_row(product["name"]).get_by_role("button", name="Order").click()
    # When they ask for more than the API allows
    app.dialog.get_by_label("Quantity").fill("1001")
    app.dialog.get_by_role("button", name="Place order").click()
    # Then the reason is shown beside the field, which is marked invalid and described by it,
    # and nothing was ordered
    error = app.field_error("Quantity", app.dialog)
    expect(error).to_have_text("Order from 1 to 1000 items.")
    quantity = app.dialog.get_by_label("Quantity")
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(quantity).to_have_accessible_description(re.compile("Order from 1 to 1000 items"))
    expect(quantity).to_be_focused()
    assert stack.orders_of(shopper.username) == []


def test_an_order_retried_after_a_lost_response_is_placed_once(
    app: ShopApp, stack: RunningStack, shopper: Tokens, product: dict[str, Any]
) -> None:
    # Given a shopper whose first order request reaches the shop but whose answer is lost
    keys: list[str] = []

    def lose_first_answer(route: Route) -> None:
        keys.append(route.request.headers["idempotency-key"])
        response = route.fetch()
        if len(keys) == 1:
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    app.page.route(re.compile(r".*/order$"), lose_first_answer)
    app.sign_in(shopper.username)
    app.go_to("Products")
    app.find_row(product["name"]).get_by_role("button", name="Order").click()
    app.fill_address(app.dialog)
    app.dialog.get_by_label("Quantity").fill("2")
    app.dialog.get_by_role("button", name="Place order").click()
    expect(app.dialog.get_by_role("alert")).to_contain_text("could not be reached")
    # When they press "Place order" again
    app.dialog.get_by_role("button", name="Place order").click()
    # Then both requests carried the same Idempotency-Key and the shop holds one order
    expect(app.notice).to_contain_text(f"Order placed: 2 {TIMES} {product['name']}")
    assert len(keys) == 2
    assert keys[0] == keys[1]
    assert len(stack.orders_of(shopper.username)) == 1


def test_each_new_order_gets_its_own_idempotency_key(
    app: ShopApp, shopper: Tokens, product: dict[str, Any]
) -> None:
    # Given a shopper on the Products page
    app.sign_in(shopper.username)
    app.go_to("Products")
    # When they place two orders of the same product and quantity
    keys = [app.order(product["name"], 1).request.headers["idempotency-key"] for _ in range(2)]
    # Then each carried a fresh random UUID, so the second is not taken for a retry
    assert keys[0] != keys[1]
    assert all(re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", key) for key in keys)
