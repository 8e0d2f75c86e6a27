"""REST API (v1) proxy events as API Gateway builds them, and a Lambda context."""

import json
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from tests.builders.callers import Caller

STAGE = "test"
WEB_ORIGIN = "http://localhost:8000"


def api_event(
    method: str,
    resource: str,
    *,
    caller: Caller | None,
    path_parameters: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An event for `method resource` (e.g. `DELETE /order/{order_id}`).

    `body` is sent as JSON unless it is already a string (to send malformed JSON).
    """
    path = resource
    for name, value in (path_parameters or {}).items():
        path = path.replace("{" + name + "}", value)
    all_headers = {"Content-Type": "application/json", "Origin": WEB_ORIGIN, **(headers or {})}
    raw_body = body if isinstance(body, str) or body is None else json.dumps(body)
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {name: [value] for name, value in all_headers.items()},
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": f"/{STAGE}{path}",
            "stage": STAGE,
            "requestId": str(uuid4()),
            "accountId": "123456789012",
            "apiId": "testapi",
            "identity": {"sourceIp": "127.0.0.1", "userAgent": "pytest"},
            "authorizer": caller.authorizer_context() if caller else None,
        },
        "body": raw_body,
        "isBase64Encoded": False,
    }


@dataclass
class LambdaContext:
    """The attributes of a Lambda context that Powertools reads."""

    function_name: str = "test-function"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:test-function"
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def response_json(response: dict[str, Any]) -> Any:
    return json.loads(response["body"]) if response.get("body") else None


def method_arn(
    method: str,
    path: str,
    *,
    stage: str = STAGE,
    api_id: str = "testapi",
    account_id: str = "123456789012",
    region: str = "eu-west-1",
) -> str:
    """The ARN API Gateway puts in an authorizer event for a request (`GET`, `/order/o-1`)."""
    return f"arn:aws:execute-api:{region}:{account_id}:{api_id}/{stage}/{method}{path}"


def token_authorizer_event(authorization: str, method: str, path: str) -> dict[str, Any]:
    """The event of a TOKEN authorizer whose identity source is the Authorization header."""
    return {
        "type": "TOKEN",
        "authorizationToken": authorization,
        "methodArn": method_arn(method, path),
    }
