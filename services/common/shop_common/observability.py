"""Powertools Logger, Metrics and Tracer, configured by the POWERTOOLS_* environment.

The Tracer is made at the first traced invocation (one X-Ray samples), not at import: making
it imports the X-Ray SDK and patches botocore, which a cold start need not wait for, and an
invocation X-Ray does not sample records nothing the SDK would send. botocore is patched at
class level, so the clients made at import are traced from then on. When Lambda initializes
the function off the request path (SnapStart's snapshot, provisioned concurrency), the
Tracer is made at import instead, so that the environment starts with it.

Observability never fails a request: what goes wrong while publishing a metric (after the
request's change has committed) is logged and swallowed (`never_failing`).
"""

import os
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, wraps
from typing import Any

import aws_lambda_powertools.tracing.tracer as powertools_tracer
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import (
    AmazonCloudWatchEMFProvider,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from snapshot_restore_py import register_after_restore


@contextmanager
def never_failing(what: str) -> Iterator[None]:
    """Run observability code whose failure must not turn a saved change into a 5xx."""
    try:
        yield
    except Exception:
        logger.exception("Observability failed; the request's outcome stands", failed=what)


class _NeverFailingEMFProvider(AmazonCloudWatchEMFProvider):
    """Powertools' CloudWatch EMF provider whose flush never raises. `Metrics.log_metrics`
    flushes through its provider, not through `Metrics.flush_metrics`: the guard is here."""

    def flush_metrics(self, raise_on_empty_metrics: bool = False) -> None:
        with never_failing("publishing metrics"):
            super().flush_metrics(raise_on_empty_metrics)


class SafeMetrics(Metrics):
    """Powertools Metrics whose flush at the end of an invocation never raises."""

    def __init__(self, namespace: str | None = None) -> None:
        super().__init__(
            provider=_NeverFailingEMFProvider(
                namespace=namespace,
                metric_set=self._metrics,
                dimension_set=self._dimensions,
                metadata_set=self._metadata,
                default_dimensions=self._default_dimensions,
            )
        )


logger = Logger()
metrics = SafeMetrics()

# The libraries X-Ray records calls of: the services call out through botocore alone
# (patching every library X-Ray knows would import sqlite3, http.client... for nothing).
TRACED_LIBRARIES = ("botocore",)
# Lambda's AWS_LAMBDA_INITIALIZATION_TYPE when no request waits for the initialization.
INITIALIZED_AHEAD = frozenset({"snap-start", "provisioned-concurrency"})
# Lambda puts each invocation's X-Ray trace header, with its sampling decision, here.
TRACE_HEADER_VARIABLE = "_X_AMZN_TRACE_ID"

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


@cache
def tracer() -> Tracer:
    """The function's one Tracer (Powertools' X-Ray tracer), made on first use."""
    return Tracer(patch_modules=TRACED_LIBRARIES)


def traced(handler: Handler) -> Handler:
    """`Tracer.capture_lambda_handler` for `handler` on the invocations X-Ray samples."""

    @wraps(handler)
    def run(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        if is_sampled():
            return _captured(handler)(event, context)
        # Powertools annotates the first captured invocation as the cold start: once an
        # invocation has run untraced, the cold start is past.
        powertools_tracer.is_cold_start = False
        return handler(event, context)

    return run


def is_sampled() -> bool:
    """Whether X-Ray records the current invocation (`Sampled=1` in its trace header)."""
    return "Sampled=1" in os.environ.get(TRACE_HEADER_VARIABLE, "").split(";")


@cache
def _captured(handler: Handler) -> Handler:
    # The response holds what the caller sees (usernames, totals, orders): X-Ray keeps none of
    # it, nor the request (Powertools records no event); errors are kept, as the fault's trace.
    captured: Handler = tracer().capture_lambda_handler(handler, capture_response=False)
    return captured


def initialized_ahead() -> bool:
    """Whether this initialization runs before any request (a snapshot, provisioned
    concurrency): then what the first request would make is made now."""
    return os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE", "") in INITIALIZED_AHEAD


def reseed_after_restore() -> None:
    """Every environment restored from one SnapStart snapshot starts with the same memory:
    `random`'s state is reseeded from the OS so they do not draw the same numbers (ids come
    from `uuid4`, i.e. the OS, already)."""
    random.seed()


register_after_restore(reseed_after_restore)
if initialized_ahead():
    tracer()
