"""Cold start: each handler module imported in a fresh process, beside `import boto3` alone.

Each process is as Lambda's init phase runs it: the bare interpreter (no virtualenv), the
function's code and what `sam build` packages beside it (the common layer's pinned
requirements, or the authorizer's), Lambda's own environment variables and the function's
from its template, nothing else. The import is timed inside the child (interpreter start-up
is the same for both and left out), in CPU time (what this process computed, whatever else
the shared machine runs) and in wall time.
"""

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.common import median, progress, table, verdict
from local.aws import fake_credentials_environment
from local.lambda_.functions import lambda_environment
from local.shop import FUNCTION_TEMPLATES, LocalShop
from stacks.templates import REPO_ROOT, FunctionSpec, serverless_functions

RUNS = 10
TARGET_RATIO = 1.3
BASELINE = "boto3"
# Where the packages `sam build` would put beside each function are installed for the bench.
PACKAGES = REPO_ROOT / ".aws-sam" / "bench"
COMMON_REQUIREMENTS = REPO_ROOT / "services" / "common" / "requirements.txt"
AUTH_REQUIREMENTS = REPO_ROOT / "auth_lambda" / "src" / "requirements.txt"
_TIMER = (
    "import time, sys\n"
    "wall, cpu = time.perf_counter(), time.process_time()\n"
    "exec(sys.argv[1])\n"
    "print((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000)\n"
)
# What every service handler needs before its first request, each alone in its process: the
# floor no handler of this shape goes under (settings validated at import need pydantic, the
# handler's table needs boto3's client).
PARTS = {
    "a DynamoDB Table (boto3 resource)": "import boto3; boto3.resource('dynamodb').Table('t')",
    "pydantic's `BaseModel`": "from pydantic import BaseModel",
    "Powertools' event handler": (
        "from aws_lambda_powertools.event_handler import APIGatewayRestResolver"
    ),
    "floor: boto3 + a Table + pydantic": (
        "import boto3; boto3.resource('dynamodb').Table('t'); from pydantic import BaseModel"
    ),
}


@dataclass(frozen=True)
class ColdImport:
    """Code to run as a function's init phase would (`import <module>`), and where it finds
    its code."""

    name: str
    code: str
    environment: dict[str, str]
    python_path: tuple[Path, ...]


@dataclass(frozen=True)
class Timing:
    cpu_ms: float
    wall_ms: float


def installed(requirements: Path) -> Path:
    """`requirements` installed into a folder of their own (as `sam build` packages them),
    once per content of the file."""
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    target = PACKAGES / f"{requirements.parent.name}-{digest}"
    if not target.is_dir():
        progress(f"installing {requirements.relative_to(REPO_ROOT)} for the cold start")
        uv = str(Path(sys.executable).with_name("uv"))
        command = [uv, "pip", "install", "--quiet", "--python", sys.executable, "--target"]
        subprocess.run([*command, str(target), "-r", str(requirements)], check=True)
    return target


def cold_imports(shop: LocalShop) -> list[ColdImport]:
    """`import boto3` with the services' packages, then every function's handler module."""
    common = installed(COMMON_REQUIREMENTS)
    bare = lambda_environment(
        "baseline",
        handler="baseline.lambda_handler",
        task_root=REPO_ROOT,
        memory_mb=512,
        region=shop.options.region,
        template_variables={},
        emulator=fake_credentials_environment(shop.options.region, shop.endpoint_url),
    )
    imports = [ColdImport(BASELINE, f"import {BASELINE}", bare, (common,))]
    imports += [ColdImport(name, code, bare, (common,)) for name, code in PARTS.items()]
    for path in FUNCTION_TEMPLATES:
        specs = serverless_functions(path)
        scope = shop.cloud.function_scope(path, specs)
        for spec in specs.values():
            # Lambda's environment and the function's, as the local stack's workers get it.
            environment = dict(shop.function_config(spec, scope).environment)
            module = spec.handler.rpartition(".")[0]
            imports.append(
                ColdImport(module, f"import {module}", environment, _python_path(spec, common))
            )
    return imports


def _python_path(spec: FunctionSpec, common: Path) -> tuple[Path, ...]:
    if spec.layer_dirs:  # a service function: its code, then the common layer and its packages
        return (spec.code_dir, *spec.layer_dirs, common)
    return (spec.code_dir, installed(AUTH_REQUIREMENTS))


def import_time(cold: ColdImport) -> Timing:
    environment = {
        **cold.environment,
        "PYTHONPATH": os.pathsep.join(str(path) for path in cold.python_path),
    }
    # The interpreter the virtualenv was made from, without the virtualenv's packages.
    interpreter = getattr(sys, "_base_executable", sys.executable)
    output = subprocess.run(
        [interpreter, "-s", "-c", _TIMER, cold.code],
        env=environment,
        cwd=cold.python_path[0],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    cpu_ms, wall_ms = output.strip().splitlines()[-1].split()
    return Timing(float(cpu_ms), float(wall_ms))


def _is_handler(name: str) -> bool:
    return name != BASELINE and name not in PARTS


def _label(name: str) -> str:
    if name == BASELINE:
        return "`import boto3` (baseline)"
    return f"*{name}*" if name in PARTS else f"`{name}`"


def report(shop: LocalShop) -> str:
    imports = cold_imports(shop)
    # Round-robin, so that the machine's load at any moment weighs on all of them alike.
    samples: dict[str, list[Timing]] = {cold.name: [] for cold in imports}
    for _ in range(RUNS):
        for cold in imports:
            samples[cold.name].append(import_time(cold))
    baseline = samples[BASELINE]
    rows: list[list[object]] = []
    for cold in imports:
        times = samples[cold.name]
        ratio = median([t.cpu_ms / b.cpu_ms for t, b in zip(times, baseline, strict=True)])
        rows.append(
            [
                _label(cold.name),
                f"{median([t.cpu_ms for t in times]):.0f} ms",
                f"{median([t.wall_ms for t in times]):.0f} ms",
                f"{ratio:.2f}x",
                verdict(ratio <= TARGET_RATIO) if _is_handler(cold.name) else "",
            ]
        )
    return (
        "## Cold start\n\n"
        f"{RUNS} rounds, each importing every module in its own fresh process, round-robin, "
        "as Lambda's init phase does: the bare interpreter, the function's code with the "
        "packages `sam build` puts beside it (the common layer's pinned requirements, or the "
        "authorizer's), Lambda's own environment variables and the function's from its "
        "template, nothing from the virtualenv or the shell. The import only (interpreter "
        "start-up left out). Median CPU time of the import (what the process itself "
        "computed, whatever else the machine runs), median wall time, and median of each "
        f"round's CPU ratio to `import boto3`. Target: no handler above {TARGET_RATIO}x. "
        "The rows in italics time what every service handler needs before its first "
        "request, each alone: their last row is the floor of a handler that validates its "
        "settings with pydantic at import and makes its table's client there. "
        "`python -X importtime -c 'import <module>'` in that environment shows where the "
        "time goes.\n\n"
        + table(
            ["module", "import (CPU)", "import (wall)", "vs boto3 (CPU)", f"<= {TARGET_RATIO}x"],
            rows,
        )
    )
