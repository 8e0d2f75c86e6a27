"""Cold start: each handler module imported in a fresh process, beside `import boto3` alone.

The import is timed inside the child (interpreter start-up is the same for both and left
out), with the function's environment from its template, as Lambda's init phase runs it.
"""

import os
import subprocess
import sys

from bench.common import median, table, verdict
from local.shop import FUNCTION_TEMPLATES, LocalShop
from local.stack import resolved_environment
from local.templates import serverless_functions

RUNS = 10
TARGET_RATIO = 1.3
_TIMER = (
    "import importlib, time, sys\n"
    "started = time.perf_counter()\n"
    "importlib.import_module(sys.argv[1])\n"
    "print((time.perf_counter() - started) * 1000)\n"
)


def import_ms(module: str, environment: dict[str, str], python_path: list[str]) -> float:
    env = {**os.environ, **environment, "PYTHONPATH": os.pathsep.join(python_path)}
    output = subprocess.run(
        [sys.executable, "-c", _TIMER, module], env=env, check=True, capture_output=True, text=True
    ).stdout
    return float(output.strip().splitlines()[-1])


def report(shop: LocalShop) -> str:
    baseline = median([import_ms("boto3", {}, []) for _ in range(RUNS)])
    rows: list[list[object]] = [["`import boto3` (baseline)", f"{baseline:.0f} ms", "1.00x", ""]]
    for path in FUNCTION_TEMPLATES:
        specs = serverless_functions(path)
        scope = shop.cloud.function_scope(path, specs)
        for spec in specs.values():
            module = spec.handler.rpartition(".")[0]
            python_path = [str(spec.code_dir), *(str(layer) for layer in spec.layer_dirs)]
            environment = resolved_environment(spec, scope)
            cold = median([import_ms(module, environment, python_path) for _ in range(RUNS)])
            ratio = cold / baseline
            rows.append(
                [f"`{module}`", f"{cold:.0f} ms", f"{ratio:.2f}x", verdict(ratio <= TARGET_RATIO)]
            )
    return (
        "## Cold start\n\n"
        f"Median of {RUNS} fresh processes each; the import only (interpreter start-up left "
        f"out). Target: no handler above {TARGET_RATIO}x the `import boto3` baseline. "
        "`python -X importtime -c 'import <module>'` (with the function's environment) shows "
        "where the time goes.\n\n"
        + table(["module", "import", "vs boto3", f"target <= {TARGET_RATIO}x"], rows)
    )
