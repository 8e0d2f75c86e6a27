"""Observability never fails a request: a metric that cannot be published is logged, not
raised; and SnapStart's restored environments get fresh random seeds."""

import logging
import random
from collections.abc import Iterator

import pytest
from aws_lambda_powertools.metrics import MetricUnit
from snapshot_restore_py import get_after_restore

from shop_common import observability
from shop_common.observability import SafeMetrics, logger, never_failing


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.failed: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.failed.append(str(getattr(record, "failed", "")))


@pytest.fixture
def logged() -> Iterator[Records]:
    """What the shared Powertools logger logs while the test runs."""
    records = Records()
    logging.getLogger(logger.name).addHandler(records)
    yield records
    logging.getLogger(logger.name).removeHandler(records)


def test_a_failure_inside_never_failing_is_logged_and_swallowed(logged: Records) -> None:
    with never_failing("a test metric"):
        raise RuntimeError("the metrics backend is gone")
    assert logged.failed == ["a test metric"]


def test_flushing_metrics_without_a_namespace_does_not_raise(logged: Records) -> None:
    # Given metrics with no namespace (none given, none in the environment) and one metric
    unnamed = SafeMetrics(namespace=None)
    unnamed.add_metric(name="Anything", unit=MetricUnit.Count, value=1)
    # When they are flushed at the end of an invocation, Then the failure is only logged
    try:
        unnamed.flush_metrics()
    finally:
        unnamed.clear_metrics()
    assert logged.failed == ["publishing metrics"]


def test_a_handler_whose_metrics_cannot_be_published_still_answers(logged: Records) -> None:
    # Given a handler under `log_metrics` (as every entrypoint is) that adds a metric, and
    # metrics with no namespace
    unnamed = SafeMetrics(namespace=None)

    @unnamed.log_metrics
    def handler(event: dict[str, str], context: object) -> dict[str, int]:
        unnamed.add_metric(name="Anything", unit=MetricUnit.Count, value=1)
        return {"statusCode": 200}

    # When it is invoked, Then its answer stands and the failure is only logged
    try:
        assert handler({}, None) == {"statusCode": 200}
    finally:
        unnamed.clear_metrics()
    assert logged.failed == ["publishing metrics"]


def test_a_restored_environment_draws_other_random_numbers_than_the_snapshot_would() -> None:
    # Given random's state as a SnapStart snapshot holds it, and the draw every clone would make
    random.seed(1234)
    snapshotted = random.getstate()
    clones_draw = random.random()
    random.setstate(snapshotted)

    # When Lambda runs the after-restore hooks
    for hook, args, kwargs in get_after_restore():
        hook(*args, **kwargs)

    # Then the shop's hook was among them and random was reseeded
    assert observability.reseed_after_restore in [hook for hook, _, _ in get_after_restore()]
    assert random.random() != clones_draw
