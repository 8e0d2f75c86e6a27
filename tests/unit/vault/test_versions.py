"""Versions: numbered 1, 2, 3 per distribution by a conditional write, never twice, and a
new one only when the normalized configuration changes."""

import threading

from tests.builders.distributions import distribution_config
from tests.builders.vault import record_at_once
from tests.unit.vault.fakes import FakeCloudFront
from vault import logic
from vault.dependencies import VaultDeps
from vault.models import Source, VaultCaller, VaultRole

EDITOR = VaultCaller(username="edith", sub="sub-edith", vault_role=VaultRole.EDITOR)


def test_the_first_capture_is_version_one(deps: VaultDeps, cloudfront: FakeCloudFront) -> None:
    cloudfront.add("E1", distribution_config())

    captured = logic.capture(EDITOR, "E1", "first", deps)

    assert captured.created
    assert (captured.version.version, captured.version.source) == (1, Source.CAPTURED)
    assert (captured.version.who, captured.version.note) == ("edith", "first")


def test_an_unchanged_configuration_makes_no_version(
    deps: VaultDeps, cloudfront: FakeCloudFront
) -> None:
    # Given version 1, then an update that changes nothing (a new ETag, the same content)
    cloudfront.add("E1", distribution_config())
    logic.capture(EDITOR, "E1", "", deps)
    cloudfront.change("E1")

    # When it is captured again
    captured = logic.capture(EDITOR, "E1", "", deps)

    # Then the answer is version 1, unchanged
    assert not captured.created
    assert captured.version.version == 1


def test_a_change_is_the_next_version(deps: VaultDeps, cloudfront: FakeCloudFront) -> None:
    cloudfront.add("E1", distribution_config())
    logic.capture(EDITOR, "E1", "", deps)
    changed = cloudfront.change("E1", Comment="changed in the console")

    detected = logic.detect(deps, "E1")

    assert detected is not None
    assert (detected.version.version, detected.version.source) == (2, Source.DETECTED)
    assert detected.version.etag == changed.etag


def test_numbers_are_per_distribution(deps: VaultDeps, cloudfront: FakeCloudFront) -> None:
    cloudfront.add("E1", distribution_config("a"))
    cloudfront.add("E2", distribution_config("b"))

    logic.capture(EDITOR, "E1", "", deps)

    assert logic.capture(EDITOR, "E2", "", deps).version.version == 1


def test_concurrent_changes_never_share_a_number(
    deps: VaultDeps, cloudfront: FakeCloudFront
) -> None:
    # Given a distribution at version 1
    cloudfront.add("E1", distribution_config())
    logic.capture(EDITOR, "E1", "", deps)
    # When eight writers record eight different configurations at once
    lives = [cloudfront.change("E1", Comment=f"change {index}") for index in range(8)]
    numbers = record_at_once(deps, lives)

    # Then each got a number of its own, 2 to 9
    assert sorted(numbers) == list(range(2, 10))


def test_concurrent_captures_of_one_change_record_it_once(
    deps: VaultDeps, cloudfront: FakeCloudFront
) -> None:
    cloudfront.add("E1", distribution_config())
    logic.capture(EDITOR, "E1", "", deps)
    cloudfront.change("E1", Comment="once")
    start = threading.Barrier(6)
    created: list[bool] = []

    def capture() -> None:
        start.wait()
        created.append(logic.capture(EDITOR, "E1", "", deps).created)

    threads = [threading.Thread(target=capture) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert created.count(True) == 1
    assert deps.table.get_version("E1", 3) is None
