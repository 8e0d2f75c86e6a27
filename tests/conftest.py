"""Settings every suite shares: no real AWS credentials or endpoints ever reach a test.

Nothing else is set for the whole run: a function's settings come from its template, only
where a test runs that function (tests/builders/environments.py), as Lambda gives them.
"""

import io
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from stacks.templates import SERVICE_TEMPLATES
from tests.builders.environments import import_layer_in_environment_of

# Set at import, before any handler module reads its settings at "cold start".
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "SAM_CLI_TELEMETRY": "0",
    }
)
for _inherited in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
    os.environ.pop(_inherited, None)
for _inherited in [name for name in os.environ if name.startswith("POWERTOOLS_")]:
    os.environ.pop(_inherited)

# Before any suite imports shop_common (the infra and unit suites do too, at collection):
# one process runs every service's functions, so the layer's Powertools objects are made
# once, in the orders functions' environment (whose metrics the service tests read); in
# Lambda each function's container makes its own. Nothing stays set after the import.
import_layer_in_environment_of(SERVICE_TEMPLATES["orders"], "UpsertOrderFunction")

TESTS = Path(__file__).parent
# Suites that need more than this process (the local stack, a browser) carry a marker
# named after their folder, so `pytest -m "not web"` can leave them out.
MARKED_SUITES = ("e2e", "web")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        suite = Path(item.path).relative_to(TESTS).parts[0]
        if suite in MARKED_SUITES:
            item.add_marker(getattr(pytest.mark, suite))


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Every line the functions' logger writes, at its most talkative level, as JSON."""
    # Imported here: the layer's first import happens in a function's environment.
    from shop_common.observability import logger

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    level = logger.log_level
    logger.addHandler(handler)
    logger.setLevel("DEBUG")
    yield stream
    logger.setLevel(level)
    logger.removeHandler(handler)
