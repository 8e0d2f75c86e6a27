"""The config vault over HTTP, as a user of `make run` would use it: a change made through
the printed AWS endpoint with boto3 (as the console makes it) becomes a new version; compare,
roll back (and 409 on a stale ETag), copy, delete and recreate; each role's routes."""

from typing import Any
from uuid import uuid4

import boto3
import pytest

from tests.builders.distributions import console_change, distribution_config
from tests.e2e.stack import ApiClient, RunningStack

DISTRIBUTIONS = "/vault/distributions"


@pytest.fixture(scope="module")
def console(stack: RunningStack) -> Any:
    """CloudFront at the AWS endpoint the local stack prints, as the console would use it."""
    return boto3.client("cloudfront", endpoint_url=stack.emulator_url, region_name="us-east-1")


@pytest.fixture(scope="module")
def editor(stack: RunningStack) -> ApiClient:
    return stack.client_for(stack.new_member("editor"))


@pytest.fixture(scope="module")
def viewer(stack: RunningStack) -> ApiClient:
    return stack.client_for(stack.new_member("viewer"))


@pytest.fixture
def distribution(console: Any, editor: ApiClient) -> str:
    """A distribution made in the console, at version 1 in the vault."""
    alias = f"e2e-{uuid4().hex[:8]}.shop.example"
    created = console.create_distribution(
        DistributionConfig=distribution_config(f"e2e-{uuid4()}", comment="one", aliases=(alias,))
    )
    distribution_id: str = created["Distribution"]["Id"]
    response = editor.post(f"{DISTRIBUTIONS}/{distribution_id}/versions", {"note": "first"})
    assert response.status_code == 201, response.text
    return distribution_id


def test_make_run_keeps_version_one_of_the_shops_distribution_and_two_samples(
    viewer: ApiClient,
) -> None:
    listed = viewer.get(DISTRIBUTIONS, params={"limit": "100"}).json()

    owned = [item for item in listed if item["stack"] == "shop-dev-bootstrap"]
    samples = [item for item in listed if item["comment"].startswith("Sample:")]
    assert len(owned) == 1
    assert len(samples) == 2
    assert all(item["current_version"] >= 1 for item in owned + samples)


def test_a_console_change_is_versioned_compared_and_rolled_back(
    console: Any, editor: ApiClient, distribution: str
) -> None:
    versions = f"{DISTRIBUTIONS}/{distribution}/versions"
    # Given a change made in the console, which the vault records as version 2
    seen = console_change(console, distribution, Comment="two")
    captured = editor.post(versions, {})
    assert (captured.status_code, captured.json()["version"]["version"]) == (201, 2)
    # When the editor compares versions 1 and 2
    diff = editor.get(f"{DISTRIBUTIONS}/{distribution}/diff", params={"from": "1", "to": "2"})
    assert diff.json()["patch"] == [{"op": "replace", "path": "/Comment", "value": "two"}]
    # and someone changes it again before the editor rolls back with the ETag they saw
    console_change(console, distribution, Comment="three")
    stale = editor.post(
        f"{DISTRIBUTIONS}/{distribution}/rollback", {"version": 1, "expected_etag": seen}
    )
    assert stale.status_code == 409
    assert "config/Comment" in [error["field"] for error in stale.json()["errors"]]
    # Then, with the ETag now, the rollback puts version 1 back as a new version
    etag = console.get_distribution(Id=distribution)["ETag"]
    rolled = editor.post(
        f"{DISTRIBUTIONS}/{distribution}/rollback", {"version": 1, "expected_etag": etag}
    )
    assert rolled.status_code == 202, rolled.text
    assert console.get_distribution_config(Id=distribution)["DistributionConfig"]["Comment"] == (
        "one"
    )
    newest = editor.get(versions).json()[0]
    assert (newest["version"], newest["source"], newest["rolled_back_from"]) == (
        4,
        "rolled-back",
        1,
    )


def test_a_version_is_copied_onto_another_distribution(
    console: Any, editor: ApiClient, distribution: str
) -> None:
    target = console.create_distribution(
        DistributionConfig=distribution_config(f"e2e-{uuid4()}", comment="target")
    )
    target_id = target["Distribution"]["Id"]

    copied = editor.post(
        f"{DISTRIBUTIONS}/{distribution}/versions/1/copy",
        {"target_id": target_id, "expected_etag": target["ETag"]},
    )

    assert copied.status_code == 202, copied.text
    config = console.get_distribution_config(Id=target_id)["DistributionConfig"]
    assert config["Comment"] == "one"
    assert config["Aliases"]["Quantity"] == 0  # the target keeps its own (none)


def test_a_deleted_distribution_is_recreated_from_its_version(
    console: Any, editor: ApiClient, viewer: ApiClient, distribution: str
) -> None:
    # Given the distribution disabled and deleted in the console
    etag = console_change(console, distribution, Enabled=False)
    console.get_distribution(Id=distribution)
    console.delete_distribution(Id=distribution, IfMatch=etag)
    # When the vault looks at it, it is marked deleted
    assert editor.post(f"{DISTRIBUTIONS}/{distribution}/versions", {}).status_code == 404
    deleted = viewer.get(DISTRIBUTIONS, params={"state": "deleted", "limit": "100"}).json()
    assert distribution in [item["distribution_id"] for item in deleted]
    # Then it is created again from version 1, with its alias
    created = editor.post(DISTRIBUTIONS, {"source_id": distribution, "version": 1})
    assert created.status_code == 201, created.text
    config = console.get_distribution_config(Id=created.json()["distribution_id"])
    assert config["DistributionConfig"]["Comment"] == "one"
    assert created.json()["aliases_left_out"] == []


def test_a_viewer_reads_but_cannot_change(viewer: ApiClient, distribution: str) -> None:
    assert viewer.get(f"{DISTRIBUTIONS}/{distribution}/versions").status_code == 200
    assert viewer.post(f"{DISTRIBUTIONS}/{distribution}/versions", {}).status_code == 403


def test_a_shopper_cannot_read_the_vault(shopper: ApiClient) -> None:
    assert shopper.get(DISTRIBUTIONS).status_code == 403


# Each vault route with a body, a body with one wrong field, and the field its 400 names:
# the function validates the body (API Gateway's own 400 could name only `body`).
WRONG_FIELDS = {
    "capture": ("{d}/versions", {"note": 5}, "note"),
    "rollback": ("{d}/rollback", {"version": "x", "expected_etag": "E1"}, "version"),
    "copy": ("{d}/versions/1/copy", {"target_id": 7, "expected_etag": "E1"}, "target_id"),
    "create": ("", {"source_id": "{d}", "version": 0}, "version"),
}


@pytest.mark.parametrize("route", WRONG_FIELDS)
def test_a_wrong_field_in_a_vault_body_is_named(
    editor: ApiClient, distribution: str, route: str
) -> None:
    # Given a body with one wrong field for one of the vault's routes
    path, body, field = WRONG_FIELDS[route]
    sent = {
        key: value.format(d=distribution) if isinstance(value, str) else value
        for key, value in body.items()
    }
    # When an editor sends it
    response = editor.post(f"{DISTRIBUTIONS}/{path.format(d=distribution)}".rstrip("/"), sent)
    # Then the 400 names that field
    assert response.status_code == 400, response.text
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize(("query", "missing"), [({"from": "1"}, "to"), ({"to": "1"}, "from")])
def test_a_diff_without_one_of_its_versions_is_a_400_naming_it(
    viewer: ApiClient, distribution: str, query: dict[str, str], missing: str
) -> None:
    response = viewer.get(f"{DISTRIBUTIONS}/{distribution}/diff", params=query)

    assert response.status_code == 400, response.text
    assert [error["field"] for error in response.json()["errors"]] == [missing]


def test_a_bad_notification_address_is_named_by_its_event_and_index(admin: ApiClient) -> None:
    # Given an admin's lists with one address that is not one
    lists = {"version_detected": ["ops@example.com", "not an address"]}
    # When they are saved
    response = admin.post("/vault/notifications", lists)
    # Then the 400 names the event's list and the index
    assert response.status_code == 400, response.text
    assert [error["field"] for error in response.json()["errors"]] == ["version_detected.1"]
