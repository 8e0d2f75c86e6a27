"""Only the local stack's own host names are served (local/host_check.py)."""

import json
from typing import Any

import pytest
from werkzeug.test import Client
from werkzeug.wrappers import Response

from local.host_check import OwnHostsOnly, local_hosts


def hello(environ: dict[str, Any], start_response: Any) -> Any:
    return Response("hello")(environ, start_response)


def checked(suffixes: tuple[str, ...] = ()) -> Client:
    application = OwnHostsOnly(hello)
    application.allow(local_hosts(8000), suffixes)
    return Client(application)


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000"])
def test_the_stacks_own_names_are_served(host: str) -> None:
    assert checked().get("/", headers={"Host": host}).text == "hello"


@pytest.mark.parametrize(
    "host", ["attacker.example:8000", "127.0.0.1:8001", "localhost", "localhost.attacker.example"]
)
def test_another_name_is_a_json_421(host: str) -> None:
    answer = checked().get("/", headers={"Host": host})

    assert answer.status_code == 421
    assert answer.content_type == "application/json"
    assert "message" in json.loads(answer.text)


def test_a_suffix_allows_the_names_that_end_with_it() -> None:
    client = checked((".amazonaws.com",))

    assert client.get("/", headers={"Host": "cognito-idp.eu-west-1.amazonaws.com"}).text == "hello"
    assert client.get("/", headers={"Host": "amazonaws.com.attacker.example"}).status_code == 421


def test_nothing_is_served_before_the_names_are_known() -> None:
    answer = Client(OwnHostsOnly(hello)).get("/", headers={"Host": "127.0.0.1:8000"})

    assert answer.status_code == 421
