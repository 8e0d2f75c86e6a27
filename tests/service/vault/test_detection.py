"""The detection function as its template names it, on the emulated CloudFront: the hourly
run over every distribution, and CloudTrail's events one distribution at a time."""

from typing import Any

import pytest

from shop_common.api import Handler
from stacks.templates import SERVICE_TEMPLATES
from tests.builders.environments import as_invoked, function_module
from tests.builders.events import LambdaContext, cloudtrail_event, scheduled_event
from tests.service.vault.conftest import Vault
from vault.models import DistributionState, Source

FUNCTION = "DetectVaultChangesFunction"
ALICE = "arn:aws:iam::123456789012:user/alice"


@pytest.fixture
def detect(vault: Vault) -> Handler:
    """The detection function on this vault, in its environment."""
    module = function_module(SERVICE_TEMPLATES["vault"], FUNCTION)
    handler = module.build_handler(vault.deps, vault.schedules.store)
    return as_invoked(SERVICE_TEMPLATES["vault"], FUNCTION, handler)


def run(detect: Handler) -> dict[str, Any]:
    return detect(scheduled_event("shop-dev-vault-hourly-detection"), LambdaContext())


def test_the_hourly_run_records_a_console_change_as_a_detected_version(
    vault: Vault, detect: Handler
) -> None:
    # Given a distribution the vault has seen, then changed in the console
    distribution_id, _ = vault.distribution(comment="before")
    run(detect)
    etag = vault.change(distribution_id, Comment="after")
    # When the hourly run goes over the account
    outcome = run(detect)
    # Then the change is version 2, detected, with the console's ETag
    assert outcome["complete"]
    assert distribution_id in outcome["new_versions"]
    version = vault.deps.table.get_version(distribution_id, 2)
    assert version is not None
    assert (version.source, version.etag) == (Source.DETECTED, etag)


def test_the_hourly_run_records_nothing_for_an_unchanged_distribution(
    vault: Vault, detect: Handler
) -> None:
    # Given a distribution the vault has seen, unchanged since
    distribution_id, _ = vault.distribution()
    run(detect)
    # When the hourly run goes over the account again
    outcome = run(detect)
    # Then no new version is recorded
    assert distribution_id not in outcome["new_versions"]
    assert vault.deps.table.get_distribution(distribution_id).current_version == 1  # type: ignore[union-attr]


def test_a_cloudtrail_update_is_recorded_naming_who_made_it(vault: Vault, detect: Handler) -> None:
    # Given a distribution the vault has seen, changed in the console by alice
    distribution_id, _ = vault.distribution()
    run(detect)
    vault.change(distribution_id, Comment="alice's change")
    # When CloudTrail's event about it arrives through the EventBridge rule
    event = cloudtrail_event("UpdateDistribution", ALICE, request={"id": distribution_id})
    detect(event, LambdaContext())
    # Then the change is version 2, naming alice
    version = vault.deps.table.get_version(distribution_id, 2)
    assert version is not None
    assert (version.source, version.who) == (Source.DETECTED, ALICE)


def test_the_hourly_run_marks_a_distribution_deleted_in_the_console(
    vault: Vault, detect: Handler
) -> None:
    # Given a distribution the vault has seen, disabled and deleted in the console
    distribution_id, _ = vault.distribution()
    run(detect)
    vault.delete(distribution_id)
    # When the hourly run goes over the account
    outcome = run(detect)
    # Then it is marked deleted, its versions kept
    assert distribution_id in outcome["deleted"]
    known = vault.deps.table.get_distribution(distribution_id)
    assert known is not None
    assert known.state is DistributionState.DELETED
    assert vault.deps.table.get_version(distribution_id, 1) is not None


def test_a_distribution_deleted_in_the_console_is_disabled_in_its_summary(
    vault: Vault, detect: Handler
) -> None:
    # Given a distribution the vault has seen enabled, then disabled and deleted in the console
    # before any run saw it disabled
    distribution_id, _ = vault.distribution()
    run(detect)
    vault.delete(distribution_id)
    # When the hourly run goes over the account
    run(detect)
    # Then its summary says disabled (CloudFront deletes only a disabled distribution)
    known = vault.deps.table.get_distribution(distribution_id)
    assert known is not None
    assert known.enabled is False
