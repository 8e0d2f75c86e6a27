"""The templates' EventBridge rules (SAM's `EventBridgeRule` events): an event matching a rule's
pattern (moto's own pattern matching) invokes its function asynchronously, as EventBridge
does, retried up to the rule's `MaximumRetryAttempts` when the function fails."""

import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from moto.events.models import EventPattern
from moto.events.utils import EventMessageType

from local.lambda_.functions import Function

# EventBridge's default when a rule's target sets no retry policy.
DEFAULT_RETRIES = 185
MAX_BACKOFF_SECONDS = 60
# CloudTrail delivers a management event some seconds after the call (minutes at worst): the
# caller's own bookkeeping of its change (a vault rollback's version) comes first, as in AWS.
DELIVERY_DELAY_SECONDS = 10.0


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: EventPattern
    function: Function
    max_retries: int


def rules_of(function_name: str, events: Mapping[str, Any], function: Function) -> list[Rule]:
    """The EventBridge rules of one function's resolved `Events`."""
    rules = []
    for name, event in events.items():
        if event.get("Type") != "EventBridgeRule":
            continue
        properties = event["Properties"]
        retries = properties.get("RetryPolicy", {}).get("MaximumRetryAttempts", DEFAULT_RETRIES)
        rules.append(
            Rule(
                name=f"{function_name}{name}",
                pattern=EventPattern.load(json.dumps(properties["Pattern"])),
                function=function,
                max_retries=int(retries),
            )
        )
    return rules


class EventBus:
    """The default bus: each event put on it goes to every rule it matches."""

    def __init__(
        self,
        announce: Callable[[str], None],
        delay: float = DELIVERY_DELAY_SECONDS,
        pause: Callable[[float], None] = time.sleep,
    ) -> None:
        self._rules: list[Rule] = []
        self._announce = announce
        self._delay = delay
        self._pause = pause

    def add(self, rules: list[Rule]) -> None:
        self._rules.extend(rules)

    def put(self, event: dict[str, Any]) -> None:
        for rule in self._matching(event):
            threading.Thread(
                target=self._deliver, args=(rule, event), name=rule.name, daemon=True
            ).start()

    def _matching(self, event: dict[str, Any]) -> list[Rule]:
        return [
            rule
            for rule in self._rules
            if rule.pattern.matches_event(cast(EventMessageType, event))
        ]

    def _deliver(self, rule: Rule, event: dict[str, Any]) -> None:
        self._pause(self._delay)
        deliver(
            rule.function,
            event,
            max_retries=rule.max_retries,
            pause=self._pause,
            give_up=lambda error: self._announce(
                f"warning: rule {rule.name} gave up on {event['id']}: {error}"
            ),
        )


def deliver(
    function: Function,
    event: dict[str, Any],
    *,
    max_retries: int,
    pause: Callable[[float], None],
    give_up: Callable[[Exception], None],
) -> None:
    """An asynchronous invocation as EventBridge (its rules and its Scheduler) makes one: any
    failure retried with exponential backoff, `max_retries` times, then given up on."""
    for attempt in range(max_retries + 1):
        try:
            function.invoke(event, str(uuid.uuid4()))
            return
        except Exception as error:  # EventBridge retries any failure
            if attempt == max_retries:
                give_up(error)
                return
            pause(min(2**attempt, MAX_BACKOFF_SECONDS))
