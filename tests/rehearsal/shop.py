"""The deploy rehearsal's driver: the emulator (tests/rehearsal/emulator.py) started on a free
port with moto's IAM enforcement on, a copy of the shop to deploy from (without `.git`, as a
pipeline's source; an update changes it), and deploy_everything.sh and each pipeline's deploy
commands run in it with the real `sam` and `aws`, as a person or as the pipeline's own role."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"
ADMIN_EMAIL = "admin@example.com"
GITHUB_REPO = "example/shop"
# The three unauthenticated calls that make the deploying person's admin user; every call
# after them is authenticated and authorized by moto as AWS would (INITIAL_NO_AUTH_ACTION_COUNT).
ADMIN_SETUP_CALLS = 3
STANDINS = REPO_ROOT / "tests" / "rehearsal" / "bin"
# Tools of the project's virtualenvs: sam and python3.13 (.venv, first: the python3.13 of
# .venv-aws has the AWS CLI's packages only), aws (.venv-aws).
TOOL_DIRS = (STANDINS, REPO_ROOT / ".venv" / "bin", REPO_ROOT / ".venv-aws" / "bin")
WEB_PACKAGES = Path("web_client") / "node_modules"
NOT_COPIED = (
    ".git",
    ".venv",
    ".venv-tools",
    ".venv-aws",
    "node_modules",
    ".aws-sam",
    "reports",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "__pycache__",
)


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def env(self) -> dict[str, str]:
        values = {
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
        }
        if self.session_token:
            values["AWS_SESSION_TOKEN"] = self.session_token
        return values

    def boto3_kwargs(self) -> dict[str, str | None]:
        return {
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
            "aws_session_token": self.session_token,
        }


@dataclass
class Emulator:
    endpoint: str
    unsupported_types_file: Path
    admin: Credentials

    def client(self, service: str, credentials: Credentials | None = None) -> Any:
        chosen = credentials or self.admin
        return boto3.client(
            service, region_name=REGION, endpoint_url=self.endpoint, **chosen.boto3_kwargs()
        )

    def unsupported_types(self) -> set[str]:
        if not self.unsupported_types_file.exists():
            return set()
        return set(self.unsupported_types_file.read_text().split())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(endpoint: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the rehearsal's emulator stopped (exit {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", int(endpoint.rsplit(":", 1)[1])), 1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the rehearsal's emulator did not start within 60 s")


def _make_admin(endpoint: str) -> Credentials:
    """The deploying person: an IAM user allowed everything (the first ADMIN_SETUP_CALLS calls)."""
    iam = boto3.client(
        "iam",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="bootstrap",
        aws_secret_access_key="bootstrap",
    )
    iam.create_user(UserName="deployer")
    iam.put_user_policy(
        UserName="deployer",
        PolicyName="administrator",
        PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    )
    key = iam.create_access_key(UserName="deployer")["AccessKey"]
    return Credentials(key["AccessKeyId"], key["SecretAccessKey"])


@contextmanager
def emulator(work_dir: Path) -> Iterator[Emulator]:
    port = _free_port()
    endpoint = f"http://localhost:{port}"  # moto reads TemplateURLs of localhost path-style
    unsupported = work_dir / "unsupported-types"
    log = (work_dir / "emulator.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.rehearsal", str(port)],
        cwd=REPO_ROOT,
        env={
            **os.environ,
            "INITIAL_NO_AUTH_ACTION_COUNT": str(ADMIN_SETUP_CALLS),
            "REHEARSAL_UNSUPPORTED_TYPES": str(unsupported),
            "AWS_REGION": REGION,
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(endpoint, process)
        yield Emulator(endpoint, unsupported, _make_admin(endpoint))
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def copy_of_the_shop(destination: Path) -> Path:
    """The shop's files, without build output or virtualenvs; SAM's build cache and the web
    client's npm packages are the checkout's, so that builds after the first reuse what did
    not change."""
    shutil.copytree(REPO_ROOT, destination, ignore=shutil.ignore_patterns(*NOT_COPIED))
    (REPO_ROOT / ".aws-sam").mkdir(exist_ok=True)
    (destination / ".aws-sam").symlink_to(REPO_ROOT / ".aws-sam")
    # What `make setup` installed for the web client, which the script publishes with it.
    (destination / WEB_PACKAGES).symlink_to(REPO_ROOT / WEB_PACKAGES)
    return destination


@dataclass
class Deployer:
    """Runs commands in the shop's copy with the real tools against the emulator."""

    aws: Emulator
    shop: Path
    state_dir: Path
    commit: str = "0123456789ab"

    def env(self, credentials: Credentials, extra: Mapping[str, str]) -> dict[str, str]:
        return {
            "PATH": ":".join(str(path) for path in TOOL_DIRS) + ":/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.state_dir),
            "LANG": "C.UTF-8",
            "AWS_ENDPOINT_URL": self.aws.endpoint,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "SAM_CLI_TELEMETRY": "0",
            # sam deploy polls CloudFormation every 0.5 s by default.
            "SAM_CLI_POLL_DELAY": "0.2",
            "REHEARSAL_DOCKER_STATE": str(self.state_dir / "docker"),
            # The commit a pipeline's build checked out: the copy has no .git.
            "CODEBUILD_RESOLVED_SOURCE_VERSION": self.commit,
            **credentials.env(),
            **extra,
        }

    def run(
        self,
        command: list[str],
        credentials: Credentials | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command,
            cwd=self.shop,
            env=self.env(credentials or self.aws.admin, extra or {}),
            capture_output=True,
            text=True,
            check=False,
            timeout=3600,
        )

    def deploy(self, stage: str, *options: str) -> subprocess.CompletedProcess[str]:
        """deploy_everything.sh as the deploying person."""
        return self.run(
            [
                "./deploy_everything.sh",
                "--stage",
                stage,
                "--region",
                REGION,
                "--admin-email",
                ADMIN_EMAIL,
                "--github-repo",
                GITHUB_REPO,
                *options,
            ]
        )

    def destroy(self, stage: str) -> subprocess.CompletedProcess[str]:
        return self.run(
            ["./deploy_everything.sh", "--stage", stage, "--region", REGION, "--destroy"]
        )

    def pipeline_deploy(self, stage: str, component: str) -> subprocess.CompletedProcess[str]:
        """The deploy stage's build commands (pipelines/buildspec-deploy.yml), with the
        variables its CodeBuild project sets, as that project's role."""
        buildspec = yaml.safe_load((self.shop / "pipelines" / "buildspec-deploy.yml").read_text())
        commands = buildspec["phases"]["build"]["commands"]
        stack = f"shop-{stage}-pipeline-{component}"
        role = self.aws.client("cloudformation").describe_stack_resource(
            StackName=stack, LogicalResourceId="DeployRole"
        )["StackResourceDetail"]["PhysicalResourceId"]
        role_arn = self.aws.client("iam").get_role(RoleName=role)["Role"]["Arn"]
        session = self.aws.client("sts").assume_role(
            RoleArn=role_arn, RoleSessionName=f"codebuild-{component}"
        )["Credentials"]
        credentials = Credentials(
            session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"]
        )
        outputs = stack_outputs(self.aws, stack)
        return self.run(
            ["bash", "-euo", "pipefail", "-c", "\n".join(commands)],
            credentials,
            {
                "STAGE": stage,
                "COMPONENT": component,
                "CLOUDFORMATION_ROLE_ARN": outputs.get("CloudFormationRoleArn", ""),
            },
        )


def stack_outputs(aws: Emulator, stack: str) -> dict[str, str]:
    described = aws.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in described.get("Outputs", [])}


def live_stacks(aws: Emulator) -> dict[str, str]:
    """Every stack not deleted, with its status."""
    stacks = aws.client("cloudformation").describe_stacks()["Stacks"]
    return {
        stack["StackName"]: stack["StackStatus"]
        for stack in stacks
        if stack["StackStatus"] != "DELETE_COMPLETE"
    }


def exports(aws: Emulator) -> dict[str, str]:
    """Every export of the region (ListExports answers 100 a page: two stages have more)."""
    pages = aws.client("cloudformation").get_paginator("list_exports").paginate()
    return {export["Name"]: export["Value"] for page in pages for export in page["Exports"]}
