"""A write that lost a race with a change to what it read, tried again after a pause
(shop_common.retry), at most MAX_WRITE_ATTEMPTS times for an order."""

from collections.abc import Callable

from shop_common import retry
from shop_common.retry import FIRST_RETRY_PAUSE_SECONDS as FIRST_RETRY_PAUSE_SECONDS
from shop_common.retry import Pause as Pause

# A write based on products that changed meanwhile (a price, whether the stock is tracked,
# a deletion) reads them again and retries, at most this many times in all.
MAX_WRITE_ATTEMPTS = 3


def retrying_stale_reads[T](write: Callable[[], T], pause: Pause) -> T:
    """`write`, again if it lost a race: MAX_WRITE_ATTEMPTS in all, the last one's
    `StaleReadError` a 409."""
    return retry.retrying_stale_reads(write, pause, MAX_WRITE_ATTEMPTS)
