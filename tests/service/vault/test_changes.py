"""Rollback, copy, create and deletion through the vault's functions, against the faithful
CloudFront: what the vault puts back is what CloudFront then holds, and a change made after
the version a user looked at is never overwritten."""

from collections import Counter
from http import HTTPStatus
from typing import Any
from uuid import uuid4

from tests.builders.callers import EDITOR, VIEWER, Caller
from tests.builders.together import all_at_once
from tests.service.vault.conftest import Vault
from tests.service.vault.support import VERSIONS, answer, call, capture, create_from

ROLLBACK = "/vault/distributions/{distribution_id}/rollback"
CREATIONS_AT_ONCE = 6


def captured(vault: Vault, distribution_id: str) -> None:
    response = capture(vault, distribution_id)
    assert response["statusCode"] in {HTTPStatus.OK, HTTPStatus.CREATED}, response["body"]


def two_versions(vault: Vault) -> tuple[str, str]:
    """A distribution at version 1 (comment "one") and 2 (comment "two"): its id and ETag."""
    distribution_id, _ = vault.distribution(comment="one")
    captured(vault, distribution_id)
    etag = vault.change(distribution_id, Comment="two")
    captured(vault, distribution_id)
    return distribution_id, etag


def rollback(
    vault: Vault, distribution_id: str, body: dict[str, Any], caller: Caller = EDITOR
) -> dict[str, Any]:
    return call(
        vault.handler("RollbackVaultDistributionFunction"),
        "POST",
        ROLLBACK,
        caller=caller,
        body=body,
        distribution_id=distribution_id,
    )


def config_of(vault: Vault, distribution_id: str) -> dict[str, Any]:
    config: dict[str, Any] = vault.cloudfront.get_distribution_config(Id=distribution_id)[
        "DistributionConfig"
    ]
    return config


def test_a_rollback_puts_the_version_back_with_a_new_etag(vault: Vault) -> None:
    # Given versions 1 and 2, the user having read ETag `etag`
    distribution_id, etag = two_versions(vault)

    # When they roll back to version 1
    response = rollback(vault, distribution_id, {"version": 1, "expected_etag": etag})

    # Then CloudFront holds version 1's configuration again, as version 3 with a new ETag
    assert response["statusCode"] == HTTPStatus.ACCEPTED, response["body"]
    now = vault.cloudfront.get_distribution_config(Id=distribution_id)
    assert now["DistributionConfig"]["Comment"] == "one"
    assert answer(response)["etag"] == now["ETag"] != etag
    version = answer(response)["version"]
    assert (version["version"], version["source"], version["rolled_back_from"]) == (
        3,
        "rolled-back",
        1,
    )


def test_a_rollback_to_the_current_configuration_is_a_200_that_changes_nothing(
    vault: Vault,
) -> None:
    # Given versions 1 and 2, the user having read ETag `etag`
    distribution_id, etag = two_versions(vault)

    # When they roll back to version 2, the configuration it has
    response = rollback(vault, distribution_id, {"version": 2, "expected_etag": etag})

    # Then the answer is 200, version 2 and the same ETag: CloudFront was not updated
    assert response["statusCode"] == HTTPStatus.OK, response["body"]
    body = answer(response)
    assert (body["version"]["version"], body["created"], body["etag"]) == (2, False, etag)
    assert vault.cloudfront.get_distribution_config(Id=distribution_id)["ETag"] == etag


def test_a_rollback_on_a_stale_etag_is_a_409_naming_the_change(vault: Vault) -> None:
    # Given someone changed the distribution after the user read ETag `etag`
    distribution_id, etag = two_versions(vault)
    vault.change(distribution_id, Comment="three")

    # When the user rolls back with the ETag they saw
    response = rollback(vault, distribution_id, {"version": 1, "expected_etag": etag})

    # Then nothing is overwritten, and the answer says what changed
    assert response["statusCode"] == HTTPStatus.CONFLICT
    fields = [error["field"] for error in answer(response)["errors"]]
    assert fields == ["expected_etag", "config/Comment"]
    assert config_of(vault, distribution_id)["Comment"] == "three"


def test_a_rollback_names_a_policy_that_no_longer_exists(vault: Vault) -> None:
    # Given version 2 used a response headers policy, deleted since
    policy = vault.cloudfront.create_response_headers_policy(
        ResponseHeadersPolicyConfig={
            "Name": f"headers-{uuid4().hex[:8]}",
            "SecurityHeadersConfig": {"ContentTypeOptions": {"Override": True}},
        }
    )["ResponseHeadersPolicy"]["Id"]
    distribution_id, _ = vault.distribution()
    captured(vault, distribution_id)
    plain = config_of(vault, distribution_id)["DefaultCacheBehavior"]
    vault.change(distribution_id, DefaultCacheBehavior={**plain, "ResponseHeadersPolicyId": policy})
    captured(vault, distribution_id)
    etag = vault.change(distribution_id, DefaultCacheBehavior=plain)
    vault.cloudfront.delete_response_headers_policy(Id=policy, IfMatch="any")

    # When the user rolls back to version 2
    response = rollback(vault, distribution_id, {"version": 2, "expected_etag": etag})

    # Then 422 names the field that refers to it, and nothing changed
    assert response["statusCode"] == HTTPStatus.UNPROCESSABLE_ENTITY, response["body"]
    assert [error["field"] for error in answer(response)["errors"]] == [
        "config.DefaultCacheBehavior.ResponseHeadersPolicyId"
    ]
    assert (
        "ResponseHeadersPolicyId" not in config_of(vault, distribution_id)["DefaultCacheBehavior"]
    )


def test_a_viewer_cannot_roll_back(vault: Vault) -> None:
    distribution_id, etag = two_versions(vault)

    response = rollback(vault, distribution_id, {"version": 1, "expected_etag": etag}, VIEWER)

    assert response["statusCode"] == HTTPStatus.FORBIDDEN
    assert config_of(vault, distribution_id)["Comment"] == "two"


def test_a_bad_rollback_body_names_its_field(vault: Vault) -> None:
    response = rollback(vault, "E1EXAMPLE", {"version": 0, "expected_etag": "E1"})

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert [error["field"] for error in answer(response)["errors"]] == ["version"]


def test_a_copy_keeps_the_targets_own_reference_and_aliases(vault: Vault) -> None:
    # Given a source at versions 1 and 2, and a target with an alias of its own
    source_id, _ = two_versions(vault)
    alias = f"target-{uuid4().hex[:8]}.example.com"
    target_id, target_etag = vault.distribution(comment="target", aliases=(alias,))
    reference = config_of(vault, target_id)["CallerReference"]

    # When version 1 of the source is copied onto it
    response = call(
        vault.handler("CopyVaultVersionFunction"),
        "POST",
        VERSIONS + "/{version}/copy",
        body={"target_id": target_id, "expected_etag": target_etag},
        distribution_id=source_id,
        version="1",
    )

    # Then the target has the source's configuration but its own reference and alias
    assert response["statusCode"] == HTTPStatus.ACCEPTED, response["body"]
    config = config_of(vault, target_id)
    assert config["Comment"] == "one"
    assert (config["CallerReference"], config["Aliases"]["Items"]) == (reference, [alias])
    assert answer(response)["version"]["source"] == "copied"


def test_a_deleted_distribution_is_marked_and_can_be_created_again(vault: Vault) -> None:
    # Given a captured distribution, disabled and deleted in the console
    alias = f"shop-{uuid4().hex[:8]}.example.com"
    distribution_id, _ = vault.distribution(aliases=(alias,))
    captured(vault, distribution_id)
    vault.delete(distribution_id)

    # When the vault looks at it again, and the user creates it again from version 1
    gone = capture(vault, distribution_id)
    deleted = call(
        vault.handler("GetVaultDistributionsFunction"),
        "GET",
        "/vault/distributions",
        caller=VIEWER,
        query={"state": "deleted"},
    )
    created = create_from(vault, distribution_id)

    # Then it was marked deleted, and a new distribution has its configuration and alias
    assert gone["statusCode"] == HTTPStatus.NOT_FOUND
    assert distribution_id in [item["distribution_id"] for item in answer(deleted)]
    assert created["statusCode"] == HTTPStatus.CREATED, created["body"]
    config = config_of(vault, answer(created)["distribution_id"])
    assert config["Aliases"]["Items"] == [alias]
    assert answer(created)["aliases_left_out"] == []
    assert answer(created)["version"]["source"] == "created"


def test_create_leaves_out_an_alias_another_distribution_holds(vault: Vault) -> None:
    alias = f"held-{uuid4().hex[:8]}.example.com"
    distribution_id, _ = vault.distribution(aliases=(alias,))
    captured(vault, distribution_id)

    created = create_from(vault, distribution_id)

    assert created["statusCode"] == HTTPStatus.CREATED, created["body"]
    assert answer(created)["aliases_left_out"] == [alias]
    assert config_of(vault, answer(created)["distribution_id"])["Aliases"]["Quantity"] == 0


def test_creations_at_once_from_one_version_each_succeed_and_one_takes_the_alias(
    vault: Vault,
) -> None:
    # Given a captured distribution with an alias, disabled and deleted in the console
    alias = f"raced-{uuid4().hex[:8]}.example.com"
    distribution_id, _ = vault.distribution(aliases=(alias,))
    captured(vault, distribution_id)
    vault.delete(distribution_id)

    # When six users create a distribution from its version 1 at once
    created = all_at_once(CREATIONS_AT_ONCE, lambda _: create_from(vault, distribution_id))

    # Then each is created, one of them with the alias and the others saying it was held
    assert Counter(response["statusCode"] for response in created) == {
        HTTPStatus.CREATED: CREATIONS_AT_ONCE
    }, [response["body"] for response in created]
    left_out = Counter(tuple(answer(response)["aliases_left_out"]) for response in created)
    assert left_out == {(): 1, (alias,): CREATIONS_AT_ONCE - 1}
