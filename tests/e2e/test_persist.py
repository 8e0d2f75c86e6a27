"""`--persist`: what a first run created is there after a restart, and nothing twice."""

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import requests

from tests.e2e.stack import RunningStack, local_stack

# The vault's detection function logs this when a run is over.
DETECTION_FINISHED = re.compile(r'"message":"Detection finished"')


def test_data_and_users_survive_a_restart_with_persist(tmp_path: Path) -> None:
    arguments = ("--persist", "--state-dir", str(tmp_path))
    # Given a first run where a shopper signed up and the admin added a product
    with local_stack(*arguments) as first:
        shopper = first.new_shopper("keeper")
        admin = first.client_for(first.sign_in(first.admin_username, first.admin_password))
        created = admin.post("/product", {"name": "Kept kettle", "price": 40})
        assert created.status_code == 201
        products_before = admin.get("/products", params={"limit": 100}).json()
    # When the stack is stopped (Ctrl-C) and started again with the same state
    with local_stack(*arguments) as second:
        # Then the shopper signs in with the same password, the product is still there,
        # and the sample products were not added a second time
        tokens = second.sign_in(shopper.username)
        products_after = second.client_for(tokens).get("/products", params={"limit": 100}).json()
        assert sorted(p["product_id"] for p in products_after) == sorted(
            p["product_id"] for p in products_before
        )
        assert second.config["userPoolId"] == first.config["userPoolId"]


def test_the_vaults_distributions_are_still_there_after_a_restart_with_persist(
    tmp_path: Path,
) -> None:
    arguments = ("--persist", "--state-dir", str(tmp_path))
    # Given a first run, whose vault captured the shop's web distribution and the samples
    with local_stack(*arguments) as first:
        before = vault_distributions(first, "active")
    # When the stack is started again with the same state and the vault's hourly detection runs
    with local_stack(*arguments) as second:
        run_the_hourly_detection(second)
        after = vault_distributions(second, "active")
        deleted = vault_distributions(second, "deleted")
        cloudfront = boto3.client(
            "cloudfront", endpoint_url=second.emulator_url, region_name="us-east-1"
        )
        listed = cloudfront.list_distributions()["DistributionList"]["Items"]
    # Then the vault still has them all active, with the same ids, as CloudFront does
    assert (after, deleted) == (before, [])
    assert sorted(item["Id"] for item in listed) == before


def vault_distributions(stack: RunningStack, state: str) -> list[str]:
    """The ids of the vault's distributions in `state`, as the admin lists them."""
    admin = stack.client_for(stack.sign_in(stack.admin_username, stack.admin_password))
    listed = admin.get("/vault/distributions", params={"state": state})
    assert listed.status_code == 200, listed.text
    return sorted(d["distribution_id"] for d in listed.json())


def run_the_hourly_detection(stack: RunningStack) -> None:
    """The scheduler's clock moved an hour ahead; back when the detection run is over."""
    start = len(stack.output.lines)
    moved = requests.post(
        f"{stack.emulator_url}/_local/scheduler/clock", json={"advance_seconds": 3600}, timeout=10
    )
    assert moved.status_code == 200, moved.text
    stack.output.wait_for(DETECTION_FINISHED, 60, start)


def test_state_saved_by_an_older_shop_is_migrated_at_start(tmp_path: Path) -> None:
    arguments = ("--persist", "--state-dir", str(tmp_path))
    # Given a saved state holding an order as the original system stored it: one product at the top
    # level, the owner by username only, no history, no listing keys, no lines
    with local_stack(*arguments) as first:
        shopper = first.new_shopper("veteran")
        order_id = str(uuid.uuid4())
        first.dynamodb.put_item(
            TableName=first.table_name("OrdersTable"),
            Item=one_line_form_order_item(order_id, shopper.username),
        )
    # When the shop starts again on that state
    with local_stack(*arguments) as second:
        # Then the shopper finds the order in their listing, in today's shape
        listed = second.client_for(second.sign_in(shopper.username)).get("/orders").json()
        (order,) = [order for order in listed if order["order_id"] == order_id]
        assert order["lines"] == [
            {
                "product_id": ONE_LINE_PRODUCT_ID,
                "product_name": "Old kettle",
                "unit_price": 12.5,
                "quantity": 2,
                "line_total": 25,
            }
        ]
        assert (order["total_price"], order["currency"]) == (25, "EUR")
        assert [change["status"] for change in order["history"]] == ["pending"]


ONE_LINE_PRODUCT_ID = "0b6f3c1e-2f4a-4c55-9a0e-7d1f2b3c4d5e"


def one_line_form_order_item(order_id: str, username: str) -> dict[str, Any]:
    """An order in the one-line form, as the original system wrote it (DynamoDB's typed form)."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "order_id": {"S": order_id},
        "username": {"S": username},
        "product_id": {"S": ONE_LINE_PRODUCT_ID},
        "product_name": {"S": "Old kettle"},
        "unit_price": {"N": "12.5"},
        "quantity": {"N": "2"},
        "total_price": {"N": "25"},
        "status": {"S": "pending"},
        "created_at": {"S": now},
        "updated_at": {"S": now},
        "version": {"N": "1"},
    }
