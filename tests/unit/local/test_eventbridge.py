"""The local stack's EventBridge rules: the templates' patterns matched by moto's own matching,
each matching event delivered to its function, a failing delivery retried then reported."""

from typing import Any

import pytest

from local.eventbridge.rules import EventBus, Rule, rules_of
from local.lambda_.functions import FunctionError, Invocation
from stacks.templates import SERVICE_TEMPLATES, serverless_functions
from tests.builders.events import cloudtrail_event

ALICE = "arn:aws:iam::123456789012:user/alice"


class ScriptedFunction:
    """A function that keeps each event it is given and fails the first `failures` times."""

    name = "DetectVaultChangesFunction"

    def __init__(self, failures: int = 0) -> None:
        self.events: list[dict[str, Any]] = []
        self.failures = failures

    def invoke(self, event: dict[str, Any], request_id: str) -> Invocation:
        self.events.append(event)
        if len(self.events) <= self.failures:
            raise FunctionError({"errorType": "RuntimeError", "errorMessage": "down"})
        return Invocation(None, handler_ms=1.0, init_ms=None)


class Synchronous(EventBus):
    """The bus delivering in the caller's thread, without CloudTrail's delay."""

    def __init__(self, announced: list[str]) -> None:
        super().__init__(announced.append, delay=0, pause=lambda seconds: None)

    def put(self, event: dict[str, Any]) -> None:
        for rule in self._matching(event):
            self._deliver(rule, event)


def vault_rules(function: ScriptedFunction) -> list[Rule]:
    spec = serverless_functions(SERVICE_TEMPLATES["vault"])["DetectVaultChangesFunction"]
    return rules_of(spec.logical_id, spec.properties["Events"], function)


@pytest.mark.parametrize(
    "event_name", ["UpdateDistribution", "CreateDistribution", "DeleteDistribution", "TagResource"]
)
def test_the_vaults_rule_takes_each_cloudfront_change(event_name: str) -> None:
    # Given the vault's rule on a bus
    function, announced = ScriptedFunction(), []
    bus = Synchronous(announced)
    bus.add(vault_rules(function))
    # When CloudTrail's event of a change arrives
    bus.put(cloudtrail_event(event_name, ALICE, request={"id": "EONE"}))
    # Then the detection function receives it
    assert [event["detail"]["eventName"] for event in function.events] == [event_name]


def test_the_vaults_rule_leaves_out_a_call_that_changes_no_distribution() -> None:
    # Given the vault's rule on a bus
    function, announced = ScriptedFunction(), []
    bus = Synchronous(announced)
    bus.add(vault_rules(function))
    # When CloudTrail's event of an invalidation arrives
    bus.put(cloudtrail_event("CreateInvalidation", ALICE, request={"distributionId": "EONE"}))
    # Then the detection function is not invoked
    assert function.events == []


def test_a_failing_delivery_is_retried_then_reported() -> None:
    # Given the vault's rule (5 retries) and a function that keeps failing
    function, announced = ScriptedFunction(failures=100), []
    bus = Synchronous(announced)
    bus.add(vault_rules(function))
    # When an event arrives
    bus.put(cloudtrail_event("UpdateDistribution", ALICE, request={"id": "EONE"}))
    # Then it was tried once and retried 5 times, then reported
    assert len(function.events) == 6
    assert len(announced) == 1
    assert "gave up" in announced[0]


def test_a_delivery_that_fails_once_succeeds_on_its_retry() -> None:
    function, announced = ScriptedFunction(failures=1), []
    bus = Synchronous(announced)
    bus.add(vault_rules(function))
    bus.put(cloudtrail_event("UpdateDistribution", ALICE, request={"id": "EONE"}))
    assert (len(function.events), announced) == (2, [])
