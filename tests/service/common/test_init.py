"""A SnapStart snapshot holds no connection: every function's init (its handler's import,
Tracer included, as Lambda runs it for a snapshot) connects to nothing.

Each handler is imported in a process of its own with Lambda's environment and socket
connections refused; an import that tried one fails.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stacks.templates import AUTH_TEMPLATE, REPO_ROOT, SERVICE_TEMPLATES, serverless_functions
from tests.builders.environments import function_environment

COMMON_SOURCE = REPO_ROOT / "services" / "common"
USER_POOL_ID = "eu-west-1_Pool1"
_IMPORT_WITHOUT_CONNECTIONS = """
import socket, sys
def refuse(*args, **kwargs):
    raise AssertionError(f"init opened a connection: {args[1:]}")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
__import__(sys.argv[1])
print("imported")
"""
FUNCTIONS = [
    (template, logical_id)
    for template in (AUTH_TEMPLATE, SERVICE_TEMPLATES["products"], SERVICE_TEMPLATES["orders"])
    for logical_id in serverless_functions(template)
]


@pytest.mark.parametrize(("template", "logical_id"), FUNCTIONS, ids=[f[1] for f in FUNCTIONS])
def test_a_snapshot_init_opens_no_connection(template: Path, logical_id: str) -> None:
    # Given the function's environment for a SnapStart snapshot's init, connections refused
    spec = serverless_functions(template)[logical_id]
    module, code_dir = spec.handler.rpartition(".")[0], spec.code_dir
    local = {
        "AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "PYTHONPATH": os.pathsep.join(map(str, (code_dir, COMMON_SOURCE))),
    }
    environment = function_environment(template, logical_id, local, user_pool_id=USER_POOL_ID)
    # When the handler is imported
    run = subprocess.run(
        [sys.executable, "-c", _IMPORT_WITHOUT_CONNECTIONS, module],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # Then it imported without connecting anywhere
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "imported"
