"""The audit trail and the notification lists through the vault's functions, on the table
built from bootstrap/template.yaml: entries newest first in pages, one distribution's through
its index, each change's outcome; the lists an admin saves are those a viewer reads."""

from http import HTTPStatus
from typing import Any

from tests.builders.callers import ADMIN, EDITOR, VIEWER
from tests.builders.events import next_cursor
from tests.service.vault.conftest import Vault
from tests.service.vault.support import answer, call, capture, create_from

AUDIT = "/vault/audit"
NOTIFICATIONS = "/vault/notifications"


def audit_page(vault: Vault, **query: str) -> dict[str, Any]:
    return call(vault.handler("GetVaultAuditFunction"), "GET", AUDIT, caller=VIEWER, query=query)


def test_the_trail_lists_each_change_newest_first_in_pages(vault: Vault) -> None:
    # Given three captures of two distributions
    first, _ = vault.distribution(comment="one")
    second, _ = vault.distribution(comment="two")
    for distribution_id in (first, second, first):
        assert capture(vault, distribution_id)["statusCode"] in {HTTPStatus.OK, HTTPStatus.CREATED}

    # When a viewer reads the trail two entries at a time
    page = audit_page(vault, limit="2")
    rest = audit_page(vault, limit="2", cursor=next_cursor(page) or "")

    # Then the newest come first, each with who, what and its outcome
    entries = answer(page) + answer(rest)
    assert [entry["distribution_id"] for entry in entries] == [first, second, first]
    assert [entry["result"] for entry in entries] == [
        "unchanged at version 1",
        "version 1",
        "version 1",
    ]
    assert {(entry["who"], entry["action"], entry["outcome"]) for entry in entries} == {
        (EDITOR.username, "capture", "succeeded")
    }
    assert next_cursor(rest) is None


def test_one_distributions_trail_comes_from_its_index(vault: Vault) -> None:
    first, _ = vault.distribution(comment="one")
    second, _ = vault.distribution(comment="two")
    capture(vault, first)
    capture(vault, second)

    response = audit_page(vault, distribution_id=second)

    assert response["statusCode"] == HTTPStatus.OK, response["body"]
    assert [entry["distribution_id"] for entry in answer(response)] == [second]


def test_a_creation_is_in_the_new_distributions_trail_and_its_sources_and_once_in_all(
    vault: Vault,
) -> None:
    # Given a distribution created from version 1 of `source`
    source, _ = vault.distribution(comment="source")
    capture(vault, source)
    created = create_from(vault, source)
    assert created["statusCode"] == HTTPStatus.CREATED, created["body"]
    new_id = answer(created)["distribution_id"]

    # When a viewer reads the new one's trail, the source's and the whole trail
    of_new = answer(audit_page(vault, distribution_id=new_id))
    of_source = answer(audit_page(vault, distribution_id=source))
    whole = answer(audit_page(vault))

    # Then the creation is in each, once
    (entry,) = of_new
    assert (entry["action"], entry["distribution_id"], entry["source_id"]) == (
        "create",
        new_id,
        source,
    )
    assert [e["action"] for e in of_source] == ["create", "capture"]
    assert [e["entry_id"] for e in whole].count(entry["entry_id"]) == 1


def test_a_capture_of_a_distribution_cloudfront_lacks_is_failed_with_its_reason(
    vault: Vault,
) -> None:
    capture(vault, "EMISSING1")

    (entry,) = answer(audit_page(vault))
    assert entry["outcome"] == "failed"
    assert entry["reason"].startswith("CloudFront has no distribution EMISSING1")


def test_a_bad_filter_is_a_400_naming_it(vault: Vault) -> None:
    response = audit_page(vault, distribution_id="not-an-id")

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert [error["field"] for error in answer(response)["errors"]] == ["distribution_id"]


def test_the_lists_an_admin_saves_are_those_a_viewer_reads(vault: Vault) -> None:
    lists = {"version_detected": ["ops@example.com"], "detection_failed": ["oncall@example.com"]}

    saved = call(
        vault.handler("SetVaultNotificationsFunction"),
        "POST",
        NOTIFICATIONS,
        caller=ADMIN,
        body=lists,
    )
    read = call(vault.handler("GetVaultNotificationsFunction"), "GET", NOTIFICATIONS, caller=VIEWER)

    assert saved["statusCode"] == read["statusCode"] == HTTPStatus.OK, saved["body"]
    assert answer(read) == answer(saved)
    assert answer(read)["version_detected"] == ["ops@example.com"]
    assert answer(read)["distribution_changed"] == []


def test_an_invalid_address_is_a_400_naming_its_event_and_index_and_saves_nothing(
    vault: Vault,
) -> None:
    response = call(
        vault.handler("SetVaultNotificationsFunction"),
        "POST",
        NOTIFICATIONS,
        caller=ADMIN,
        body={"users_changed": ["ops@example.com", "ops@"]},
    )

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert [error["field"] for error in answer(response)["errors"]] == ["users_changed.1"]
    read = call(vault.handler("GetVaultNotificationsFunction"), "GET", NOTIFICATIONS, caller=VIEWER)
    assert answer(read)["users_changed"] == []


def test_an_editor_cannot_change_the_lists(vault: Vault) -> None:
    response = call(
        vault.handler("SetVaultNotificationsFunction"),
        "POST",
        NOTIFICATIONS,
        caller=EDITOR,
        body={"users_changed": ["ops@example.com"]},
    )

    assert response["statusCode"] == HTTPStatus.FORBIDDEN
