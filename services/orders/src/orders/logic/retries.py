"""A write that lost a race with a change to what it read, tried again after a pause."""

import random
from collections.abc import Callable

from shop_common.errors import StaleReadError

# A write based on products that changed meanwhile (a price, whether the stock is tracked,
# a deletion) reads them again and retries, at most this many times in all.
MAX_WRITE_ATTEMPTS = 3
# The bound of the first pause between two attempts (each later one doubles it).
FIRST_RETRY_PAUSE_SECONDS = 0.05

type Pause = Callable[[float], None]


def retrying_stale_reads[T](write: Callable[[], T], pause: Pause) -> T:
    """`write` (which reads what it is based on afresh each time), again if it lost a race
    with a change to that: `MAX_WRITE_ATTEMPTS` in all, the last one's `StaleReadError` a 409.

    Before each new attempt a random pause of up to twice the previous one's bound
    (exponential backoff with full jitter, as AWS advises for transaction conflicts), so
    that writers who collided do not all try again at the same moment."""
    for attempt in range(MAX_WRITE_ATTEMPTS - 1):
        try:
            return write()
        except StaleReadError:
            pause(random.uniform(0, FIRST_RETRY_PAUSE_SECONDS * 2**attempt))  # noqa: S311
    return write()
