"""The worker processes that run each function as Lambda runs it (local/lambda_/functions.py).

Real processes of local/lambda_/lambda_runtime.py: the stand-in handlers of
tests/builders/lambda_standin show what a container does (its environment, its import path,
cold and warm starts, timeouts, crashes, logs); the environment test uses a real function's
configuration, built by the local stack's own code from its template.
"""

import dataclasses
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from local.cloudformation.stack import resolved_environment
from local.lambda_.functions import (
    LOCAL_RUNTIME_ENVIRONMENT,
    FunctionConfig,
    FunctionCrashedError,
    FunctionError,
    FunctionTimeoutError,
    LocalFunction,
)
from stacks.templates import SERVICE_TEMPLATES, serverless_functions
from tests.builders.environments import TEST_CREDENTIALS, cloud_of_test_resources

STANDIN_ROOT = Path(__file__).resolve().parent.parent / "builders" / "lambda_standin"
LAYER = SERVICE_TEMPLATES["orders"].parent.parent / "common"
# What Lambda sets in every function's environment besides the template's variables.
LAMBDA_VARIABLES = {
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "_HANDLER",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
    "LANG",
    "TZ",
    "PATH",
}


def standin_config(handler: str, timeout: float = 5.0, **changes: Any) -> FunctionConfig:
    """A stand-in function: the module in tests/builders/lambda_standin, the common layer."""
    config = FunctionConfig(
        name="standin",
        arn="arn:aws:lambda:eu-west-1:123456789012:function:standin",
        handler=f"standin_handlers.{handler}",
        task_root=STANDIN_ROOT,
        layers=(LAYER,),
        environment={
            "AWS_LAMBDA_FUNCTION_NAME": "standin",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/standin",
            "AWS_LAMBDA_LOG_STREAM_NAME": "local",
        },
        timeout_seconds=timeout,
        memory_mb=128,
    )
    return dataclasses.replace(config, **changes)


class Console:
    """The lines the workers send to the console."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, line: str) -> None:
        with self._lock:
            self.lines.append(line)

    def wait_for(self, count: int) -> list[str]:
        deadline = time.monotonic() + 5
        while len(self.lines) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return list(self.lines)


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def started() -> Iterator[list[LocalFunction]]:
    """The functions a test starts, closed (their workers stopped) afterwards."""
    functions: list[LocalFunction] = []
    yield functions
    for function in functions:
        function.close()


def function(
    started: list[LocalFunction], config: FunctionConfig, console: Any = print, workers: int = 4
) -> LocalFunction:
    local = LocalFunction(config, log=console, max_workers=workers)
    started.append(local)
    return local


# ------------------------------------------------------------------ the environment
def test_a_function_sees_exactly_its_templates_environment_at_invocation_time(
    started: list[LocalFunction], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given UpsertOrder's configuration, built from its template by the local stack's code,
    # run by the stand-in handler that reports its environment (same variables, same runtime)
    template = SERVICE_TEMPLATES["orders"]
    specs = serverless_functions(template)
    scope = cloud_of_test_resources().function_scope(template, specs)
    emulator = {**TEST_CREDENTIALS, **LOCAL_RUNTIME_ENVIRONMENT}
    real = cloud_of_test_resources().function_config(specs["UpsertOrderFunction"], scope, emulator)
    config = dataclasses.replace(
        real, handler="standin_handlers.environment", task_root=STANDIN_ROOT
    )
    # And a shell that has variables of its own, a Powertools one among them
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "FromTheShell")
    monkeypatch.setenv("SHOP_SHELL_ONLY", "leaked")

    # When it is invoked (twice: cold, then warm)
    upsert_order = function(started, config)
    upsert_order.invoke({}, "r-1")
    seen = upsert_order.invoke({}, "r-2").result["environment"]

    # Then it sees its template's variables, Lambda's own and the emulator's, nothing else
    template_variables = resolved_environment(specs["UpsertOrderFunction"], scope)
    assert seen == {
        **{name: seen[name] for name in LAMBDA_VARIABLES},
        **template_variables,
        **emulator,
    }
    assert seen["POWERTOOLS_METRICS_NAMESPACE"] == "Shop"
    assert seen["AWS_LAMBDA_FUNCTION_NAME"] == real.name
    assert seen["_HANDLER"] == specs["UpsertOrderFunction"].handler
    assert "SHOP_SHELL_ONLY" not in seen


def test_the_context_names_the_function_and_its_time_left(started: list[LocalFunction]) -> None:
    standin = function(started, standin_config("remaining_time", timeout=3))
    answer = standin.invoke({}, "request-7").result
    assert answer["function_name"] == "standin"
    assert answer["memory"] == 128
    assert answer["request_id"] == "request-7"
    assert answer["arn"].endswith(":function:standin")
    assert 0 < answer["remaining"] <= 3000


# ------------------------------------------------------------------ the import path
def test_the_import_path_is_the_functions_code_and_layers_then_the_packages(
    started: list[LocalFunction],
) -> None:
    standin = function(started, standin_config("environment"))
    path = standin.invoke({}, "r").result["path"]
    assert path[:2] == [str(STANDIN_ROOT), str(LAYER)]
    repository = str(STANDIN_ROOT.parent.parent.parent)
    assert repository not in path


@pytest.mark.parametrize("module", ["shop_common.errors", "json", "pydantic"])
def test_what_the_function_ships_imports(started: list[LocalFunction], module: str) -> None:
    standin = function(started, standin_config("import_module"))
    assert standin.invoke({"module": module}, "r").result == "imported"


@pytest.mark.parametrize("module", ["local.lambda_.functions", "orders.logic", "tests"])
def test_a_module_the_function_does_not_ship_fails_to_import(
    started: list[LocalFunction], module: str
) -> None:
    # Given a function whose code and layers hold neither the project nor another service
    standin = function(started, standin_config("import_module"))
    # When it imports one of them, Then it fails as it would in AWS
    with pytest.raises(FunctionError) as refused:
        standin.invoke({"module": module}, "r")
    assert refused.value.error_type == "ModuleNotFoundError"


def test_a_handler_module_that_cannot_be_imported_is_an_init_error(
    started: list[LocalFunction],
) -> None:
    config = dataclasses.replace(standin_config("fail"), handler="no_such_module.handler")
    standin = function(started, config)
    with pytest.raises(FunctionError) as refused:
        standin.invoke({}, "r")
    assert refused.value.error_type == "ModuleNotFoundError"
    assert standin.workers == []


# ------------------------------------------------------------------ cold, warm, concurrent
def test_the_first_invocation_is_a_cold_start_and_the_next_reuse_the_worker(
    started: list[LocalFunction],
) -> None:
    standin = function(started, standin_config("sleep"))
    first = standin.invoke({"seconds": 0}, "r-1")
    second = standin.invoke({"seconds": 0}, "r-2")
    assert first.init_ms is not None
    assert second.init_ms is None
    assert first.result["pid"] == second.result["pid"]


def test_concurrent_invocations_run_in_workers_of_their_own(started: list[LocalFunction]) -> None:
    standin = function(started, standin_config("sleep"), workers=4)
    results: list[dict[str, Any]] = []
    threads = [
        threading.Thread(
            target=lambda n=n: results.append(standin.invoke({"seconds": 0.5}, f"r-{n}").result)
        )
        for n in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({result["pid"] for result in results}) == 3
    assert len(standin.workers) == 3


def test_past_the_cap_invocations_queue_for_a_worker(started: list[LocalFunction]) -> None:
    standin = function(started, standin_config("sleep"), workers=1)
    standin.invoke({"seconds": 0}, "warm-up")
    results: list[dict[str, Any]] = []
    threads = [
        threading.Thread(
            target=lambda n=n: results.append(standin.invoke({"seconds": 0.3}, f"r-{n}").result)
        )
        for n in range(2)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({result["pid"] for result in results}) == 1
    assert time.monotonic() - began >= 0.6


# ------------------------------------------------------------------ failures
def test_past_its_timeout_the_worker_is_killed_and_the_next_call_starts_cold(
    started: list[LocalFunction],
) -> None:
    standin = function(started, standin_config("sleep", timeout=0.5))
    warm = standin.invoke({"seconds": 0}, "r-1")
    with pytest.raises(FunctionTimeoutError):
        standin.invoke({"seconds": 5}, "r-2")
    with pytest.raises(ProcessLookupError):
        os.kill(warm.result["pid"], 0)
    after = standin.invoke({"seconds": 0}, "r-3")
    assert after.init_ms is not None
    assert after.result["pid"] != warm.result["pid"]


def test_a_worker_that_dies_is_reported_and_replaced(started: list[LocalFunction]) -> None:
    crashing = function(started, standin_config("exit_process"))
    with pytest.raises(FunctionCrashedError, match="exited"):
        crashing.invoke({}, "r-1")
    assert crashing.workers == []
    # And the next invocation gets a fresh worker
    with pytest.raises(FunctionCrashedError):
        crashing.invoke({}, "r-2")


def test_a_handlers_exception_is_reported_and_the_worker_stays_warm(
    started: list[LocalFunction],
) -> None:
    failing = function(started, standin_config("fail"))
    with pytest.raises(FunctionError) as raised:
        failing.invoke({}, "r")
    assert (raised.value.error_type, raised.value.message) == ("ValueError", "the handler refused")
    assert "standin_handlers.py" in raised.value.stack_trace
    assert len(failing.workers) == 1


# ------------------------------------------------------------------ logs
def test_log_lines_reach_the_console_prefixed_with_the_functions_name(
    started: list[LocalFunction], console: Console
) -> None:
    standin = function(started, standin_config("log"), console=console)
    standin.invoke({"message": 'a "quoted" word'}, "r")
    lines = console.wait_for(2)
    structured = next(line for line in lines if "{" in line)
    assert structured.startswith("[standin] ")
    assert json.loads(structured.removeprefix("[standin] ")) == {
        "level": "INFO",
        "message": 'a "quoted" word',
    }
    assert "[standin] plain text on stderr" in lines
