"""Normalization: equal configurations hash equal, whatever order CloudFront lists them in."""

from tests.builders.distributions import behavior, distribution_config, s3_origin
from vault.normalize import config_hash, normalize


def test_origins_are_keyed_by_their_id() -> None:
    # Given a configuration with two origins
    config = distribution_config(
        origins=(s3_origin("site", "a.s3.amazonaws.com"), s3_origin("img", "b.s3.amazonaws.com"))
    )

    # When it is normalized
    normalized = normalize(config)

    # Then the origins are a mapping by id, with no Quantity
    assert set(normalized["Origins"]) == {"site", "img"}
    assert normalized["Origins"]["img"]["DomainName"] == "b.s3.amazonaws.com"


def test_error_responses_are_keyed_by_code() -> None:
    normalized = normalize(distribution_config(error_codes=(403, 404)))

    assert set(normalized["CustomErrorResponses"]) == {"403", "404"}


def test_alias_order_does_not_change_the_hash() -> None:
    # Given the same aliases listed in two orders
    one = distribution_config(aliases=("a.example.com", "b.example.com"))
    other = distribution_config(aliases=("b.example.com", "a.example.com"))

    # Then the hashes are equal
    assert config_hash(one) == config_hash(other)


def test_origin_order_does_not_change_the_hash() -> None:
    site, img = s3_origin("site", "a.s3.amazonaws.com"), s3_origin("img", "b.s3.amazonaws.com")
    one = distribution_config(origins=(site, img))
    other = distribution_config(origins=(site, img))
    other["Origins"]["Items"].reverse()

    assert config_hash(one) == config_hash(other)


def test_cache_behavior_order_changes_the_hash() -> None:
    # Given two behaviors in both orders (their order is their precedence)
    first, second = behavior("site", "/a/*"), behavior("site", "/b/*")

    # Then the configurations differ
    assert config_hash(distribution_config(behaviors=(first, second))) != config_hash(
        distribution_config(behaviors=(second, first))
    )


def test_any_field_change_changes_the_hash() -> None:
    assert config_hash(distribution_config(comment="one")) != config_hash(
        distribution_config(comment="two")
    )


def test_wrapper_fields_beside_items_are_kept() -> None:
    normalized = normalize(distribution_config())

    methods = normalized["DefaultCacheBehavior"]["AllowedMethods"]
    assert methods == {"Items": ["GET", "HEAD"], "CachedMethods": ["GET", "HEAD"]}


def test_the_configuration_given_is_not_changed() -> None:
    config = distribution_config(aliases=("b.example.com", "a.example.com"))

    normalize(config)

    assert config["Aliases"]["Items"] == ["b.example.com", "a.example.com"]
