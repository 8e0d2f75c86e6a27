"""Lambda functions run locally as Lambda runs them: worker processes, one per warm container.

Each worker is a fresh Python process (local/lambda_/lambda_runtime.py, standard library only)
whose environment is exactly the function's Lambda environment (stacks/environment.py) and
whose import path is the function's code and layers, with the virtualenv's site-packages standing
in for the packages `sam build` would install. Its first invocation is its cold start (the
init phase imports the handler); later ones reuse it, one invocation at a time. Concurrent
invocations start more workers, up to a local cap per function, then queue. Past its timeout
a worker is killed (FunctionTimeoutError, the gateway's 504) and the next invocation starts
a fresh one; a worker that dies is replaced (FunctionCrashedError, a 502). Each worker's
stdout and stderr lines reach the console prefixed with the function's name.
"""

import contextlib
import json
import os
import select
import signal
import struct
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

RUNTIME_SCRIPT = Path(__file__).with_name("lambda_runtime.py")
# Workers of one function at once before invocations queue (Lambda scales much further;
# this bounds one laptop's processes and memory).
DEFAULT_MAX_WORKERS = 8
# Lambda's limit on a function's init phase (importing the handler).
INIT_TIMEOUT_SECONDS = 10.0
_LENGTH = struct.Struct(">I")
# The one local difference in a function's environment besides the emulator's address and
# credentials: there is no X-Ray daemon to send traces to.
LOCAL_RUNTIME_ENVIRONMENT = {"POWERTOOLS_TRACE_DISABLED": "true"}
# What the packages of a function's build stand in for locally: the virtualenv's.
SITE_PACKAGES = tuple(dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")]))


class FunctionTimeoutError(Exception):
    """The function ran past its configured timeout; its worker was killed."""


class FunctionCrashedError(Exception):
    """The worker process died (an exit, a crash, out of memory) before answering."""


class FunctionError(Exception):
    """The handler (or its init) raised: Lambda's errorType, errorMessage and stack trace."""

    def __init__(self, error: Mapping[str, Any]) -> None:
        super().__init__(str(error.get("errorMessage", "")))
        self.error_type = str(error.get("errorType", "Exception"))
        self.message = str(error.get("errorMessage", ""))
        self.stack_trace = "".join(error.get("stackTrace") or [])


@dataclass(frozen=True)
class Invocation:
    """A function's answer and how long its handler ran (init aside) inside the worker."""

    result: Any
    handler_ms: float
    init_ms: float | None  # the cold start's init phase, None on a warm worker


@runtime_checkable
class Function(Protocol):
    """What the gateway invokes: a function by name, one event at a time per call."""

    @property
    def name(self) -> str: ...

    def invoke(self, event: dict[str, Any], request_id: str) -> Invocation: ...


@dataclass(frozen=True)
class FunctionConfig:
    """What a worker of one function is started with (from its template)."""

    name: str
    arn: str
    handler: str
    task_root: Path
    layers: tuple[Path, ...]
    environment: Mapping[str, str]
    timeout_seconds: float
    memory_mb: int
    site_packages: tuple[str, ...] = SITE_PACKAGES


class Worker:
    """One worker process: a warm container of one function."""

    def __init__(self, config: FunctionConfig, log: Callable[[str], None]) -> None:
        self.config = config
        requests_read, self._requests = os.pipe()
        self._answers, answers_write = os.pipe()
        paths = [str(config.task_root), *(str(layer) for layer in config.layers)]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-S",
                str(RUNTIME_SCRIPT),
                config.environment.get("LC_CTYPE", ""),
                str(requests_read),
                str(answers_write),
                config.handler,
                *paths,
                "--",
                *config.site_packages,
            ],
            env={**config.environment, "LAMBDA_RUNTIME_DIR": str(RUNTIME_SCRIPT.parent)},
            cwd=config.task_root,
            pass_fds=(requests_read, answers_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            # Its own session: Ctrl-C in the terminal reaches the stack, which stops workers.
            start_new_session=True,
        )
        os.close(requests_read)
        os.close(answers_write)
        self._readers = [
            threading.Thread(
                target=_forward_lines, args=(stream, config.name, log), daemon=True, name=name
            )
            for stream, name in ((self.process.stdout, "stdout"), (self.process.stderr, "stderr"))
        ]
        for reader in self._readers:
            reader.start()
        self._ready = False
        self._stopped = False

    def invoke(self, event: dict[str, Any], request_id: str) -> Invocation:
        """The function's answer; raises FunctionError, FunctionTimeoutError (the worker is
        then killed) or FunctionCrashedError (the worker is gone)."""
        init_ms = None
        if not self._ready:
            ready = self._read(time.monotonic() + INIT_TIMEOUT_SECONDS, "its init phase")
            if "initError" in ready:
                self.stop()
                raise FunctionError(ready["initError"])
            self._ready = True
            init_ms = float(ready["initMs"])
        timeout = self.config.timeout_seconds
        deadline = time.monotonic() + timeout
        self._write(
            {
                "event": event,
                "requestId": request_id,
                "invokedFunctionArn": self.config.arn,
                "deadlineMs": int((time.time() + timeout) * 1000),
            }
        )
        answer = self._read(deadline, f"{timeout:.2f} seconds")
        invocation_ms = float(answer["durationMs"])
        if "error" in answer:
            raise FunctionError(answer["error"])
        return Invocation(answer["result"], invocation_ms, init_ms)

    @property
    def warm(self) -> bool:
        """Initialized and still running: it can take the next invocation."""
        return self._ready and self.process.poll() is None

    def stop(self) -> None:
        """End the worker (its request pipe closes: it exits; killed if it does not)."""
        if self._stopped:
            return
        self._stopped = True
        os.close(self._requests)
        os.close(self._answers)
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
        for reader in self._readers:
            reader.join(timeout=2)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def _write(self, message: Any) -> None:
        payload = json.dumps(message, separators=(",", ":")).encode()
        data = _LENGTH.pack(len(payload)) + payload
        try:
            while data:
                data = data[os.write(self._requests, data) :]
        except (BrokenPipeError, OSError) as exc:
            self.kill()
            raise FunctionCrashedError(self._exit_description()) from exc

    def _read(self, deadline: float, limit: str) -> dict[str, Any]:
        header = self._read_exactly(_LENGTH.size, deadline, limit)
        (length,) = _LENGTH.unpack(header)
        message: dict[str, Any] = json.loads(self._read_exactly(length, deadline, limit))
        return message

    def _read_exactly(self, size: int, deadline: float, limit: str) -> bytes:
        data = bytearray()
        while len(data) < size:
            remaining = deadline - time.monotonic()
            readable = remaining > 0 and select.select([self._answers], [], [], remaining)[0]
            if not readable:
                self.kill()
                raise FunctionTimeoutError(f"{self.config.name} timed out after {limit}")
            chunk = os.read(self._answers, size - len(data))
            if not chunk:
                self.process.wait()
                raise FunctionCrashedError(self._exit_description())
            data += chunk
        return bytes(data)

    def _exit_description(self) -> str:
        code = self.process.poll()
        if code is not None and code < 0:
            return f"{self.config.name}: the worker was killed by {signal.Signals(-code).name}"
        return f"{self.config.name}: the worker exited (status {code}) before answering"


def _forward_lines(stream: IO[bytes], name: str, log: Callable[[str], None]) -> None:
    """A worker's output to the console, each line prefixed with the function's name (the
    line itself, structured JSON included, untouched)."""
    for raw in stream:
        log(f"[{name}] {raw.decode(errors='replace').rstrip()}")
    stream.close()


@dataclass
class LocalFunction:
    """One function: its warm workers, more started on demand up to `max_workers`."""

    config: FunctionConfig
    log: Callable[[str], None]
    max_workers: int = DEFAULT_MAX_WORKERS
    _idle: list[Worker] = field(default_factory=list)
    _started: int = 0
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _closed: bool = False

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def workers(self) -> list[Worker]:
        """The idle (warm) workers."""
        with self._changed:
            return list(self._idle)

    def invoke(self, event: dict[str, Any], request_id: str) -> Invocation:
        worker = self._acquire()
        kept = False
        try:
            invocation = worker.invoke(event, request_id)
            kept = True
            return invocation
        except FunctionError:
            kept = worker.warm
            raise
        finally:
            self._release(worker, kept)

    def close(self) -> None:
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def _acquire(self) -> Worker:
        with self._changed:
            while not self._idle and self._started >= self.max_workers:
                self._changed.wait()
            if self._idle:
                return self._idle.pop()
            self._started += 1
        try:
            return Worker(self.config, self.log)
        except BaseException:
            self._release(None, kept=False)
            raise

    def _release(self, worker: Worker | None, kept: bool) -> None:
        with self._changed:
            if kept and worker is not None and not self._closed:
                self._idle.append(worker)
                worker = None
            else:
                self._started -= 1
            self._changed.notify()
        if worker is not None:
            worker.stop()
