"""The emulated CloudFront refuses what CloudFront refuses, where moto does not (moto 5.2.5:
the ETag never changes, IfMatch is ignored, an enabled distribution is deleted, an alias is
taken twice, parts of the configuration are dropped)."""

import pickle
from collections.abc import Callable

import pytest

from local.cloudfront.distributions import CloudFrontError, Distributions
from tests.builders.distributions import behavior, distribution_config, s3_origin


@pytest.fixture
def cloudfront() -> Distributions:
    return Distributions()


def refusal(call: Callable[[], object]) -> str:
    """The code of CloudFront's refusal of `call`."""
    with pytest.raises(CloudFrontError) as refused:
        call()
    return refused.value.code


def test_the_configuration_is_kept_exactly_as_put(cloudfront: Distributions) -> None:
    origin = s3_origin("site", "site.s3.eu-west-1.amazonaws.com", control="E2OAC")
    config = distribution_config(origins=(origin,))
    created, _ = cloudfront.create(config)

    kept, _ = cloudfront.get_config(created["Id"])

    assert kept == config


def test_every_update_has_a_new_etag(cloudfront: Distributions) -> None:
    created, etag = cloudfront.create(distribution_config())

    _, first = cloudfront.update(created["Id"], distribution_config(), etag)
    _, second = cloudfront.update(created["Id"], distribution_config(), first)

    assert len({etag, first, second}) == 3


def test_an_update_with_an_old_etag_is_precondition_failed(cloudfront: Distributions) -> None:
    created, etag = cloudfront.create(distribution_config())
    cloudfront.update(created["Id"], distribution_config(comment="new"), etag)

    code = refusal(lambda: cloudfront.update(created["Id"], distribution_config(), etag))

    assert code == "PreconditionFailed"
    assert cloudfront.get_config(created["Id"])[0]["Comment"] == "new"


def test_an_update_without_if_match_is_refused(cloudfront: Distributions) -> None:
    created, _ = cloudfront.create(distribution_config())

    assert refusal(lambda: cloudfront.update(created["Id"], distribution_config(), None)) == (
        "InvalidIfMatchVersion"
    )


def test_an_enabled_distribution_cannot_be_deleted(cloudfront: Distributions) -> None:
    created, etag = cloudfront.create(distribution_config())
    cloudfront.get(created["Id"])

    assert refusal(lambda: cloudfront.delete(created["Id"], etag)) == "DistributionNotDisabled"


def test_a_disabled_deployed_distribution_is_deleted(cloudfront: Distributions) -> None:
    created, etag = cloudfront.create(distribution_config())
    _, etag = cloudfront.update(created["Id"], distribution_config(enabled=False), etag)
    cloudfront.get(created["Id"])

    cloudfront.delete(created["Id"], etag)

    assert refusal(lambda: cloudfront.get(created["Id"])) == "NoSuchDistribution"


def test_an_alias_is_held_by_one_distribution_only(cloudfront: Distributions) -> None:
    cloudfront.create(distribution_config("one", aliases=("shop.example.com",)))

    code = refusal(
        lambda: cloudfront.create(distribution_config("two", aliases=("shop.example.com",)))
    )

    assert code == "CNAMEAlreadyExists"


def test_the_caller_reference_cannot_change(cloudfront: Distributions) -> None:
    created, etag = cloudfront.create(distribution_config("one"))

    code = refusal(lambda: cloudfront.update(created["Id"], distribution_config("two"), etag))

    assert code == "IllegalUpdate"


def test_a_caller_reference_creates_one_distribution(cloudfront: Distributions) -> None:
    cloudfront.create(distribution_config("one"))

    assert refusal(lambda: cloudfront.create(distribution_config("one"))) == (
        "DistributionAlreadyExists"
    )


def test_a_behavior_must_aim_at_an_origin(cloudfront: Distributions) -> None:
    config = distribution_config(behaviors=(behavior("nowhere", "/api/*"),))

    assert refusal(lambda: cloudfront.create(config)) == "NoSuchOrigin"


def test_an_unknown_policy_is_refused_and_a_managed_one_accepted(
    cloudfront: Distributions,
) -> None:
    unknown = distribution_config(
        behaviors=(behavior("site", "/a/*", ResponseHeadersPolicyId="no-such-policy"),)
    )

    assert refusal(lambda: cloudfront.create(unknown)) == "NoSuchResponseHeadersPolicy"
    cloudfront.create(distribution_config("managed"))  # CachingOptimized, AWS's


def test_a_listing_pages_by_marker(cloudfront: Distributions) -> None:
    ids = sorted(cloudfront.create(distribution_config(f"ref-{n}"))[0]["Id"] for n in range(3))

    first = cloudfront.listing(None, 2)
    second = cloudfront.listing(first["NextMarker"], 2)

    assert [item["Id"] for item in first["Items"] + second["Items"]] == ids
    assert (first["IsTruncated"], second["IsTruncated"]) == (True, False)


def saved_and_restored(cloudfront: Distributions) -> Distributions:
    """A new store holding `cloudfront`'s snapshot, pickled and loaded as `--persist` does."""
    restored = Distributions()
    restored.restore(pickle.loads(pickle.dumps(cloudfront.snapshot())))  # noqa: S301 - its own
    return restored


def test_a_restored_distribution_is_as_it_was(cloudfront: Distributions) -> None:
    # Given a tagged distribution changed once and deployed since
    created, _ = cloudfront.create(distribution_config("kept"), {"team": "web"})
    arn = created["ARN"]
    config, etag = cloudfront.get_config(created["Id"])
    cloudfront.update(created["Id"], {**config, "Comment": "changed"}, etag)
    before = cloudfront.listing(None, None)

    # When the store is saved and restored
    restored = saved_and_restored(cloudfront)

    # Then it has the distribution with its configuration, ETag, status and tags
    assert restored.listing(None, None) == before
    assert restored.get_config(created["Id"]) == cloudfront.get_config(created["Id"])
    assert restored.tags(arn) == {"team": "web"}


def test_a_restored_store_keeps_the_policies(cloudfront: Distributions) -> None:
    policy_id, _ = cloudfront.create_policy("response-headers", {"Name": "kept-headers"})

    restored = saved_and_restored(cloudfront)

    assert restored.custom_policies("response-headers") == {policy_id: {"Name": "kept-headers"}}
