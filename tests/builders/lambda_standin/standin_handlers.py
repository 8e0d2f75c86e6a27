"""Handlers for the worker-process tests: each shows one thing a Lambda container does.

This folder is the stand-in function's code (its `/var/task`); the worker imports this
module from it, alone on the path with the layers given.
"""

import json
import os
import sys
import time
from typing import Any


def environment(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """What the function sees when invoked: its environment and its process."""
    return {"environment": dict(os.environ), "pid": os.getpid(), "path": sys.path}


def sleep(event: dict[str, Any], context: Any) -> dict[str, Any]:
    started = time.monotonic()
    time.sleep(float(event["seconds"]))
    return {"pid": os.getpid(), "slept": time.monotonic() - started}


def exit_process(event: dict[str, Any], context: Any) -> None:
    os._exit(3)


def log(event: dict[str, Any], context: Any) -> str:
    sys.stdout.write(json.dumps({"level": "INFO", "message": event["message"]}) + "\n")
    sys.stderr.write("plain text on stderr\n")
    return "logged"


def fail(event: dict[str, Any], context: Any) -> None:
    raise ValueError("the handler refused")


def import_module(event: dict[str, Any], context: Any) -> str:
    """Imports `event["module"]`: what the function ships (its code, its layers) imports."""
    __import__(event["module"])
    return "imported"


def remaining_time(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {
        "remaining": context.get_remaining_time_in_millis(),
        "function_name": context.function_name,
        "memory": context.memory_limit_in_mb,
        "request_id": context.aws_request_id,
        "arn": context.invoked_function_arn,
    }
