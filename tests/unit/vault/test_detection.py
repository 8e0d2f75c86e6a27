"""Detection runs and CloudTrail events, on in-memory stand-ins."""

import pytest

from tests.builders.distributions import distribution_config
from tests.unit.vault.fakes import FakeCloudFront
from vault import detection
from vault.dependencies import IncompleteListingError, LiveDistribution, VaultDeps
from vault.models import DistributionState, Source

ALICE = "arn:aws:iam::123456789012:user/alice"


class ThrottlingGets(FakeCloudFront):
    """CloudFront throttling every read of one distribution (boto3's retries exhausted)."""

    def __init__(self) -> None:
        super().__init__()
        self.throttled_ids: set[str] = set()

    def get(self, distribution_id: str) -> LiveDistribution:
        if distribution_id in self.throttled_ids:
            raise IncompleteListingError("Throttling")
        return super().get(distribution_id)


@pytest.fixture
def cloudfront() -> ThrottlingGets:
    """The conftest's `deps` read this CloudFront."""
    return ThrottlingGets()


@pytest.fixture
def known(deps: VaultDeps, cloudfront: ThrottlingGets) -> list[str]:
    """Two distributions, each with version 1 recorded by a first run."""
    cloudfront.add("EONE", distribution_config("ref-1", comment="one"))
    cloudfront.add("ETWO", distribution_config("ref-2", comment="two"))
    detection.run(deps)
    return ["EONE", "ETWO"]


def trail(event_name: str, **detail: object) -> detection.TrailEvent:
    return detection.TrailEvent.model_validate(
        {"eventName": event_name, "userIdentity": {"type": "IAMUser", "arn": ALICE}, **detail}
    )


def test_a_first_run_records_version_1_of_each_distribution(
    deps: VaultDeps, cloudfront: ThrottlingGets
) -> None:
    # Given two distributions the vault has never seen
    cloudfront.add("EONE", distribution_config("ref-1"))
    cloudfront.add("ETWO", distribution_config("ref-2"))
    # When a run goes over the account
    outcome = detection.run(deps)
    # Then each has version 1, detected
    assert outcome == detection.DetectionRun(complete=True, listed=2, new_versions=["EONE", "ETWO"])
    assert deps.table.get_version("EONE", 1).source is Source.DETECTED  # type: ignore[union-attr]


def test_a_run_records_a_version_only_for_a_changed_configuration(
    deps: VaultDeps, cloudfront: ThrottlingGets, known: list[str]
) -> None:
    # Given one of two known distributions changed in the console
    cloudfront.change("ETWO", Comment="changed")
    # When a run goes over the account
    outcome = detection.run(deps)
    # Then only the changed one has a new version
    assert outcome.new_versions == ["ETWO"]
    assert deps.table.get_distribution("ETWO").current_version == 2  # type: ignore[union-attr]
    assert deps.table.get_distribution("EONE").current_version == 1  # type: ignore[union-attr]


def test_a_run_marks_deleted_what_a_complete_listing_lacks_and_cloudfront_no_longer_has(
    deps: VaultDeps, cloudfront: ThrottlingGets, known: list[str]
) -> None:
    # Given a known distribution deleted in the console
    del cloudfront.distributions["EONE"]
    # When a run goes over the account
    outcome = detection.run(deps)
    # Then it is marked deleted, its versions kept
    assert outcome.deleted == ["EONE"]
    gone = deps.table.get_distribution("EONE")
    assert gone is not None
    assert gone.state is DistributionState.DELETED
    assert deps.table.get_version("EONE", 1) is not None


def test_a_throttled_listing_marks_nothing_deleted_and_the_next_run_finishes(
    deps: VaultDeps, cloudfront: ThrottlingGets, known: list[str]
) -> None:
    # Given a deleted distribution and CloudFront throttling the listing
    del cloudfront.distributions["EONE"]
    cloudfront.throttled = True
    # When a run goes over the account
    throttled = detection.run(deps)
    # Then it is incomplete and nothing is marked deleted
    assert throttled == detection.DetectionRun(complete=False, listed=0)
    assert deps.table.get_distribution("EONE").state is DistributionState.ACTIVE  # type: ignore[union-attr]
    # And the next run, unthrottled, finishes
    cloudfront.throttled = False
    assert detection.run(deps).deleted == ["EONE"]


def test_a_run_throttled_midway_marks_nothing_deleted(
    deps: VaultDeps, cloudfront: ThrottlingGets, known: list[str]
) -> None:
    # Given a deleted distribution, and CloudFront throttling the read of another
    del cloudfront.distributions["EONE"]
    cloudfront.throttled_ids.add("ETWO")
    # When a run goes over the account
    outcome = detection.run(deps)
    # Then it is incomplete and nothing is marked deleted
    assert not outcome.complete
    assert deps.table.get_distribution("EONE").state is DistributionState.ACTIVE  # type: ignore[union-attr]


def test_a_trail_update_is_recorded_naming_who_made_it(
    deps: VaultDeps, cloudfront: ThrottlingGets, known: list[str]
) -> None:
    # Given a change made in the console by alice
    cloudfront.change("EONE", Comment="alice was here")
    # When CloudTrail's UpdateDistribution event arrives
    detection.on_trail_event(deps, trail("UpdateDistribution", requestParameters={"id": "EONE"}))
    # Then the new version is detected and names alice
    version = deps.table.get_version("EONE", 2)
    assert version is not None
    assert (version.source, version.who) == (Source.DETECTED, ALICE)


def test_a_trail_creation_names_the_distribution_in_its_response(
    deps: VaultDeps, cloudfront: ThrottlingGets
) -> None:
    # Given a distribution created in the console
    cloudfront.add("ENEW", distribution_config("ref-new"))
    # When CloudTrail's CreateDistribution event arrives
    event = trail("CreateDistribution", responseElements={"distribution": {"id": "ENEW"}})
    outcome = detection.on_trail_event(deps, event)
    # Then its version 1 is recorded
    assert outcome.new_versions == ["ENEW"]


def test_a_trail_tagging_names_the_distribution_by_its_arn(
    deps: VaultDeps, cloudfront: ThrottlingGets, known: list[str]
) -> None:
    # Given a distribution whose tags changed in the console
    live = cloudfront.distributions["EONE"]
    cloudfront.add("EONE", live.config, team="edge")
    # When CloudTrail's TagResource event arrives
    event = trail("TagResource", requestParameters={"resource": live.arn})
    # Then the event is taken to be about that distribution
    assert event.distribution_id == "EONE"
    assert detection.on_trail_event(deps, event).complete


def test_a_trail_deletion_marks_the_distribution_deleted(
    deps: VaultDeps, cloudfront: ThrottlingGets, known: list[str]
) -> None:
    # Given a distribution deleted in the console
    del cloudfront.distributions["ETWO"]
    # When CloudTrail's DeleteDistribution event arrives
    outcome = detection.on_trail_event(
        deps, trail("DeleteDistribution", requestParameters={"id": "ETWO"})
    )
    # Then it is marked deleted
    assert outcome.deleted == ["ETWO"]


def test_a_trail_event_that_changes_no_distribution_records_nothing(
    deps: VaultDeps, cloudfront: ThrottlingGets, known: list[str]
) -> None:
    # Given a change to a distribution, then an invalidation event about it
    cloudfront.change("EONE", Comment="unseen yet")
    event = trail("CreateInvalidation", requestParameters={"distributionId": "EONE"})
    # When the event arrives
    outcome = detection.on_trail_event(deps, event)
    # Then nothing is recorded: an invalidation changes no configuration
    assert outcome.new_versions == []
    assert deps.table.get_distribution("EONE").current_version == 1  # type: ignore[union-attr]
