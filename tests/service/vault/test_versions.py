"""Capturing, listing, reading and comparing versions, against the faithful CloudFront."""

from dataclasses import replace
from http import HTTPStatus
from typing import Any

from tests.builders.callers import VIEWER
from tests.builders.distributions import s3_origin
from tests.builders.vault import record_at_once
from tests.service.vault.conftest import Vault
from tests.service.vault.support import VERSIONS, answer, call, capture
from vault import logic
from vault.models import Distribution, Source


def test_a_first_capture_is_version_one_and_a_second_changes_nothing(vault: Vault) -> None:
    # Given a distribution
    distribution_id, etag = vault.distribution()

    # When it is captured twice
    first = capture(vault, distribution_id, "baseline")
    second = capture(vault, distribution_id)

    # Then the first made version 1 with its ETag, the second answered it unchanged
    assert first["statusCode"] == HTTPStatus.CREATED, first["body"]
    assert answer(first)["version"]["version"] == 1
    assert answer(first)["version"]["etag"] == etag
    assert second["statusCode"] == HTTPStatus.OK
    assert answer(second)["version"]["version"] == 1


def test_a_change_in_the_console_is_the_next_version_with_its_etag(vault: Vault) -> None:
    distribution_id, _ = vault.distribution()
    capture(vault, distribution_id)
    new_etag = vault.change(distribution_id, Comment="changed in the console")

    captured = capture(vault, distribution_id)

    assert captured["statusCode"] == HTTPStatus.CREATED
    assert (answer(captured)["version"]["version"], answer(captured)["version"]["etag"]) == (
        2,
        new_etag,
    )


def test_a_save_that_changed_nothing_keeps_the_version_with_cloudfronts_new_etag(
    vault: Vault,
) -> None:
    # Given version 1, then a save in the console that changed nothing (a new ETag only)
    distribution_id, _ = vault.distribution()
    capture(vault, distribution_id)
    new_etag = vault.change(distribution_id)

    # When the vault looks again
    captured = capture(vault, distribution_id)

    # Then it is still version 1, and the distribution is shown with the new ETag
    assert captured["statusCode"] == HTTPStatus.OK
    assert answer(captured)["version"]["version"] == 1
    shown = call(
        vault.handler("GetVaultDistributionFunction"),
        "GET",
        "/vault/distributions/{distribution_id}",
        caller=VIEWER,
        distribution_id=distribution_id,
    )
    assert answer(shown)["distribution"]["etag"] == new_etag


def test_a_version_holds_the_configuration_exactly_as_cloudfront_had_it(vault: Vault) -> None:
    # Given a distribution whose origin uses an origin access control
    origin = s3_origin("site", "site.s3.eu-west-1.amazonaws.com", control="E2OACEXAMPLE")
    distribution_id, _ = vault.distribution(origins=(origin,))
    capture(vault, distribution_id)

    # When version 1 is read
    response = call(
        vault.handler("GetVaultVersionFunction"),
        "GET",
        VERSIONS + "/{version}",
        caller=VIEWER,
        distribution_id=distribution_id,
        version="1",
    )

    # Then its configuration is CloudFront's, field for field
    expected = vault.cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"]
    assert response["statusCode"] == HTTPStatus.OK
    assert answer(response)["config"] == expected
    assert answer(response)["config"]["Origins"]["Items"][0]["OriginAccessControlId"] == (
        "E2OACEXAMPLE"
    )


def test_versions_are_listed_newest_first(vault: Vault) -> None:
    distribution_id, _ = vault.distribution()
    for comment in ("one", "two", "three"):
        vault.change(distribution_id, Comment=comment)
        capture(vault, distribution_id)

    response = call(
        vault.handler("GetVaultVersionsFunction"),
        "GET",
        VERSIONS,
        caller=VIEWER,
        distribution_id=distribution_id,
    )

    assert [version["version"] for version in answer(response)] == [3, 2, 1]


def test_the_diff_names_what_changed_by_origin_id(vault: Vault) -> None:
    # Given version 1, then an origin's domain changed in the console (version 2)
    distribution_id, _ = vault.distribution()
    capture(vault, distribution_id)
    config = vault.cloudfront.get_distribution_config(Id=distribution_id)["DistributionConfig"]
    origins = config["Origins"]
    origins["Items"][0]["DomainName"] = "moved.s3.eu-west-1.amazonaws.com"
    vault.change(distribution_id, Origins=origins)
    capture(vault, distribution_id)

    # When versions 1 and 2 are compared
    response = call(
        vault.handler("GetVaultDiffFunction"),
        "GET",
        "/vault/distributions/{distribution_id}/diff",
        caller=VIEWER,
        query={"from": "1", "to": "2"},
        distribution_id=distribution_id,
    )

    # Then the patch replaces that origin's domain
    assert response["statusCode"] == HTTPStatus.OK, response["body"]
    assert answer(response)["patch"] == [
        {
            "op": "replace",
            "path": "/Origins/site/DomainName",
            "value": "moved.s3.eu-west-1.amazonaws.com",
        }
    ]


def test_the_diff_to_current_reads_cloudfront_now(vault: Vault) -> None:
    distribution_id, _ = vault.distribution()
    capture(vault, distribution_id)
    vault.change(distribution_id, Comment="not captured yet")

    response = call(
        vault.handler("GetVaultDiffFunction"),
        "GET",
        "/vault/distributions/{distribution_id}/diff",
        caller=VIEWER,
        query={"from": "1", "to": "current"},
        distribution_id=distribution_id,
    )

    assert answer(response)["patch"] == [
        {"op": "replace", "path": "/Comment", "value": "not captured yet"}
    ]


def test_a_bad_diff_query_names_its_field(vault: Vault) -> None:
    response = call(
        vault.handler("GetVaultDiffFunction"),
        "GET",
        "/vault/distributions/{distribution_id}/diff",
        caller=VIEWER,
        query={"from": "1", "to": "latest"},
        distribution_id="E1EXAMPLE",
    )

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert [error["field"] for error in answer(response)["errors"]] == ["to"]


def test_concurrent_writers_never_take_one_number_twice(vault: Vault) -> None:
    # Given a distribution at version 1, and eight different configurations of it
    distribution_id, _ = vault.distribution()
    capture(vault, distribution_id)
    lives = []
    for index in range(8):
        vault.change(distribution_id, Comment=f"change {index}")
        lives.append(vault.deps.cloudfront.get(distribution_id))

    # When eight writers record them at once (DynamoDB's conditional writes decide)
    numbers = record_at_once(vault.deps, lives)

    # Then each has a number of its own
    assert sorted(numbers) == list(range(2, 10))


class SummaryWrites:
    """The vault's table, counting the summaries written for a version already recorded."""

    def __init__(self, table: Any) -> None:
        self._table = table
        self.refreshed: list[Distribution] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def refresh_summary(self, distribution: Distribution) -> None:
        self.refreshed.append(distribution)
        self._table.refresh_summary(distribution)


def test_a_distribution_found_as_it_was_recorded_writes_nothing(vault: Vault) -> None:
    # Given a distribution recorded
    distribution_id, _ = vault.distribution()
    table = SummaryWrites(vault.deps.table)
    deps = replace(vault.deps, table=table)
    logic.record(
        deps,
        vault.deps.cloudfront.get(distribution_id),
        source=Source.CAPTURED,
        who="edith",
        note="",
    )

    # When the vault looks at it again, nothing having changed
    for _ in range(2):
        logic.record(
            deps,
            vault.deps.cloudfront.get(distribution_id),
            source=Source.DETECTED,
            who=None,
            note="",
        )

    # Then the summary read back from DynamoDB is the one CloudFront shows: nothing written
    assert table.refreshed == []
