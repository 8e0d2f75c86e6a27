"""Settings every suite shares: no real AWS credentials or endpoints ever reach a test."""

import os
from pathlib import Path

import pytest

# Set at import, before any handler module reads its settings at "cold start".
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "SAM_CLI_TELEMETRY": "0",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "ShopTest",
        "POWERTOOLS_SERVICE_NAME": "shop-test",
        "POWERTOOLS_DEV": "false",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)

TESTS = Path(__file__).parent
# Suites that need more than this process (the local stack, a browser) carry a marker
# named after their folder, so `pytest -m "not web"` can leave them out.
MARKED_SUITES = ("e2e", "web")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        suite = Path(item.path).relative_to(TESTS).parts[0]
        if suite in MARKED_SUITES:
            item.add_marker(getattr(pytest.mark, suite))
