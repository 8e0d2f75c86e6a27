"""The runtime of one local Lambda worker process (a warm container): standard library only.

Started by local/lambda_/functions.py as `python -I -S lambda_runtime.py <LC_CTYPE given> <fd in>
<fd out> <handler> <path>... -- <site-packages>...`, with exactly the function's environment.
Isolated (`-I`: no PYTHON* variables, no script folder on the path) and without `site`
(`-S`), so the import path is only what Lambda would give: the function's code
(`/var/task`), its layers (`/opt/python`), the standard library, then the given
site-packages folders (standing in for the packages the build installs) and nothing from
the project or the shell.

The init phase (importing the handler) runs at start-up, then one invocation at a time:
frames of a 4-byte big-endian length and UTF-8 JSON, requests on <fd in>, answers on
<fd out>. stdout and stderr are the function's log, read line by line by the parent.
"""

import importlib
import json
import os
import signal
import site
import struct
import sys
import time
import traceback
import warnings
from typing import Any

_LENGTH = struct.Struct(">I")


class LambdaContext:
    """The context object Lambda passes to a handler."""

    identity = None
    client_context = None

    def __init__(self, request: dict[str, Any]) -> None:
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ["AWS_LAMBDA_FUNCTION_VERSION"]
        self.memory_limit_in_mb = int(os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"])
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.invoked_function_arn = request["invokedFunctionArn"]
        self.aws_request_id = request["requestId"]
        self._deadline_ms = int(request["deadlineMs"])

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))


def read_frame(fd: int) -> Any:
    header = _read_exactly(fd, _LENGTH.size)
    if header is None:
        return None
    (length,) = _LENGTH.unpack(header)
    payload = _read_exactly(fd, length)
    if payload is None:
        return None
    return json.loads(payload)


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = os.read(fd, size - len(chunks))
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)


def write_frame(fd: int, message: Any) -> None:
    payload = json.dumps(message, separators=(",", ":")).encode()
    data = _LENGTH.pack(len(payload)) + payload
    while data:
        data = data[os.write(fd, data) :]


def error_of(exc: BaseException) -> dict[str, Any]:
    """An exception as Lambda reports it (errorType, errorMessage, stackTrace)."""
    return {
        "errorType": type(exc).__name__,
        "errorMessage": str(exc),
        "stackTrace": traceback.format_exception(exc),
    }


def load_handler(handler: str) -> Any:
    module_name, _, attribute = handler.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def invoke(handler: Any, request: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = handler(request["event"], LambdaContext(request))
        # Lambda serializes the result as JSON: what cannot be is the function's error.
        answer: dict[str, Any] = {"result": json.loads(json.dumps(result))}
    except Exception as exc:
        answer = {"error": error_of(exc)}
    answer["durationMs"] = (time.perf_counter() - started) * 1000
    return answer


def undo_locale_coercion(given_lc_ctype: str) -> None:
    """Python sets LC_CTYPE itself when LANG's locale is not installed here (PEP 538);
    Lambda has its LANG's locale, so a function there never sees that variable."""
    if not given_lc_ctype:
        os.environ.pop("LC_CTYPE", None)


def main(arguments: list[str]) -> int:
    given_lc_ctype, requests_fd, answers_fd, handler_name, *import_path = arguments
    undo_locale_coercion(given_lc_ctype)
    task_root, *others = import_path
    site_packages = others[others.index("--") + 1 :] if "--" in others else []
    layers = others[: others.index("--")] if "--" in others else others
    standard_library = [entry for entry in sys.path if entry]
    sys.path[:] = [task_root, *layers, *standard_library]
    for folder in site_packages:
        site.addsitedir(folder)  # with its .pth files, as an installed package expects
    os.chdir(task_root)
    # The parent stops this process; Ctrl-C in its terminal is the parent's to handle.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # One line per stdout write, as Lambda's log would have it, even though stdout is a pipe.
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.stderr.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    # Powertools warns on every invocation that publishes no metric: noise on a laptop.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    read_fd, write_fd = int(requests_fd), int(answers_fd)
    started = time.perf_counter()
    try:
        handler = load_handler(handler_name)
    except Exception as exc:
        write_frame(write_fd, {"initError": error_of(exc)})
        return 1
    write_frame(write_fd, {"ready": True, "initMs": (time.perf_counter() - started) * 1000})
    while (request := read_frame(read_fd)) is not None:
        write_frame(write_fd, invoke(handler, request))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
