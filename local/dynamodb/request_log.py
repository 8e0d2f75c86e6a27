"""How long the emulator took over each DynamoDB request, read back at
`GET /_local/dynamodb/requests?after=<sequence>` on the AWS emulator's address (local only:
the figure AWS publishes per operation as CloudWatch's `SuccessfulRequestLatency`, here per
request, so a benchmark can tell the emulator's part of an answer from the shop's).

The answer: `{"in_flight": n, "requests": [{"sequence", "operation", "ms"}...]}`, the requests
finished after `sequence` (the last 100,000 are kept), oldest first; `in_flight` is how many
are still running (one a function gave up on may still be). Read-only: it changes nothing.
"""

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from local.dynamodb.atomic import DYNAMODB_TARGET_PREFIX, TARGET_HEADER

WsgiApplication = Callable[[dict[str, Any], Any], Iterable[bytes]]

PATH = "/_local/dynamodb/requests"
KEPT = 100_000


class DynamoDBRequestLog:
    """WSGI middleware: times every DynamoDB request the application answers (place it
    inside `AtomicDynamoDB`, so a write's wait for the lock is not counted)."""

    def __init__(self, application: WsgiApplication) -> None:
        self._application = application
        self._lock = threading.Lock()
        self._sequence = 0
        self._in_flight = 0
        self._finished: deque[dict[str, Any]] = deque(maxlen=KEPT)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        target = str(environ.get(TARGET_HEADER, ""))
        if target.startswith(DYNAMODB_TARGET_PREFIX):
            return self._timed(target.removeprefix(DYNAMODB_TARGET_PREFIX), environ, start_response)
        if environ.get("PATH_INFO") == PATH and environ.get("REQUEST_METHOD") == "GET":
            after = int(Request(environ).args.get("after", "0") or 0)
            return Response(json.dumps(self.since(after)), content_type="application/json")(
                environ, start_response
            )
        return self._application(environ, start_response)

    def since(self, after: int) -> dict[str, Any]:
        with self._lock:
            finished = [entry for entry in self._finished if entry["sequence"] > after]
            return {"in_flight": self._in_flight, "requests": finished}

    def _timed(self, operation: str, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self._lock:
            self._in_flight += 1
        started = time.perf_counter()
        try:
            result = self._application(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            with self._lock:
                self._in_flight -= 1
                self._sequence += 1
                self._finished.append(
                    {"sequence": self._sequence, "operation": operation, "ms": elapsed}
                )
