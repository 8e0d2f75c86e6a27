"""Property-based: schemathesis drives every operation of openapi.yaml against the running
stack as the admin. No answer is a 5xx, and every answer conforms to the contract (status
documented, content type and body schema as declared). Bounded in examples and time."""

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stacks.templates import OPENAPI
from tests.e2e.stack import RunningStack, Tokens

schema = schemathesis.openapi.from_path(OPENAPI)
EXAMPLES_PER_OPERATION = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.timeout(180)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_answers_within_its_contract(
    case: Any, stack: RunningStack, admin_tokens: Tokens
) -> None:
    case.call_and_validate(
        base_url=stack.api_url,
        headers={"Authorization": f"Bearer {admin_tokens.access_token}", "Origin": stack.origin},
        checks=CHECKS,
        timeout=30,
    )
