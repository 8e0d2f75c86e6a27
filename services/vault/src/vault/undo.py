"""Changes in two places that cannot share a transaction (the scheduler and the table,
Cognito's user and its groups): when a later step fails, the earlier one is undone, so a
failed request changes nothing."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from shop_common.observability import logger


@contextmanager
def undone_on_failure(
    undo: Callable[[], None], *, kept_on: tuple[type[Exception], ...] = ()
) -> Iterator[None]:
    """If the block fails, `undo` puts back what was done before it, and the block's failure
    is raised. An undo that fails too is logged: the block's failure is still the one raised.
    A failure of a `kept_on` kind is raised without the undo: what was done stays."""
    try:
        yield
    except kept_on:
        raise
    except Exception:
        try:
            undo()
        except Exception:
            logger.exception("Could not undo the first step of a change that failed")
        raise
