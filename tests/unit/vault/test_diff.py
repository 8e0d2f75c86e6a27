"""The diff: an RFC 6902 patch of the normalized configurations."""

import jsonpatch

from tests.builders.distributions import distribution_config, s3_origin
from vault.diff import config_patch
from vault.normalize import normalize


def test_an_origin_change_is_named_by_the_origin_id() -> None:
    # Given an origin whose domain changed
    before = distribution_config(origins=(s3_origin("site", "old.s3.amazonaws.com"),))
    after = distribution_config(origins=(s3_origin("site", "new.s3.amazonaws.com"),))

    # When they are compared
    patch = config_patch(before, after)

    # Then the patch replaces that origin's domain, by id
    assert patch == [
        {"op": "replace", "path": "/Origins/site/DomainName", "value": "new.s3.amazonaws.com"}
    ]


def test_an_added_alias_is_one_operation() -> None:
    patch = config_patch(
        distribution_config(aliases=("a.example.com",)),
        distribution_config(aliases=("a.example.com", "b.example.com")),
    )

    assert patch == [{"op": "add", "path": "/Aliases/1", "value": "b.example.com"}]


def test_an_added_error_response_is_keyed_by_its_code() -> None:
    patch = config_patch(distribution_config(), distribution_config(error_codes=(404,)))

    assert [operation["path"] for operation in patch] == ["/CustomErrorResponses/404"]


def test_the_patch_turns_one_side_into_the_other() -> None:
    # Given two quite different configurations
    before = distribution_config(comment="a", aliases=("x.example.com",), error_codes=(403,))
    after = distribution_config(comment="b", error_codes=(404, 500), enabled=False)

    # When the patch is applied to the first, normalized
    applied = jsonpatch.apply_patch(normalize(before), config_patch(before, after))

    # Then it is the second, normalized
    assert applied == normalize(after)


def test_equal_configurations_have_an_empty_patch() -> None:
    assert config_patch(distribution_config(), distribution_config()) == []
