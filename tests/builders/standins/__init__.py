"""Stand-in `sam`, `aws`, `python3.13` and `docker` commands: deploy_everything.sh run with no
AWS account and no Docker engine.

`install_standins(directory)` writes the three commands into `directory/bin` (and links the
few system tools the script needs into `directory/system`), so that a PATH of exactly those
two folders reaches no real AWS tool. Each call is recorded with its arguments, and the
commands answer from one fake account kept in a JSON file: stacks with their parameters,
outputs, exports and the role CloudFormation acts with for them, buckets with object versions,
retained resources, API Gateway's account setting (and, as the event `apigateway-role-lost`,
the moment the role it names is gone). They refuse what AWS refuses: a deployment
that imports an export no stack has yet, IAM resources without the capability CloudFormation
asks (CAPABILITY_NAMED_IAM for a named one), an image function without an image repository
option (as `sam deploy` does), a required parameter with no value, updating a stack
left in ROLLBACK_COMPLETE, deleting a stack whose export another stack imports, whose bucket
still holds objects or whose role is gone, deleting a table still UPDATING, an API Gateway
role that does not exist or has not propagated, and `sam deploy` of an unchanged stack unless
told not to fail on it.
"""

import json
import os
import shutil
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
TOOLS = ("sam", "aws", "python3.13", "docker")
SYSTEM_TOOLS = ("bash", "sh", "env", "cat", "dirname", "git", "sleep")
STATE_VARIABLE = "STANDIN_STATE"
# "none" makes `aws sts get-caller-identity` fail as it does with no credentials.
CREDENTIALS_VARIABLE = "STANDIN_CREDENTIALS"
ACCOUNT_ID = "123456789012"
DEPLOY_EVENTS = {"create", "update", "unchanged"}
CODEBUILD_COMMIT_VARIABLE = "CODEBUILD_RESOLVED_SOURCE_VERSION"


@dataclass(frozen=True)
class Call:
    tool: str
    args: tuple[str, ...]

    def option(self, name: str) -> str | None:
        """The value after `name` (e.g. `--config-env`), or None."""
        if name not in self.args:
            return None
        index = self.args.index(name)
        return self.args[index + 1] if index + 1 < len(self.args) else None

    def values(self, name: str) -> list[str]:
        """Every value after `name` up to the next option (`--parameter-overrides A=1 B=2`)."""
        if name not in self.args:
            return []
        values = []
        for arg in self.args[self.args.index(name) + 1 :]:
            if arg.startswith("--"):
                break
            values.append(arg)
        return values

    @property
    def command(self) -> tuple[str, ...]:
        """The tool and its subcommand words, e.g. ("aws", "cloudformation", "delete-stack")."""
        words = [self.tool]
        for arg in self.args:
            if arg.startswith("-"):
                break
            words.append(arg)
        return tuple(words)


@dataclass(frozen=True)
class StandinAccount:
    """The fake account the stand-ins share, and the environment that reaches only them."""

    bin_dir: Path
    system_dir: Path
    state_file: Path

    def env(self, **extra: str) -> dict[str, str]:
        """The stand-ins' PATH and state, and the commit CodeBuild checked out when these tests
        run in a pipeline's build (whose source has no .git: the script tags the partner image
        with it there, as in the deploy stage's build)."""
        commit = os.environ.get(CODEBUILD_COMMIT_VARIABLE)
        codebuild = {CODEBUILD_COMMIT_VARIABLE: commit} if commit else {}
        return {
            "PATH": f"{self.bin_dir}:{self.system_dir}",
            "HOME": str(self.state_file.parent),
            STATE_VARIABLE: str(self.state_file),
            "LANG": "C.UTF-8",
            **codebuild,
            **extra,
        }

    def without(self, tool: str) -> None:
        """Remove one stand-in, as on a machine that lacks the tool."""
        (self.bin_dir / tool).unlink()

    @property
    def state(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.state_file.read_text())
        return loaded

    def calls(self) -> list[Call]:
        return [Call(tool, tuple(args)) for tool, *args in self.state["calls"]]

    def deployed_stacks(self) -> list[str]:
        """Stack names in the order `sam deploy` was called for them (changed or not)."""
        return [name for kind, name in self.events() if kind in DEPLOY_EVENTS]

    def deleted_stacks(self) -> list[str]:
        return [name for kind, name in self.events() if kind == "delete"]

    def events(self) -> list[tuple[str, str]]:
        return [(kind, name) for kind, name in self.state["events"]]

    def failed_create(self, stack: str) -> None:
        """A stack whose first creation failed and rolled back: ROLLBACK_COMPLETE, nothing in it."""
        stacks = self.state["stacks"]
        stacks[stack] = {
            "template": "",
            "digest": "",
            "parameters": {},
            "imports": [],
            "outputs": {},
            "exports": {},
            "retained": {},
            "status": "ROLLBACK_COMPLETE",
            "role": None,
        }
        self.set(stacks=stacks)

    def failed_rollback(self, stack: str) -> None:
        """A deployed stack whose last update failed, and whose rollback failed too."""
        stacks = self.state["stacks"]
        stacks[stack]["status"] = "UPDATE_ROLLBACK_FAILED"
        self.set(stacks=stacks)

    def template_changed(self, stack: str) -> None:
        """As after a commit that changed the stack's template: its next deployment updates it."""
        stacks = self.state["stacks"]
        stacks[stack]["digest"] = "changed"
        self.set(stacks=stacks)

    def deployed_with(self, stack: str, **parameters: str) -> None:
        """As after a deployment of the stack with these parameters (samconfig.toml's)."""
        stacks = self.state["stacks"]
        stacks[stack]["parameters"].update(parameters)
        self.set(stacks=stacks)

    def set(self, **values: Any) -> None:
        state = self.state
        state.update(values)
        self.state_file.write_text(json.dumps(state))


def install_standins(directory: Path, initial: Mapping[str, Any] | None = None) -> StandinAccount:
    bin_dir = directory / "bin"
    system_dir = directory / "system"
    bin_dir.mkdir(parents=True)
    system_dir.mkdir()
    for tool in TOOLS:
        shim = bin_dir / tool
        shim.write_text(
            "#!/bin/sh\n"
            f'PYTHONPATH="{REPO_ROOT}" exec "{sys.executable}" -m tests.builders.standins.fake '
            f'{tool} "$@"\n'
        )
        shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    for tool in SYSTEM_TOOLS:
        found = shutil.which(tool, path=os.defpath + ":/usr/bin:/bin")
        if found is None:
            raise FileNotFoundError(f"{tool} is needed to run deploy_everything.sh")
        (system_dir / tool).symlink_to(found)
    state_file = directory / "account.json"
    state = {
        "calls": [],
        "images": {},
        "repositories": {},
        "events": [],
        "stacks": {},
        "buckets": {},
        "retained": {},
        "connection_status": "PENDING",
        "apigateway_role": None,
        "other_roles": [],
        **(initial or {}),
    }
    state_file.write_text(json.dumps(state))
    return StandinAccount(bin_dir, system_dir, state_file)
