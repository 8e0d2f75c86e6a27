"""Every pipeline's test stage, run here as CodeBuild runs it, on the source CodeBuild gets.

A pipeline's source artifact is a CODE_ZIP of the commit: its files and no .git. This exports
HEAD with `git archive` and runs, for each component named on the command line (`make
test-export` names the Makefile's COMPONENTS), the commands of pipelines/buildspec-test.yml
in CodeBuild's phase order, each in bash from the source folder, with the variables CodeBuild
gives: the buildspec's own, the test project's (pipelines/template.yaml: COMPONENT, STAGE) and
CodeBuild's (CODEBUILD_SRC_DIR, CODEBUILD_RESOLVED_SOURCE_VERSION: the commit,
CODEBUILD_BUILD_ID). A failed command ends that component's build (`on-failure: ABORT`); the
other components still run, each being a pipeline of its own.

The components share one export: the first `make setup` builds its virtualenvs, the later ones
find them up to date (CodeBuild's local cache keeps the downloads between builds likewise).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stacks.intrinsics import Scope, resolve
from stacks.templates import REPO_ROOT, load_template

TEST_BUILDSPEC = REPO_ROOT / "pipelines" / "buildspec-test.yml"
PIPELINE_TEMPLATE = REPO_ROOT / "pipelines" / "template.yaml"
TEST_PROJECT = "TestProject"
# CodeBuild runs a buildspec's phases in this order.
PHASES = ("install", "pre_build", "build", "post_build")
# A stage the pipelines are deployed for; the test stage runs the same commands in any.
STAGE = "dev"
# A fixed, plain folder, emptied first: checkov's CKV_AWS_45 reads a template's path among a
# function's environment variables, and a random folder name (mkdtemp's) looks like a secret.
EXPORT_DIR = Path(tempfile.gettempdir()) / "shop-export" / "shop"
# What make passes to a recipe's commands: a build's first make is a top-level one.
_MAKE_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")


@dataclass(frozen=True)
class Build:
    """One pipeline's test build: its commands in order and the environment they run in."""

    component: str
    commands: list[str]
    environment: dict[str, str]


@dataclass
class Outcome:
    component: str
    seconds: dict[str, float] = field(default_factory=dict)  # by command, in order
    failed: str | None = None


def buildspec_commands(spec: dict[str, Any]) -> list[str]:
    phases = spec["phases"]
    return [command for phase in PHASES for command in phases.get(phase, {}).get("commands", [])]


def project_variables(component: str) -> dict[str, str]:
    """The test project's environment variables, as its pipeline for `component` sets them."""
    project = load_template(PIPELINE_TEMPLATE)["Resources"][TEST_PROJECT]["Properties"]
    scope = Scope({"Component": component, "Stage": STAGE, "AWS::NoValue": None})
    variables = resolve(project["Environment"]["EnvironmentVariables"], scope)
    return {variable["Name"]: str(variable["Value"]) for variable in variables}


def stage_builds(components: list[str], source: Path, commit: str) -> list[Build]:
    """The test build of each component's pipeline for `commit`, checked out in `source`."""
    spec = yaml.safe_load(TEST_BUILDSPEC.read_text())
    commands = buildspec_commands(spec)
    inherited = {name: value for name, value in os.environ.items() if name not in _MAKE_VARIABLES}
    builds = []
    for component in components:
        codebuild = {
            "CODEBUILD_SRC_DIR": str(source),
            "CODEBUILD_RESOLVED_SOURCE_VERSION": commit,
            "CODEBUILD_BUILD_ID": f"shop-{STAGE}-{component}-test:{commit[:12]}",
        }
        environment = {
            **inherited,
            **{name: str(value) for name, value in spec["env"]["variables"].items()},
            **project_variables(component),
            **codebuild,
        }
        builds.append(Build(component, commands, environment))
    return builds


def export_head(destination: Path) -> str:
    """`git archive` of HEAD extracted into `destination` (no .git); returns the commit."""
    commit = _git("rev-parse", "HEAD").decode().strip()
    archive = destination.parent / "source.tar"
    archive.write_bytes(_git("archive", "--format=tar", commit))
    with tarfile.open(archive) as tar:
        tar.extractall(destination, filter="data")
    archive.unlink()
    return commit


def _git(*args: str) -> bytes:
    command = ["git", *args]  # from PATH, as a developer runs it
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, check=True).stdout  # noqa: S603


def run_build(build: Build, source: Path) -> Outcome:
    outcome = Outcome(build.component)
    for command in build.commands:
        print(f"\n[{build.component}] $ {command}", flush=True)
        started = time.monotonic()
        result = subprocess.run(  # noqa: S603 - the repository's own buildspec
            ["/bin/bash", "-c", command], cwd=source, env=build.environment, check=False
        )
        outcome.seconds[command] = time.monotonic() - started
        if result.returncode != 0:
            outcome.failed = command
            break
    return outcome


def summary(outcomes: list[Outcome]) -> str:
    lines = ["", "Test stages on the export (seconds per command):"]
    for outcome in outcomes:
        verdict = f"FAILED at `{outcome.failed}`" if outcome.failed else "passed"
        lines.append(f"  {outcome.component}: {verdict}, {sum(outcome.seconds.values()):.0f} s")
        lines += [f"    {seconds:7.1f}  {command}" for command, seconds in outcome.seconds.items()]
    lines.append(f"  total: {sum(sum(item.seconds.values()) for item in outcomes):.0f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("components", nargs="+", help="the pipelines whose test stage to run")
    components: list[str] = parser.parse_args(argv).components
    source = EXPORT_DIR
    shutil.rmtree(source.parent, ignore_errors=True)
    source.mkdir(parents=True)
    commit = export_head(source)
    print(f"Testing the export of {commit[:12]} in {source} (no .git)", flush=True)
    outcomes = [run_build(build, source) for build in stage_builds(components, source, commit)]
    print(summary(outcomes), flush=True)
    if any(outcome.failed for outcome in outcomes):
        print(f"The export is kept for a look: {source}", flush=True)
        return 1
    shutil.rmtree(source.parent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
