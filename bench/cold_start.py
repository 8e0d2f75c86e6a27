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
    # What each fresh process imports: boto3 alone, then every function's handler module.
    imports: dict[str, tuple[dict[str, str], list[str]]] = {"boto3": ({}, [])}
    for path in FUNCTION_TEMPLATES:
        specs = serverless_functions(path)
        scope = shop.cloud.function_scope(path, specs)
        for spec in specs.values():
            python_path = [str(spec.code_dir), *(str(layer) for layer in spec.layer_dirs)]
            imports[spec.handler.rpartition(".")[0]] = (
                resolved_environment(spec, scope),
                python_path,
            )
    # Round-robin, so that the machine's load at any moment weighs on all of them alike.
    samples: dict[str, list[float]] = {module: [] for module in imports}
    for _ in range(RUNS):
        for module, (environment, python_path) in imports.items():
            samples[module].append(import_ms(module, environment, python_path))
    ratios = {
        module: median([own / base for own, base in zip(times, samples["boto3"], strict=True)])
        for module, times in samples.items()
    }
    rows: list[list[object]] = [
        [
            "`import boto3` (baseline)" if module == "boto3" else f"`{module}`",
            f"{median(samples[module]):.0f} ms",
            f"{ratios[module]:.2f}x",
            "" if module == "boto3" else verdict(ratios[module] <= TARGET_RATIO),
        ]
        for module in imports
    ]
    return (
        "## Cold start\n\n"
        f"{RUNS} rounds, each importing every module in its own fresh process, round-robin; "
        "the import only (interpreter start-up left out), with the function's environment "
        "from its template. Median import time, and median of each round's ratio to "
        f"`import boto3`. Target: no handler above {TARGET_RATIO}x. "
        "`python -X importtime -c 'import <module>'` shows where the time goes.\n\n"
        + table(["module", "import", "vs boto3", f"target <= {TARGET_RATIO}x"], rows)
    )
