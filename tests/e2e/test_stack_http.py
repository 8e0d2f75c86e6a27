"""The local stack's HTTP server as any client may reach it: only its own host names are
served (a page of another site cannot reach it by DNS rebinding), and every refusal of the
server itself is a JSON answer with a status line."""

import socket

import pytest
import requests

from tests.e2e.stack import RunningStack


@pytest.mark.parametrize("path", ["cognito/", "config.json", "dev/products", "", "s3/"])
def test_another_host_name_is_refused_everywhere(stack: RunningStack, path: str) -> None:
    # Given a name of another site that resolves to 127.0.0.1 (DNS rebinding)
    # When a request reaches the local stack with that name as its Host
    answer = requests.get(
        f"{stack.base_url}{path}", headers={"Host": f"attacker.example:{stack.port}"}, timeout=10
    )

    # Then a JSON 4xx, whatever the path
    assert answer.status_code == 421
    assert answer.headers["Content-Type"].startswith("application/json")
    assert "message" in answer.json()


def test_the_aws_emulator_refuses_another_host_name_too(stack: RunningStack) -> None:
    # Given the emulator's own port, which a rebound name can reach as well
    # When a request reaches it with another name as its Host
    answer = requests.get(stack.emulator_url, headers={"Host": "attacker.example"}, timeout=10)

    # Then the same JSON refusal
    assert answer.status_code == 421
    assert "message" in answer.json()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_stacks_own_host_names_are_served(stack: RunningStack, host: str) -> None:
    # Given the names the local stack prints and its config follows
    # When the site's settings are asked by either name
    answer = requests.get(
        f"{stack.base_url}config.json", headers={"Host": f"{host}:{stack.port}"}, timeout=10
    )

    # Then they are served, on that name
    assert answer.status_code == 200
    assert answer.json()["apiUrl"].startswith(f"http://{host}:{stack.port}/")


def raw_exchange(stack: RunningStack, request: bytes) -> bytes:
    """What the server sends back for `request`, until it closes the connection."""
    with socket.create_connection(("127.0.0.1", stack.port), timeout=10) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


def test_a_header_too_large_is_a_json_431(stack: RunningStack) -> None:
    # Given a request with a 100 KB header
    # When it is sent
    answer = requests.get(
        f"{stack.base_url}config.json", headers={"X-Big": "a" * 100_000}, timeout=10
    )

    # Then HTTP 431 with a JSON body
    assert answer.status_code == 431
    assert answer.headers["Content-Type"].startswith("application/json")
    assert "message" in answer.json()


def test_a_request_without_an_http_version_gets_a_status_line(stack: RunningStack) -> None:
    # Given an HTTP/0.9-style request line (no version)
    # When it is sent
    received = raw_exchange(stack, b"GET /config.json\r\n\r\n")

    # Then an HTTP/1.x 400 with a JSON body, not a bare body
    status_line, _, rest = received.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.")
    assert b" 400 " in status_line
    assert b"application/json" in rest
