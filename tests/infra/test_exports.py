"""The export/import graph between the stacks, in the order deploy_everything.sh deploys them.

The order is the script's own: its --dry-run plan lists every command in order, so the test
reads which stack (and samconfig.toml environment, hence template) each `sam deploy` deploys,
where the web client is published, and which exports the script reads between them.
"""

import graphlib
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from samcli.lib.config.samconfig import SamConfig

from stacks.templates import REPO_ROOT, all_templates, export_name_text, load_template
from web_client.release import export_names

SCRIPT = REPO_ROOT / "deploy_everything.sh"
STAGES = ("dev", "prod")
PLAN_OPTIONS = ("--region", "eu-west-1", "--admin-email", "a@example.com", "--github-repo", "o/r")
EXPORT_READ = re.compile(r"Exports\[\?Name=='([^']+)'\]")
WEB_PUBLISHING = "web client publishing"


@dataclass
class Step:
    """One thing the script deploys, with the exports it imports and those it makes."""

    name: str
    template: Path | None
    imports: set[str] = field(default_factory=set)
    exports: set[str] = field(default_factory=set)


@dataclass
class Plan:
    steps: list[Step]
    # The exports the script reads itself, each with the number of steps deployed before.
    script_reads: list[tuple[str, int]]


def dry_run(*options: str) -> list[list[str]]:
    result = subprocess.run(
        ["bash", str(SCRIPT), *options, "--dry-run"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [shlex.split(line) for line in result.stdout.splitlines()]


def resolve(name: Any, stage: str) -> str:
    return export_name_text(name).replace("${Stage}", stage)


def template_names(path: Path, stage: str) -> tuple[set[str], set[str]]:
    """The export names a template imports and those it exports, in `stage`."""
    template = load_template(path)
    imports = {
        resolve(node["Fn::ImportValue"], stage) for node in nodes(template) if is_import(node)
    }
    exports = {
        resolve(output["Export"]["Name"], stage)
        for output in template.get("Outputs", {}).values()
        if "Export" in output
    }
    return imports, exports


def is_import(node: Any) -> bool:
    return isinstance(node, dict) and "Fn::ImportValue" in node


def nodes(node: Any) -> list[Any]:
    found = [node]
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        found += nodes(child)
    return found


def deployed_template(environment: str) -> Path:
    """The source template a samconfig.toml environment deploys (through its build, if any)."""
    config = SamConfig(str(REPO_ROOT))
    deployed = config.get_all(["deploy"], "parameters", env=environment)["template_file"]
    build = config.get_all(["build"], "parameters", env=environment)
    if build and deployed == f"{build['build_dir']}/template.yaml":
        return REPO_ROOT / build["template_file"]
    return REPO_ROOT / deployed


@cache
def deployment_plan(stage: str) -> Plan:
    steps: list[Step] = []
    reads: list[tuple[str, int]] = []
    for command in dry_run("--stage", stage, *PLAN_OPTIONS):
        if command[:2] == ["sam", "deploy"]:
            environment = command[command.index("--config-env") + 1]
            name = (
                command[command.index("--stack-name") + 1]
                if "--stack-name" in command
                else environment
            )
            template = deployed_template(environment)
            steps.append(Step(name, template, *template_names(template, stage)))
        elif command[:3] == ["python3.13", "-m", "web_client.publish"]:
            steps.append(Step(WEB_PUBLISHING, None, set(export_names(stage).values())))
        elif command[:3] == ["aws", "cloudformation", "list-exports"]:
            reads += [(name, len(steps)) for name in EXPORT_READ.findall(" ".join(command))]
    return Plan(steps, reads)


def teardown_reads(stage: str) -> set[str]:
    plan = dry_run("--stage", stage, "--region", "eu-west-1", "--destroy", "--delete-data")
    return {name for command in plan for name in EXPORT_READ.findall(" ".join(command))}


@pytest.mark.parametrize("stage", STAGES)
def test_the_plan_deploys_every_stack_template_and_publishes_the_web_client(stage: str) -> None:
    steps = deployment_plan(stage).steps
    assert {step.template for step in steps if step.template} == set(all_templates())
    assert WEB_PUBLISHING in [step.name for step in steps]


@pytest.mark.parametrize("stage", STAGES)
def test_every_import_is_exported_by_a_stack_deployed_before(stage: str) -> None:
    steps = deployment_plan(stage).steps
    for position, step in enumerate(steps):
        earlier = set().union(*(before.exports for before in steps[:position]))
        assert step.imports - earlier == set(), f"{step.name} imports what nothing before exports"


@pytest.mark.parametrize("stage", STAGES)
def test_every_export_the_script_reads_is_exported_before_it_reads_it(stage: str) -> None:
    plan = deployment_plan(stage)
    for name, deployed_before in plan.script_reads:
        earlier = set().union(*(step.exports for step in plan.steps[:deployed_before]))
        assert name in earlier, f"the script reads {name} before any stack exports it"


@pytest.mark.parametrize("stage", STAGES)
def test_no_export_is_unused(stage: str) -> None:
    plan = deployment_plan(stage)
    exported = set().union(*(step.exports for step in plan.steps))
    used = set().union(*(step.imports for step in plan.steps))
    used |= {name for name, _ in plan.script_reads} | teardown_reads(stage)
    assert exported - used == set()


@pytest.mark.parametrize("stage", STAGES)
def test_exports_are_named_once_and_imports_form_no_cycle(stage: str) -> None:
    steps = deployment_plan(stage).steps
    exporters: dict[str, str] = {}
    for step in steps:
        for name in step.exports:
            assert exporters.setdefault(name, step.name) == step.name, f"{name} exported twice"
    dependencies = {step.name: {exporters[name] for name in step.imports} for step in steps}
    assert all(step not in needs for step, needs in dependencies.items())
    # Raises CycleError on a cycle. (A first deploy deploys bootstrap twice: one node.)
    assert len(list(graphlib.TopologicalSorter(dependencies).static_order())) == len(dependencies)
