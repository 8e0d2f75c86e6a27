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

from local.aws import fake_credentials_environment
from local.functions import lambda_environment
from local.templates import AUTH_TEMPLATE, REPO_ROOT, SERVICE_TEMPLATES, serverless_functions

REGION = "eu-west-1"
COMMON_SOURCE = REPO_ROOT / "services" / "common"
# What the functions' settings ask for, with values of the right shape.
SETTINGS = {
    "ALLOWED_ORIGINS": "https://shop.example.com",
    "PRODUCTS_TABLE_NAME": "products",
    "ORDERS_TABLE_NAME": "orders",
    "IDEMPOTENCY_TABLE_NAME": "idempotency",
    "USER_POOL_ID": f"{REGION}_Pool1",
    "USER_POOL_CLIENT_ID": "client1",
    "POWERTOOLS_SERVICE_NAME": "shop",
}
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
HANDLERS = [
    (spec.handler.rpartition(".")[0], spec.code_dir)
    for template in (AUTH_TEMPLATE, *SERVICE_TEMPLATES.values())
    for spec in serverless_functions(template).values()
]


@pytest.mark.parametrize(("module", "code_dir"), HANDLERS, ids=[m for m, _ in HANDLERS])
def test_a_snapshot_init_opens_no_connection(module: str, code_dir: Path) -> None:
    # Given Lambda's environment for a SnapStart snapshot's init, with connections refused
    environment = lambda_environment(
        module,
        handler=f"{module}.lambda_handler",
        task_root=code_dir,
        memory_mb=512,
        region=REGION,
        template_variables=SETTINGS,
        emulator={
            **fake_credentials_environment(REGION, "http://127.0.0.1:9"),
            "PYTHONPATH": os.pathsep.join(map(str, (code_dir, COMMON_SOURCE))),
        },
        initialization_type="snap-start",
    )
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
