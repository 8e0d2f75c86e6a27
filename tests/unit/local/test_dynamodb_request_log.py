"""The emulator's DynamoDB request log (local/dynamodb/request_log.py): each DynamoDB
request's time, read back at its local-only endpoint; other requests untouched."""

import json
from typing import Any

from werkzeug.test import Client

from local.dynamodb.request_log import PATH, DynamoDBRequestLog

QUERY = {"X-Amz-Target": "DynamoDB_20120810.Query"}


def moto(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Stands in for moto's server: answers every request 200 with its path."""
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps({"path": environ["PATH_INFO"]}).encode()]


def test_each_dynamodb_request_is_logged_with_its_operation_and_time() -> None:
    # Given the log in front of the emulator
    client = Client(DynamoDBRequestLog(moto))

    # When two DynamoDB requests are answered
    answers = [client.post("/", headers=QUERY, data=b"{}") for _ in range(2)]

    # Then each got the emulator's answer, and the log lists both, oldest first, none running
    assert [answer.json for answer in answers] == [{"path": "/"}] * 2
    log = client.get(PATH, query_string={"after": "0"}).json
    assert log["in_flight"] == 0
    assert [(entry["sequence"], entry["operation"]) for entry in log["requests"]] == [
        (1, "Query"),
        (2, "Query"),
    ]
    assert all(entry["ms"] >= 0 for entry in log["requests"])


def test_the_log_gives_only_the_requests_after_a_sequence() -> None:
    # Given two DynamoDB requests answered
    client = Client(DynamoDBRequestLog(moto))
    for _ in range(2):
        client.post("/", headers=QUERY, data=b"{}")

    # When the log is read after the first
    log = client.get(PATH, query_string={"after": "1"}).json

    # Then only the second is listed
    assert [entry["sequence"] for entry in log["requests"]] == [2]


def test_other_requests_pass_through_unlogged() -> None:
    # Given the log in front of the emulator
    client = Client(DynamoDBRequestLog(moto))

    # When a request of another service is answered
    answer = client.get("/some-bucket")

    # Then the emulator answered it, and the log has nothing
    assert answer.json == {"path": "/some-bucket"}
    assert client.get(PATH).json == {"in_flight": 0, "requests": []}
