"""A function run in the test's own process, for tests of the gateway's pipeline.

It answers as local/lambda_/functions.py's worker processes do (an `Invocation`, or FunctionError,
FunctionTimeoutError), with a Python callable as its handler so a test can record what it
was given. The workers themselves are tested with real processes (tests/e2e/test_workers.py).
"""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import dataclass, field
from typing import Any

from local.lambda_.functions import FunctionError, FunctionTimeoutError, Invocation

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class StandInContext:
    """The Lambda context attributes the stand-ins read."""

    function_name: str
    memory_limit_in_mb: int
    aws_request_id: str
    deadline: float

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


@dataclass
class InProcessFunction:
    name: str
    timeout_seconds: float
    memory_mb: int
    handler: Handler
    _pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(8))

    def invoke(self, event: dict[str, Any], request_id: str) -> Invocation:
        deadline = time.monotonic() + self.timeout_seconds
        context = StandInContext(self.name, self.memory_mb, request_id, deadline)
        started = time.perf_counter()
        future = self._pool.submit(self.handler, event, context)
        try:
            result = future.result(timeout=self.timeout_seconds)
        except FutureTimeoutError as exc:
            raise FunctionTimeoutError(f"{self.name} timed out") from exc
        except Exception as exc:
            raise FunctionError(
                {"errorType": type(exc).__name__, "errorMessage": str(exc)}
            ) from exc
        return Invocation(result, (time.perf_counter() - started) * 1000, None)
