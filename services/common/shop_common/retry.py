"""Writes that lost a race, tried again: the orders' stock and the vault's version numbers."""

import random
from collections.abc import Callable

from shop_common.errors import StaleReadError

# The bound of the first pause between two attempts (each later one doubles it).
FIRST_RETRY_PAUSE_SECONDS = 0.05

Pause = Callable[[float], None]


def retrying_stale_reads[T](write: Callable[[], T], pause: Pause, attempts: int) -> T:
    """`write` (which reads what it is based on afresh each time), again if it lost a race
    with a change to that: `attempts` in all, the last one's `StaleReadError` raised.

    Before each new attempt a random pause of up to twice the previous one's bound
    (exponential backoff with full jitter, as AWS advises for transaction conflicts), so
    that writers who collided do not all try again at the same moment."""
    for attempt in range(attempts - 1):
        try:
            return write()
        except StaleReadError:
            pause(random.uniform(0, FIRST_RETRY_PAUSE_SECONDS * 2**attempt))  # noqa: S311
    return write()
