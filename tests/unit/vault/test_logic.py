"""Rollback, copy, create, deletion and roles, on in-memory stand-ins."""

from collections.abc import Callable
from dataclasses import replace

import pytest

from shop_common.errors import ConflictError, ForbiddenError, NotFoundError, UnprocessableError
from tests.builders.distributions import distribution_config, s3_origin
from tests.unit.vault.fakes import FakeCloudFront
from vault import logic
from vault.dependencies import AliasHeldError, VaultDeps
from vault.models import (
    CopyIn,
    CreateIn,
    DistributionState,
    RollbackIn,
    Source,
    VaultCaller,
    VaultRole,
)

EDITOR = VaultCaller(username="edith", sub="sub-edith", vault_role=VaultRole.EDITOR)
VIEWER = VaultCaller(username="vic", sub="sub-vic", vault_role=VaultRole.VIEWER)


@pytest.fixture
def two_versions(deps: VaultDeps, cloudfront: FakeCloudFront) -> str:
    """E1 at version 1 (comment "one"), then version 2 (comment "two"); its ETag now."""
    cloudfront.add("E1", distribution_config(comment="one"))
    logic.capture(EDITOR, "E1", "", deps)
    live = cloudfront.change("E1", Comment="two")
    logic.capture(EDITOR, "E1", "", deps)
    return live.etag


def test_rollback_puts_the_version_back_as_a_new_version(
    deps: VaultDeps, cloudfront: FakeCloudFront, two_versions: str
) -> None:
    applied = logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=two_versions), deps)

    assert cloudfront.get("E1").config["Comment"] == "one"
    assert (applied.version.version, applied.version.source) == (3, Source.ROLLED_BACK)
    assert applied.version.rolled_back_from == 1
    assert applied.etag == cloudfront.get("E1").etag


def test_rollback_on_a_stale_etag_is_a_conflict_naming_the_change(
    deps: VaultDeps, cloudfront: FakeCloudFront, two_versions: str
) -> None:
    # Given a change made after the user read ETag `two_versions`
    cloudfront.change("E1", Comment="three")

    # When the user rolls back with the ETag they saw
    with pytest.raises(ConflictError) as refused:
        logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=two_versions), deps)

    # Then nothing is overwritten, the answer names what changed, the change is recorded
    assert cloudfront.get("E1").config["Comment"] == "three"
    fields = [error.field for error in refused.value.errors]
    assert fields == ["expected_etag", "config/Comment"]
    assert deps.table.get_version("E1", 3) is not None


def test_an_update_that_changed_nothing_is_no_new_version_but_the_new_etag_is_shown(
    deps: VaultDeps, cloudfront: FakeCloudFront, two_versions: str
) -> None:
    # Given a save in the console that left the configuration as it was (a new ETag only)
    live = cloudfront.change("E1")

    # When the vault looks again
    captured = logic.capture(EDITOR, "E1", "", deps)

    # Then it is still version 2, now shown with CloudFront's ETag
    assert (captured.version.version, captured.created) == (2, False)
    assert logic.get_distribution(VIEWER, "E1", deps).distribution.etag == live.etag != two_versions


def test_a_distribution_deployed_since_it_was_recorded_is_shown_deployed(
    deps: VaultDeps, cloudfront: FakeCloudFront
) -> None:
    # Given a distribution recorded while CloudFront was deploying it
    live = cloudfront.add("E1", distribution_config())
    logic.record(
        deps,
        replace(live, status="InProgress"),
        source=Source.CREATED,
        who="edith",
        note="",
    )

    # When the vault looks again once it is deployed
    logic.capture(EDITOR, "E1", "", deps)

    # Then it is shown deployed, still at version 1
    shown = logic.get_distribution(VIEWER, "E1", deps).distribution
    assert (shown.status, shown.current_version) == ("Deployed", 1)


def test_a_rollback_after_an_update_that_changed_nothing_goes_ahead(
    deps: VaultDeps, cloudfront: FakeCloudFront, two_versions: str
) -> None:
    # Given a save that changed only the ETag after the user read ETag `two_versions`
    cloudfront.change("E1")

    # When the user rolls back with the ETag they saw  Then nothing they did not see is
    # overwritten, so the rollback is applied
    applied = logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=two_versions), deps)

    assert cloudfront.get("E1").config["Comment"] == "one"
    assert applied.version.version == 3


def test_a_rollback_keeps_a_change_not_detected_yet_before_overwriting_it(
    deps: VaultDeps, cloudfront: FakeCloudFront, two_versions: str
) -> None:
    # Given a change made in CloudFront that detection has not recorded yet
    live = cloudfront.change("E1", Comment="three")

    # When the user rolls back with the distribution's ETag now
    applied = logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=live.etag), deps)

    # Then the change is kept as a detected version before the rollback's own
    kept = deps.table.get_version("E1", 3)
    assert kept is not None
    assert (kept.source, kept.etag) == (Source.DETECTED, live.etag)
    assert deps.bodies.get(kept.config_key)["Comment"] == "three"
    assert applied.version.version == 4


def test_a_rollback_to_the_configuration_the_distribution_has_changes_nothing(
    deps: VaultDeps, cloudfront: FakeCloudFront, two_versions: str
) -> None:
    # Given E1 rolled back to version 1 already (version 3)
    first = logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=two_versions), deps)

    # When the user rolls back to version 1 again
    again = logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=first.etag), deps)

    # Then CloudFront is not updated (same ETag) and the answer is version 3, not new
    assert cloudfront.get("E1").etag == again.etag == first.etag
    assert (again.version.version, again.created) == (3, False)
    assert deps.table.get_version("E1", 4) is None


def test_rollback_of_a_stack_distribution_needs_acknowledge_drift(
    deps: VaultDeps, cloudfront: FakeCloudFront
) -> None:
    live = cloudfront.add(
        "E1", distribution_config(), **{"aws:cloudformation:stack-name": "shop-dev-bootstrap"}
    )
    logic.capture(EDITOR, "E1", "", deps)
    live = cloudfront.change("E1", Comment="changed since")

    with pytest.raises(ConflictError) as refused:
        logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=live.etag), deps)

    assert [error.field for error in refused.value.errors] == ["acknowledge_drift"]


def test_rollback_names_each_missing_reference(deps: VaultDeps, cloudfront: FakeCloudFront) -> None:
    # Given version 1 uses an origin access control since deleted
    origin = s3_origin("site", "a.s3.amazonaws.com", control="OACGONE")
    cloudfront.add("E1", distribution_config(origins=(origin,)))
    logic.capture(EDITOR, "E1", "", deps)
    live = cloudfront.change("E1", Comment="changed since")
    cloudfront.missing.add("OACGONE")

    with pytest.raises(UnprocessableError) as refused:
        logic.rollback(EDITOR, "E1", RollbackIn(version=1, expected_etag=live.etag), deps)

    assert [error.field for error in refused.value.errors] == [
        "config.Origins.Items.0.OriginAccessControlId"
    ]


def test_copy_keeps_what_makes_the_target_itself(
    deps: VaultDeps, cloudfront: FakeCloudFront, two_versions: str
) -> None:
    target = cloudfront.add(
        "E2", distribution_config("target-ref", comment="target", aliases=("t.example.com",))
    )
    logic.capture(EDITOR, "E2", "", deps)

    applied = logic.copy(EDITOR, "E1", 1, CopyIn(target_id="E2", expected_etag=target.etag), deps)

    config = cloudfront.get("E2").config
    assert (config["Comment"], config["CallerReference"]) == ("one", "target-ref")
    assert config["Aliases"]["Items"] == ["t.example.com"]
    assert applied.version.source == Source.COPIED


def test_a_copy_onto_a_distribution_the_vault_never_saw_keeps_its_configuration_first(
    deps: VaultDeps, cloudfront: FakeCloudFront, two_versions: str
) -> None:
    # Given a distribution made directly in CloudFront, unknown to the vault
    target = cloudfront.add("E2", distribution_config("target-ref", comment="target"))

    # When a version is copied onto it
    applied = logic.copy(EDITOR, "E1", 1, CopyIn(target_id="E2", expected_etag=target.etag), deps)

    # Then its configuration before the copy is its version 1, the copy its version 2
    kept = deps.table.get_version("E2", 1)
    assert kept is not None
    assert (kept.source, kept.etag) == (Source.DETECTED, target.etag)
    assert deps.bodies.get(kept.config_key)["Comment"] == "target"
    assert (applied.version.version, applied.version.source) == (2, Source.COPIED)


def test_a_copy_of_the_configuration_the_target_has_changes_nothing(
    deps: VaultDeps, cloudfront: FakeCloudFront, two_versions: str
) -> None:
    # Given E2 with E1's version 2 copied onto it
    target = cloudfront.add("E2", distribution_config("target-ref", comment="target"))
    first = logic.copy(EDITOR, "E1", 2, CopyIn(target_id="E2", expected_etag=target.etag), deps)

    # When version 2 is copied onto it again
    again = logic.copy(EDITOR, "E1", 2, CopyIn(target_id="E2", expected_etag=first.etag), deps)

    # Then E2 is not updated and stays at the copy's version
    assert cloudfront.get("E2").etag == again.etag == first.etag
    assert (again.version.version, again.created) == (first.version.version, False)


def test_create_leaves_out_the_aliases_another_distribution_holds(
    deps: VaultDeps, cloudfront: FakeCloudFront
) -> None:
    cloudfront.add("E1", distribution_config(aliases=("held.example.com", "free.example.com")))
    logic.capture(EDITOR, "E1", "", deps)
    # (E1 deleted; another distribution took one of its aliases since)
    cloudfront.add("E2", distribution_config("other", aliases=("held.example.com",)))
    del cloudfront.distributions["E1"]

    created = logic.create(EDITOR, CreateIn(source_id="E1", version=1), deps)

    config = cloudfront.get(created.distribution_id).config
    assert config["Aliases"]["Items"] == ["free.example.com"]
    assert config["CallerReference"] == "new-reference"
    assert created.aliases_left_out == ["held.example.com"]
    assert created.version.version == 1


def test_create_leaves_out_an_alias_taken_between_its_listing_and_its_creation(
    deps: VaultDeps, cloudfront: FakeCloudFront
) -> None:
    # Given a deleted distribution's version with two aliases, both free
    cloudfront.add("E1", distribution_config(aliases=("one.example.com", "two.example.com")))
    logic.capture(EDITOR, "E1", "", deps)
    del cloudfront.distributions["E1"]
    # And another creation that takes one of them just before this one reaches CloudFront
    cloudfront.before_next_create(
        lambda: cloudfront.add("E2", distribution_config("other", aliases=("one.example.com",)))
    )

    # When a distribution is created from the version
    created = logic.create(EDITOR, CreateIn(source_id="E1", version=1), deps)

    # Then it is created without the alias taken meanwhile, and says so
    assert cloudfront.get(created.distribution_id).config["Aliases"]["Items"] == ["two.example.com"]
    assert created.aliases_left_out == ["one.example.com"]


def test_create_refuses_an_alias_held_where_no_listing_shows_it(
    deps: VaultDeps, cloudfront: FakeCloudFront
) -> None:
    # Given a deleted distribution's version whose alias another account's distribution holds
    cloudfront.add("E1", distribution_config(aliases=("elsewhere.example.com",)))
    logic.capture(EDITOR, "E1", "", deps)
    del cloudfront.distributions["E1"]
    cloudfront.held_elsewhere.add("elsewhere.example.com")

    # When a distribution is created from it, then CloudFront's refusal is the answer
    with pytest.raises(AliasHeldError) as refusal:
        logic.create(EDITOR, CreateIn(source_id="E1", version=1), deps)

    assert refusal.value.errors[0].field == "config"
    assert len(cloudfront.distributions) == 0


def test_a_distribution_gone_from_a_complete_listing_is_marked_deleted(
    deps: VaultDeps, cloudfront: FakeCloudFront
) -> None:
    cloudfront.add("E1", distribution_config())
    logic.capture(EDITOR, "E1", "", deps)
    del cloudfront.distributions["E1"]

    assert logic.detect(deps, "E1") is None

    known = deps.table.get_distribution("E1")
    assert known is not None
    assert known.state is DistributionState.DELETED


def test_a_throttled_listing_marks_nothing_deleted(
    deps: VaultDeps, cloudfront: FakeCloudFront
) -> None:
    cloudfront.add("E1", distribution_config())
    logic.capture(EDITOR, "E1", "", deps)
    del cloudfront.distributions["E1"]
    cloudfront.throttled = True

    logic.detect(deps, "E1")

    known = deps.table.get_distribution("E1")
    assert known is not None
    assert known.state is DistributionState.ACTIVE


@pytest.mark.parametrize(
    ("act", "field"),
    [
        (
            lambda deps: logic.rollback(
                EDITOR, "ENOPE", RollbackIn(version=1, expected_etag="E"), deps
            ),
            "distribution_id",
        ),
        (
            lambda deps: logic.copy(
                EDITOR, "ENOPE", 1, CopyIn(target_id="E1", expected_etag="E"), deps
            ),
            "distribution_id",
        ),
        (
            lambda deps: logic.create(EDITOR, CreateIn(source_id="ENOPE", version=1), deps),
            "source_id",
        ),
        (lambda deps: logic.get_version(EDITOR, "ENOPE", 1, deps), "distribution_id"),
    ],
    ids=["rollback", "copy", "create", "version"],
)
def test_a_version_of_a_distribution_the_vault_does_not_hold_names_the_distribution(
    deps: VaultDeps, act: Callable[[VaultDeps], object], field: str
) -> None:
    with pytest.raises(NotFoundError) as refused:
        act(deps)

    assert [error.field for error in refused.value.errors] == [field]


def test_capturing_a_deleted_distribution_is_a_404_saying_it_was_deleted(
    deps: VaultDeps, cloudfront: FakeCloudFront
) -> None:
    cloudfront.add("E1", distribution_config())
    logic.capture(EDITOR, "E1", "", deps)
    del cloudfront.distributions["E1"]

    with pytest.raises(NotFoundError) as refused:
        logic.capture(EDITOR, "E1", "", deps)

    assert [error.message for error in refused.value.errors] == [
        "deleted: create it again from one of its versions"
    ]


def test_a_distribution_cloudfront_never_had_is_a_404_saying_so(deps: VaultDeps) -> None:
    with pytest.raises(NotFoundError) as refused:
        logic.capture(EDITOR, "ENEVER1", "", deps)

    assert str(refused.value) == "CloudFront has no distribution ENEVER1"
    assert [error.message for error in refused.value.errors] == [
        "no such distribution in CloudFront"
    ]


def test_a_viewer_cannot_roll_back(deps: VaultDeps, two_versions: str) -> None:
    with pytest.raises(ForbiddenError):
        logic.rollback(VIEWER, "E1", RollbackIn(version=1, expected_etag=two_versions), deps)


def test_a_caller_without_a_vault_role_cannot_read(deps: VaultDeps) -> None:
    nobody = VaultCaller(username="shopper", sub="sub-shopper")

    with pytest.raises(ForbiddenError):
        logic.get_distribution(nobody, "E1", deps)
