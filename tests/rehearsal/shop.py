"""The deploy rehearsal's emulator (tests/rehearsal/emulator.py) started on a free port with
moto's IAM enforcement on, and the credentials of the person who deploys against it."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

REPO_ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"
# The three unauthenticated calls that make the deploying person's admin user; every call
# after them is authenticated and authorized by moto as AWS would (INITIAL_NO_AUTH_ACTION_COUNT).
ADMIN_SETUP_CALLS = 3


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

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
