"""Lambda functions run in-process, each imported once like a warm container.

Each function is imported with its own copy of the project's modules (its code folder and
its layers) and with its template environment applied, so module-level settings, clients
and caches belong to that function alone, as they would in its container. Invocations run
on worker threads so that a function past its timeout can be abandoned (the gateway answers
504); Python cannot stop the thread, so it finishes in the background.
"""

import importlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Handler = Callable[[dict[str, Any], Any], Any]

# Concurrent invocations in flight (API Gateway's default account concurrency is far higher;
# this only bounds the threads of one laptop process).
MAX_CONCURRENT_INVOCATIONS = 64

_import_lock = threading.Lock()


class FunctionTimeoutError(Exception):
    """The function ran past its configured timeout."""


class LambdaContext:
    """The context object Lambda passes to a handler."""

    function_version = "$LATEST"
    identity = None
    client_context = None

    def __init__(self, function: "LocalFunction", request_id: str, deadline: float) -> None:
        self.function_name = function.name
        self.invoked_function_arn = function.arn
        self.memory_limit_in_mb = function.memory_mb
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{function.name}"
        self.log_stream_name = time.strftime("%Y/%m/%d/[$LATEST]local")
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass(frozen=True)
class LocalFunction:
    """A loaded function: its identity and limits from the template, and its handler."""

    name: str
    arn: str
    timeout_seconds: float
    memory_mb: int
    handler: Handler

    def invoke(self, event: dict[str, Any], request_id: str, pool: ThreadPoolExecutor) -> Any:
        """The handler's result; its exception as is; FunctionTimeoutError past the timeout."""
        deadline = time.monotonic() + self.timeout_seconds
        context = LambdaContext(self, request_id, deadline)
        future = pool.submit(self.handler, event, context)
        try:
            return future.result(timeout=self.timeout_seconds)
        except FutureTimeoutError as exc:
            raise FunctionTimeoutError(
                f"{self.name} timed out after {self.timeout_seconds:.2f} seconds"
            ) from exc


def invocation_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(MAX_CONCURRENT_INVOCATIONS, thread_name_prefix="lambda")


def load_handler(
    handler_path: str,
    code_dirs: list[Path],
    environment: Mapping[str, str],
    isolated_roots: list[Path],
) -> Handler:
    """Import `module.attribute` from `code_dirs` with `environment` set, as a cold start.

    Modules already imported from any of `isolated_roots` (another function's code) are
    dropped from `sys.modules` first, so this function gets its own copies.
    """
    module_name, _, attribute = handler_path.rpartition(".")
    with _import_lock, _applied(environment):
        _forget_modules_under(isolated_roots)
        for directory in reversed(code_dirs):
            if str(directory) in sys.path:
                sys.path.remove(str(directory))
            sys.path.insert(0, str(directory))
        module = importlib.import_module(module_name)
    handler: Handler = getattr(module, attribute)
    return handler


def _forget_modules_under(roots: list[Path]) -> None:
    prefixes = tuple(str(root) + os.sep for root in roots)
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None) or ""
        if origin.startswith(prefixes):
            del sys.modules[name]


@contextmanager
def _applied(environment: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
