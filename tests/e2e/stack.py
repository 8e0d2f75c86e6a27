"""The local stack as the e2e suite drives it: `make run` as a newcomer types it, real HTTP.

The stack starts with a clean environment (PATH and HOME only, as `env -i PATH="$PATH"
HOME="$HOME" make run`), its options on make's command line, so nothing from the test
run's environment can reach it or its functions.

`RunningStack` reads the stack's output (its banner, the confirmation codes it prints for
sign-ups, its access log), and gives real Cognito tokens and an HTTP client per user.
"""

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import requests

from local.ses.mail_server import kept_messages
from stacks.templates import REPO_ROOT

READY_LINE = re.compile(r"^Shop is ready at (?P<url>\S+)")
EMULATOR_LINE = re.compile(r"^\s+AWS emulator\s+(?P<url>\S+)")
MAIL_LINE = re.compile(r"^\s+Mail \(SES\)\s+\S+, every message kept in (?P<dir>.+)$")
MAIL_TIMEOUT_SECONDS = 30
ADMIN_LINE = re.compile(r"^\s+Admin\s+(?P<username>\S+) / (?P<password>\S+)")
START_TIMEOUT_SECONDS = 90
# A password the pool's policy accepts (12+ characters, upper, lower, digit, symbol).
PASSWORD = "Corr3ct-Horse-Battery!"
WEB_ORIGIN_HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Where Cognito says it sent a code: an address with all but the first letters masked.
MASKED_ADDRESS = re.compile(r"[a-z0-9]\*\*\*@[a-z0-9]\*\*\*")


def code_deliveries_twice(
    stack: "RunningStack", operation: str, names: tuple[str, ...]
) -> dict[str, list[dict[str, str]]]:
    """Each name's CodeDeliveryDetails from two calls of a public Cognito `operation`
    (`forgot_password`, `resend_confirmation_code`)."""
    call = getattr(stack.cognito, operation)
    return {
        name: [
            call(ClientId=stack.client_id, Username=name)["CodeDeliveryDetails"] for _ in range(2)
        ]
        for name in names
    }


def assert_masked_alike(deliveries: dict[str, list[dict[str, str]]]) -> None:
    """Every name's deliveries are one masked e-mail address, the same each time, and none
    holds the name asked for: a name nobody has looks like a user's."""
    for name, (first, second) in deliveries.items():
        assert first == second
        assert (first["DeliveryMedium"], first["AttributeName"]) == ("EMAIL", "email")
        assert MASKED_ADDRESS.fullmatch(first["Destination"]), first
        assert name not in first["Destination"]


class StackOutput:
    """The subprocess's output lines, read on a thread, searchable while it runs."""

    def __init__(self, stream: Any) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_for(self, pattern: re.Pattern[str], timeout: float, start: int = 0) -> re.Match[str]:
        """The first line from index `start` on that matches `pattern`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines[start:]:
                    found = pattern.search(line)
                    if found:
                        return found
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    tail = "\n".join(self.lines[-40:])
                    raise TimeoutError(f"no line matching {pattern.pattern!r}; output:\n{tail}")
                self._changed.wait(remaining)

    def access_log(self) -> list[dict[str, Any]]:
        entries = []
        for line in list(self.lines):
            if line.startswith('{"requestId"'):
                entries.append(json.loads(line))
        return entries


@dataclass
class Tokens:
    username: str
    access_token: str
    id_token: str
    refresh_token: str


class ApiClient:
    """A real HTTP client of the API, signed in as one user (or anonymous)."""

    def __init__(self, api_url: str, authorization: str | None, origin: str) -> None:
        self.api_url = api_url
        self.session = requests.Session()
        self.session.headers["Origin"] = origin
        if authorization is not None:
            self.session.headers["Authorization"] = authorization

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, f"{self.api_url}{path}", timeout=30, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, json=body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


class RunningStack:
    def __init__(self, process: subprocess.Popen[str], output: StackOutput) -> None:
        self.process = process
        self.output = output
        self.base_url = output.wait_for(READY_LINE, START_TIMEOUT_SECONDS).group("url")
        self.emulator_url = output.wait_for(EMULATOR_LINE, 1).group("url")
        self.mail_dir = Path(output.wait_for(MAIL_LINE, 1).group("dir"))
        admin = output.wait_for(ADMIN_LINE, 1)
        self.admin_username, self.admin_password = admin.group("username"), admin.group("password")
        self.config: dict[str, str] = requests.get(f"{self.base_url}config.json", timeout=10).json()
        self.api_url = self.config["apiUrl"]
        self.origin = self.base_url.rstrip("/")
        self.cognito = boto3.client(
            "cognito-idp",
            endpoint_url=self.config["cognitoEndpoint"],
            region_name=self.config["region"],
        )
        self.dynamodb = boto3.client(
            "dynamodb", endpoint_url=self.emulator_url, region_name=self.config["region"]
        )
        # What an administrator does with the AWS credentials: at the emulator, never
        # through the site's /cognito/, which serves Cognito's public API only.
        self.cognito_admin = boto3.client(
            "cognito-idp", endpoint_url=self.emulator_url, region_name=self.config["region"]
        )

    @property
    def port(self) -> int:
        return int(urlsplit(self.base_url).port or 80)

    @property
    def client_id(self) -> str:
        return self.config["userPoolClientId"]

    def sign_up(self, username: str, password: str = PASSWORD) -> None:
        self.cognito.sign_up(
            ClientId=self.client_id,
            Username=username,
            Password=password,
            UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
        )

    def confirmation_code(self, username: str, start: int = 0) -> str:
        """The sign-up code printed for `username` (the first from output line `start` on)."""
        return self._printed_code("Confirmation code", username, start)

    def password_reset_code(self, username: str, start: int = 0) -> str:
        """The ForgotPassword code printed for `username` (the first from line `start` on)."""
        return self._printed_code("Password reset code", username, start)

    def _printed_code(self, label: str, username: str, start: int) -> str:
        pattern = re.compile(rf"{label} for {re.escape(username)}: (?P<code>\d{{6}})$")
        return self.output.wait_for(pattern, timeout=10, start=start).group("code")

    def email(self, to: str, subject: str) -> EmailMessage:
        """The message the local mail server kept for `to` with `subject`, once it is there
        (it is sent from the Orders stream, after the request's answer)."""
        deadline = time.monotonic() + MAIL_TIMEOUT_SECONDS
        while True:
            for message in kept_messages(self.mail_dir):
                if message["To"] == to and message["Subject"] == subject:
                    return message
            if time.monotonic() > deadline:
                raise TimeoutError(f"no e-mail {subject!r} in {self.mail_dir}")
            time.sleep(0.2)

    def sign_in(self, username: str, password: str = PASSWORD) -> Tokens:
        result = self.cognito.initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )["AuthenticationResult"]
        return Tokens(username, result["AccessToken"], result["IdToken"], result["RefreshToken"])

    def new_shopper(self, prefix: str = "shopper") -> Tokens:
        """A shopper who signed up, confirmed with the printed code and signed in."""
        username = f"{prefix}-{uuid.uuid4().hex[:8]}"
        self.sign_up(username)
        self.confirm(username, self.confirmation_code(username))
        return self.sign_in(username)

    def new_member(self, group: str) -> Tokens:
        """A user the administrator created in `group` (`editor`, `viewer`...), signed in."""
        username = f"{group}-{uuid.uuid4().hex[:8]}"
        pool = self.config["userPoolId"]
        self.cognito_admin.admin_create_user(
            UserPoolId=pool, Username=username, MessageAction="SUPPRESS"
        )
        self.cognito_admin.admin_set_user_password(
            UserPoolId=pool, Username=username, Password=PASSWORD, Permanent=True
        )
        self.cognito_admin.admin_add_user_to_group(
            UserPoolId=pool, Username=username, GroupName=group
        )
        return self.sign_in(username)

    def leave_one_admin(self) -> None:
        """Make the stack's admin the only member of `admin`: tests share the stack, and some
        make admins of their own (a second admin would let the stack's admin be demoted)."""
        pool = self.config["userPoolId"]
        pages = self.cognito_admin.get_paginator("list_users_in_group")
        for page in pages.paginate(UserPoolId=pool, GroupName="admin"):
            for user in page["Users"]:
                if user["Username"] != self.admin_username:
                    self.cognito_admin.admin_remove_user_from_group(
                        UserPoolId=pool, Username=user["Username"], GroupName="admin"
                    )

    def confirm(self, username: str, code: str) -> None:
        self.cognito.confirm_sign_up(
            ClientId=self.client_id, Username=username, ConfirmationCode=code
        )

    def client(self, authorization: str | None) -> ApiClient:
        return ApiClient(self.api_url, authorization, self.origin)

    def client_for(self, tokens: Tokens, kind: str = "access") -> ApiClient:
        token = tokens.access_token if kind == "access" else tokens.id_token
        return self.client(f"Bearer {token}")

    def table_name(self, logical_id: str) -> str:
        names = self.dynamodb.list_tables()["TableNames"]
        (name,) = [name for name in names if name.endswith(f"-{logical_id}")]
        return str(name)

    def orders_of(self, username: str) -> list[dict[str, Any]]:
        """Every stored order placed in the name of `username` (the table, read directly)."""
        paginator = self.dynamodb.get_paginator("scan")
        pages = paginator.paginate(
            TableName=self.table_name("OrdersTable"),
            FilterExpression="username = :u",
            ExpressionAttributeValues={":u": {"S": username}},
        )
        return [item for page in pages for item in page["Items"]]

    def item_count(self, logical_id: str) -> int:
        paginator = self.dynamodb.get_paginator("scan")
        pages = paginator.paginate(TableName=self.table_name(logical_id), Select="COUNT")
        return sum(page["Count"] for page in pages)


def clean_environment() -> dict[str, str]:
    """What a newcomer's shell gives `make run`, nothing more: PATH and HOME."""
    return {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}


@contextmanager
def local_stack(*arguments: str) -> Iterator[RunningStack]:
    """`make run` on a free port in a clean environment, stopped with Ctrl-C's SIGINT."""
    command = ["make", "--no-print-directory", "run", f"PORT={free_port()}"]
    if arguments:
        command.append(f"ARGS={shlex.join(arguments)}")
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=clean_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
    )
    output = StackOutput(process.stdout)
    try:
        yield RunningStack(process, output)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
