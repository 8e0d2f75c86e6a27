"""Every pipeline's test stage, run here as CodeBuild runs it, on the source CodeBuild gets.

A pipeline's source artifact is a CODE_ZIP of the commit: its files and no .git. This exports
the files a commit of the working tree would hold (HEAD's on a clean clone, as in CI) with
`git archive` and runs, for each component named on the command line (`make test` and `make
test-export` name the Makefile's COMPONENTS), the commands of pipelines/buildspec-test.yml
in CodeBuild's phase order, each in bash from the source folder, with the variables CodeBuild
gives: the buildspec's own, the test project's (pipelines/template.yaml: COMPONENT, STAGE) and
CodeBuild's (CODEBUILD_SRC_DIR, CODEBUILD_RESOLVED_SOURCE_VERSION: the commit,
CODEBUILD_BUILD_ID). A failed command ends that component's build (`on-failure: ABORT`); the
other components still run, each being a pipeline of its own.

The components share one export, and on it each check runs once: a command that does not name
$COMPONENT (`make setup`, `make lint`) gives every component the outcome of its first run, and
a test folder that passed in an earlier component's build is not run again (ALREADY_TESTED,
which `make test-component` leaves out; a pipeline in CodeBuild runs all of its folders).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Mapping
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
MAKEFILE = REPO_ROOT / "Makefile"
# Each run's own plain folder (runs on one machine never share one), kept when a build fails.
EXPORT_ROOT = Path(tempfile.gettempdir()) / f"shop-export-{os.getpid()}"
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
    shared: list[str] = field(default_factory=list)  # commands whose first run's outcome it took


def component_tests() -> dict[str, list[str]]:
    """The test folders of each component's test stage (the Makefile's COMPONENT_TESTS_*)."""
    found = re.findall(r"^COMPONENT_TESTS_(\w+) := (.+)$", MAKEFILE.read_text(), re.MULTILINE)
    return {component: folders.split() for component, folders in found}


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


def export_source(destination: Path) -> str:
    """`git archive` of the files a commit of the working tree would hold (every file git does
    not ignore, as it is now), extracted into `destination` (no .git); returns HEAD's commit."""
    commit = _git("rev-parse", "HEAD").decode().strip()
    index = destination.parent / "index"
    _git("add", "--all", index_file=index)
    tree = _git("write-tree", index_file=index).decode().strip()
    index.unlink()
    archive = destination.parent / "source.tar"
    archive.write_bytes(_git("archive", "--format=tar", tree))
    with tarfile.open(archive) as tar:
        tar.extractall(destination, filter="data")
    archive.unlink()
    return commit


def _git(*args: str, index_file: Path | None = None) -> bytes:
    command = ["git", *args]  # from PATH, as a developer runs it
    # A scratch index stages the working tree without touching the developer's own.
    environment = {**os.environ, "GIT_INDEX_FILE": str(index_file)} if index_file else None
    return subprocess.run(  # noqa: S603
        command, cwd=REPO_ROOT, env=environment, capture_output=True, check=True
    ).stdout


def run_build(build: Build, source: Path, earlier: Mapping[str, Outcome] | None = None) -> Outcome:
    """Run `build`'s commands in `source`; a command that does not name $COMPONENT and ran in
    an `earlier` build (by command) takes that run's outcome instead of running again."""
    earlier = earlier or {}
    outcome = Outcome(build.component)
    for command in build.commands:
        if "COMPONENT" not in command and command in earlier:
            outcome.shared.append(command)
            if earlier[command].failed == command:
                outcome.failed = command
                break
            continue
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


def run_builds(builds: list[Build], source: Path) -> list[Outcome]:
    """Every build on one source, each check once: commands shared by all builds run in the
    first, and a later build leaves out the test folders earlier ones passed."""
    folders = component_tests()
    earlier: dict[str, Outcome] = {}
    tested: list[str] = []
    outcomes = []
    for build in builds:
        environment = {**build.environment, "ALREADY_TESTED": " ".join(tested)}
        outcome = run_build(Build(build.component, build.commands, environment), source, earlier)
        earlier.update(dict.fromkeys(outcome.seconds, outcome))
        if outcome.failed is None:
            tested += [folder for folder in folders[build.component] if folder not in tested]
        outcomes.append(outcome)
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    lines = ["", "Test stages on the export (seconds per command):"]
    for outcome in outcomes:
        verdict = f"FAILED at `{outcome.failed}`" if outcome.failed else "passed"
        lines.append(f"  {outcome.component}: {verdict}, {sum(outcome.seconds.values()):.0f} s")
        lines += [f"    {seconds:7.1f}  {command}" for command, seconds in outcome.seconds.items()]
        lines += [f"       once  {command}" for command in outcome.shared]
    lines.append(f"  total: {sum(sum(item.seconds.values()) for item in outcomes):.0f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("components", nargs="+", help="the pipelines whose test stage to run")
    components: list[str] = parser.parse_args(argv).components
    source = EXPORT_ROOT / "shop"
    shutil.rmtree(EXPORT_ROOT, ignore_errors=True)
    source.mkdir(parents=True)
    commit = export_source(source)
    print(f"Testing the working tree at {commit[:12]}, exported to {source} (no .git)", flush=True)
    outcomes = run_builds(stage_builds(components, source, commit), source)
    print(summary(outcomes), flush=True)
    if any(outcome.failed for outcome in outcomes):
        print(f"The export is kept for a look: {source}", flush=True)
        return 1
    shutil.rmtree(EXPORT_ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
