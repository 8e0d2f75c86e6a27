"""Powertools Logger, Tracer and Metrics, configured by the POWERTOOLS_* environment.

Observability never fails a request: what goes wrong while publishing a metric (after the
request's change has committed) is logged and swallowed (`never_failing`).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from aws_lambda_powertools import Logger, Metrics, Tracer


@contextmanager
def never_failing(what: str) -> Iterator[None]:
    """Run observability code whose failure must not turn a saved change into a 5xx."""
    try:
        yield
    except Exception:
        logger.exception("Observability failed; the request's outcome stands", failed=what)


class SafeMetrics(Metrics):
    """Powertools Metrics whose flush at the end of an invocation never raises."""

    def flush_metrics(self, raise_on_empty_metrics: bool = False) -> None:
        with never_failing("publishing metrics"):
            super().flush_metrics(raise_on_empty_metrics)


logger = Logger()
tracer = Tracer()
metrics = SafeMetrics()
