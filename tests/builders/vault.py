"""The config vault's writers, as the tests start them."""

import threading

from vault import logic
from vault.dependencies import LiveDistribution, VaultDeps
from vault.models import Source


def record_at_once(deps: VaultDeps, lives: list[LiveDistribution]) -> list[int]:
    """The version numbers given when one writer per configuration in `lives` records it as
    detected, all released at the same moment."""
    start = threading.Barrier(len(lives))
    numbers: list[int] = []

    def write(live: LiveDistribution) -> None:
        start.wait()
        captured = logic.record(deps, live, source=Source.DETECTED, who=None, note="")
        numbers.append(captured.version.version)

    threads = [threading.Thread(target=write, args=(live,)) for live in lives]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return numbers
