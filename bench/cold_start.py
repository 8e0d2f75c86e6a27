"""Cold start: each function's init phase in a fresh process, beside `import boto3` alone.

Each process is as Lambda's init phase runs it: the bare interpreter (no virtualenv), the
function's code and what `sam build` packages with it (its own pinned requirements, the
common layer's and its pinned requirements), or for a container image function the files its
Dockerfile puts in the image's task root, Lambda's own environment variables and the
function's from its template, nothing else. The packages hold bytecode as the deploy compiles
it (stacks.bytecode), and the imports cannot write any (Lambda's code folders are read-only).
What is timed is what Lambda reports as the
function's `Init Duration` less the runtime's own start: the import of the handler's module,
which runs its module-level work (settings, clients, the app). It is timed inside the child
(interpreter start-up is the same for all and left out), in CPU time (what this process
computed, whatever else the shared machine runs) and in wall time.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from bench.common import function_configuration, median, progress, table, verdict
from stacks.bytecode import compile_folder
from stacks.container_image import ImageDefinition
from stacks.environment import fake_credentials_environment, lambda_environment
from stacks.templates import (
    AUTH_TEMPLATE,
    FUNCTION_TEMPLATES,
    REPO_ROOT,
    FunctionSpec,
    serverless_functions,
)
from tests.e2e.stack import RunningStack

RUNS = 10
TARGET_RATIO = 1.3
AUTHORIZER_TARGET_RATIO = 1.0  # it runs before any function a token reaches
BASELINE = "boto3"
# The functions also timed as `sam build` alone packages them (no bytecode): what a cold start
# cost before the deploy compiled the packages.
WITHOUT_BYTECODE = ("AuthorizerFunction", "GetProductsFunction")
# Where the packages `sam build` would put beside each function are installed for the bench.
PACKAGES = REPO_ROOT / ".aws-sam" / "bench"
COMMON_REQUIREMENTS = REPO_ROOT / "services" / "common" / "requirements.txt"
_TIMER = (
    "import time, sys\n"
    "wall, cpu = time.perf_counter(), time.process_time()\n"
    "exec(sys.argv[1])\n"
    "print((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000)\n"
)
_CLIENT = "import boto3; boto3.client('dynamodb')"
_RESOLVER = "from aws_lambda_powertools.event_handler import APIGatewayRestResolver"
_LOGGER_METRICS = "from aws_lambda_powertools import Logger, Metrics; Logger(); Metrics()"
# The levers, each alone in its process: what a service handler may import before its first
# request. The last row is the floor of a handler on Powertools' resolver with its DynamoDB
# client made at import, before any validation library or model.
PARTS = {
    "a DynamoDB Table (boto3 resource)": "import boto3; boto3.resource('dynamodb').Table('t')",
    "a DynamoDB client + TypeSerializer/TypeDeserializer": (
        f"{_CLIENT}; from boto3.dynamodb.types import TypeDeserializer, TypeSerializer"
    ),
    "pydantic's `BaseModel`": "from pydantic import BaseModel",
    "Powertools' Logger + Metrics": _LOGGER_METRICS,
    "Powertools' event handler (`APIGatewayRestResolver`)": _RESOLVER,
    "Powertools' idempotency utility + its pydantic serializer": (
        "from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer;"
        " from aws_lambda_powertools.utilities.idempotency.serialization.pydantic"
        " import PydanticSerializer"
    ),
    "Powertools' Tracer (the X-Ray SDK)": (
        "from aws_lambda_powertools import Tracer; Tracer(patch_modules=('botocore',))"
    ),
    "floor: boto3 + a client + Logger/Metrics + the resolver": (
        f"{_CLIENT}; {_LOGGER_METRICS}; {_RESOLVER}"
    ),
}
# The client's row again, with botocore's data folder holding DynamoDB's models alone (and the
# files every client reads): what listing and searching the ~440 services' folders costs the
# client. A lever measured, not applied (bench/results.md says why).
TRIMMED_DATA = (
    "a DynamoDB client + TypeSerializer/TypeDeserializer, botocore's data for DynamoDB alone",
    "a DynamoDB client + TypeSerializer/TypeDeserializer",
    frozenset({"dynamodb"}),
)


@dataclass(frozen=True)
class ColdImport:
    """Code to run as a function's init phase would (`import <module>`), and where it finds
    its code. A function's has its logical id, the highest ratio to `import boto3` it may
    take, and whether it is a container image."""

    name: str
    code: str
    environment: dict[str, str]
    python_path: tuple[Path, ...]
    function: str = ""
    target: float | None = None
    image: bool = False
    bytecode: bool = True

    @property
    def key(self) -> str:
        return (self.function or self.name) + ("" if self.bytecode else " without bytecode")

    @property
    def label(self) -> str:
        packaged = "" if self.bytecode else ", as `sam build` alone packages it (no bytecode)"
        if self.function:
            kind = " (container image)" if self.image else ""
            return f"{self.function}{kind}: `{self.name}`{packaged}"
        if self.name == BASELINE:
            return f"`import boto3` (baseline){packaged}"
        return f"*{self.name}*"


@dataclass(frozen=True)
class Timing:
    cpu_ms: float
    wall_ms: float


def installed(requirements: Path) -> Path:
    """`requirements` installed into a folder of their own (as `sam build` packages them),
    once per content of the file."""
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    folder = "-".join(requirements.parent.relative_to(REPO_ROOT).parts)
    target = PACKAGES / f"{folder}-{digest}"
    if not target.is_dir():
        progress(f"installing {requirements.relative_to(REPO_ROOT)} for the cold start")
        uv = str(Path(sys.executable).with_name("uv"))
        command = [uv, "pip", "install", "--quiet", "--python", sys.executable, "--target"]
        subprocess.run([*command, str(target), "-r", str(requirements)], check=True)
    return target


@cache  # every function of a service shares its code folder and the layer's packages
def packaged(folder: Path, bytecode: bool = True) -> Path:
    """`folder` as a Lambda package holds it: its files without bytecode caches (`sam build`
    copies none), and compiled as the deploy compiles them (stacks.bytecode) if `bytecode`.
    The timed imports cannot write bytecode (Lambda's code is read-only)."""
    digest = hashlib.sha256()
    for file in sorted(_package_files(folder)):
        digest.update(str(file.relative_to(folder)).encode() + file.read_bytes())
    kind = "bytecode" if bytecode else "source"
    target = PACKAGES / f"{folder.name}-{digest.hexdigest()[:16]}-{kind}"
    if not target.is_dir():
        building = target.with_name(target.name + ".partial")
        shutil.rmtree(building, ignore_errors=True)
        shutil.copytree(folder, building, copy_function=os.link, ignore=_bytecode_caches)
        if bytecode:
            compile_folder(building)
        building.rename(target)
    return target


def botocore_data_for(folder: Path, services: frozenset[str]) -> Path:
    """`folder` (hard links) with only `services`' folders left in botocore's data folder,
    beside the files every client reads (endpoints, partitions, defaults)."""
    target = folder.with_name(f"{folder.name}-botocore-{'-'.join(sorted(services))}")
    data = folder / "botocore" / "data"

    def other_services(directory: str, names: list[str]) -> set[str]:
        if Path(directory) != data:
            return set()
        return {name for name in names if (data / name).is_dir() and name not in services}

    if not target.is_dir():
        building = target.with_name(target.name + ".partial")
        shutil.rmtree(building, ignore_errors=True)
        shutil.copytree(folder, building, copy_function=os.link, ignore=other_services)
        building.rename(target)
    return target


def _is_bytecode_cache(name: str) -> bool:
    return name == "__pycache__" or name.endswith(".pyc")


def _bytecode_caches(_folder: str, names: list[str]) -> set[str]:
    """`shutil.copytree`'s `ignore`: what `sam build` leaves out of a package."""
    return {name for name in names if _is_bytecode_cache(name)}


def _package_files(folder: Path) -> list[Path]:
    return [
        file
        for file in folder.rglob("*")
        if file.is_file() and not any(map(_is_bytecode_cache, file.relative_to(folder).parts))
    ]


def cold_imports(stack: RunningStack) -> list[ColdImport]:
    """`import boto3` with the services' packages, then every function's handler module."""
    common = installed(COMMON_REQUIREMENTS)
    bare = lambda_environment(
        "baseline",
        handler="baseline.lambda_handler",
        task_root=REPO_ROOT,
        memory_mb=512,
        region=stack.config["region"],
        template_variables={},
        emulator=fake_credentials_environment(stack.config["region"], stack.emulator_url),
    )
    baseline = ColdImport(BASELINE, f"import {BASELINE}", bare, (packaged(common),))
    imports = [baseline, replace(baseline, python_path=(packaged(common, False),), bytecode=False)]
    trimmed_name, part, services = TRIMMED_DATA
    for name, code in PARTS.items():
        imports.append(ColdImport(name, code, bare, (packaged(common),)))
        if name == part:
            trimmed = botocore_data_for(packaged(common), services)
            imports.append(ColdImport(trimmed_name, code, bare, (trimmed,)))
    for path in FUNCTION_TEMPLATES:
        for spec in serverless_functions(path).values():
            # Lambda's environment and the function's, as the local stack's workers get it
            # (its Lambda API's GetFunctionConfiguration).
            configuration = function_configuration(stack, spec.logical_id)
            environment = dict(configuration["Environment"]["Variables"])
            module = spec.handler.rpartition(".")[0]
            python_path = _python_path(spec, common)
            if spec.image is not None:
                environment["LAMBDA_TASK_ROOT"] = str(python_path[0])
            authorizer = path == AUTH_TEMPLATE
            function = ColdImport(
                module,
                f"import {module}",
                environment,
                python_path,
                function=spec.logical_id,
                target=AUTHORIZER_TARGET_RATIO if authorizer else TARGET_RATIO,
                image=spec.image is not None,
            )
            imports.append(function)
            if spec.logical_id in WITHOUT_BYTECODE:
                source = _python_path(spec, common, bytecode=False)
                imports.append(replace(function, python_path=source, target=None, bytecode=False))
    return imports


def _python_path(spec: FunctionSpec, common: Path, bytecode: bool = True) -> tuple[Path, ...]:
    if spec.image is not None:  # a container image: everything is in its task root
        return (image_task_root(spec.image),)
    # Its code with the requirements `sam build` installs beside it (the authorizer's, the
    # orders functions'), then its layers (the services': the common layer and its packages).
    own = spec.code_dir / "requirements.txt"
    packages = (installed(own),) if own.is_file() else ()
    layers = (*spec.layer_dirs, common) if spec.layer_dirs else ()
    return tuple(packaged(folder, bytecode) for folder in (spec.code_dir, *packages, *layers))


def image_task_root(image: ImageDefinition) -> Path:
    """The image's `LAMBDA_TASK_ROOT` as its Dockerfile lays it out: the requirements it
    installs there and the source files it copies there, once per content of those files."""
    files = image.code_files()
    requirements = image.requirement_files()
    digest = hashlib.sha256()
    for source in [*requirements, *files]:
        digest.update(str(source.relative_to(REPO_ROOT)).encode() + source.read_bytes())
    target = PACKAGES / f"image-{image.dockerfile.parent.name}-{digest.hexdigest()[:16]}"
    if not target.is_dir():
        progress(f"laying out {image.dockerfile.relative_to(REPO_ROOT)}'s task root")
        building = target.with_name(target.name + ".partial")
        shutil.rmtree(building, ignore_errors=True)
        for requirement in requirements:  # hard links: the same files, no copy
            shutil.copytree(
                installed(requirement),
                building,
                copy_function=os.link,
                ignore=_bytecode_caches,
                dirs_exist_ok=True,
            )
        for source, destination in files.items():
            (building / destination).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, building / destination)
        # pip compiles what it installs, and the Dockerfile's RUN compiles the code
        # (tests/unit/partners/test_image.py)
        compile_folder(building)
        building.rename(target)
    return target


def import_time(cold: ColdImport) -> Timing:
    environment = {
        **cold.environment,
        "PYTHONPATH": os.pathsep.join(str(path) for path in cold.python_path),
        "PYTHONDONTWRITEBYTECODE": "1",  # Lambda's code is read-only
    }
    # The interpreter the virtualenv was made from, without the virtualenv's packages.
    interpreter = getattr(sys, "_base_executable", sys.executable)
    run = subprocess.run(
        [interpreter, "-s", "-c", _TIMER, cold.code],
        env=environment,
        cwd=cold.python_path[0],
        check=False,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise RuntimeError(f"{cold.key}'s cold start failed:\n{run.stderr}")
    cpu_ms, wall_ms = run.stdout.strip().splitlines()[-1].split()
    return Timing(float(cpu_ms), float(wall_ms))


def report(stack: RunningStack) -> str:
    imports = cold_imports(stack)
    # Round-robin, so that the machine's load at any moment weighs on all of them alike.
    samples: dict[str, list[Timing]] = {cold.key: [] for cold in imports}
    for _ in range(RUNS):
        for cold in imports:
            samples[cold.key].append(import_time(cold))
    baseline = samples[BASELINE]
    rows: list[list[object]] = []
    for cold in imports:
        times = samples[cold.key]
        ratio = median([t.cpu_ms / b.cpu_ms for t, b in zip(times, baseline, strict=True)])
        within = "" if cold.target is None else f"{verdict(ratio <= cold.target)} ({cold.target}x)"
        rows.append(
            [
                cold.label,
                f"{median([t.cpu_ms for t in times]):.0f} ms",
                f"{median([t.wall_ms for t in times]):.0f} ms",
                f"{ratio:.2f}x",
                within,
            ]
        )
    return (
        "## Cold start\n\n"
        f"Each function's init phase, as Lambda reports it (`Init Duration`: the import of "
        "the handler's module, with the module-level work it runs: settings, clients, the "
        f"app), p50 of {RUNS} cold starts, each in a fresh process, round-robin with the "
        "others: the bare interpreter, the function's code with the packages `sam build` "
        "packages with it (its own pinned requirements: the authorizer's, the orders "
        "functions'; the common layer and its pinned requirements), or "
        "for a container image function the task root its Dockerfile lays out (the "
        "requirements it installs and the files it copies, nothing else), each compiled as "
        "the deploy ships it (`stacks.bytecode`) and unable to write bytecode (Lambda's code "
        "is read-only), Lambda's own "
        "environment variables and the function's from its template, nothing from the "
        "virtualenv or the shell. The rows 'as `sam build` alone packages it' have no "
        "bytecode: every module is compiled at every cold start, as before the deploy "
        "compiled the packages. The runtime's own start (the interpreter, Lambda's "
        "bootstrap) is the same for every function and left out. Median CPU time (what the "
        "process itself computed, whatever else the machine runs), median wall time, and "
        "median of each round's CPU ratio to `import boto3`. Targets: the authorizer under "
        f"{AUTHORIZER_TARGET_RATIO}x, every other function at or under {TARGET_RATIO}x. The "
        "rows in italics time each lever alone (what a handler may import before its first "
        "request); their last row is the floor of a handler on Powertools' resolver with its "
        "DynamoDB client made at init, before any validation library or model. "
        "`python -X importtime -c 'import <module>'` in that environment shows where the "
        "time goes.\n\n"
        + table(
            ["function: handler module", "init (CPU)", "init (wall)", "vs boto3 (CPU)", "target"],
            rows,
        )
    )
