"""The REST API's Lambda proxy integration: the event API Gateway sends a function, and how
it turns the function's result into the HTTP answer.

`proxy_event` is the one builder of proxy events: the gateway emulation and the service
tests (tests/builders/events.py) both use it, so tests send functions exactly what the
emulator sends.
"""

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Response

from local.apigateway.policies import Authorization, context_value

_PROXY_RESULT_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}


@dataclass(frozen=True)
class Caller:
    """Where a request came from, as API Gateway sees it."""

    source_ip: str = "127.0.0.1"
    user_agent: str = ""
    port: str = "443"
    scheme: str = "https"


@dataclass(frozen=True)
class Stage:
    """The deployed stage a request reached."""

    name: str
    api_id: str
    account_id: str
    domain_name: str


@dataclass(frozen=True)
class ApiKeyIdentity:
    """The API key a request on a method that requires one was let through with."""

    key_id: str
    value: str


@dataclass(frozen=True)
class ProxyRequest:
    """One request as API Gateway passes it to a Lambda proxy integration."""

    method: str
    resource: str  # the path template: `/order/{order_id}`
    path: str  # inside the stage: `/order/1234`
    stage: Stage
    request_id: str
    trace_id: str
    extended_request_id: str
    request_time: str  # `29/Nov/2026:16:38:29 +0000`
    request_time_epoch: int  # milliseconds
    headers: Sequence[tuple[str, str]] = ()
    query: Mapping[str, Sequence[str]] = field(default_factory=dict)
    path_parameters: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    caller: Caller = field(default_factory=Caller)
    protocol: str = "HTTP/1.1"
    authorization: Authorization | None = None
    authorizer_latency_ms: int = 0
    api_key: ApiKeyIdentity | None = None


def forwarding_headers(request: ProxyRequest) -> list[tuple[str, str]]:
    """The headers API Gateway adds to what it passes on to the integration."""
    forwarded_for = next(
        (value for name, value in request.headers if name.lower() == "x-forwarded-for"), None
    )
    source = request.caller.source_ip
    return [
        ("X-Amzn-Trace-Id", request.trace_id),
        ("X-Forwarded-For", f"{forwarded_for}, {source}" if forwarded_for else source),
        ("X-Forwarded-Port", request.caller.port),
        ("X-Forwarded-Proto", request.caller.scheme),
    ]


def proxy_event(request: ProxyRequest) -> dict[str, Any]:
    """The REST (v1) proxy event of `request`."""
    headers: dict[str, str] = {}
    multi_headers: dict[str, list[str]] = {}
    added = forwarding_headers(request)
    replaced = {name.lower() for name, _ in added}
    received = [(name, value) for name, value in request.headers if name.lower() not in replaced]
    for name, value in [*received, *added]:
        headers[name] = value
        multi_headers.setdefault(name, []).append(value)
    query = {name: values[-1] for name, values in request.query.items()}
    multi_query = {name: list(values) for name, values in request.query.items()}
    try:
        text_body: str | None = request.body.decode() if request.body else None
        is_base64 = False
    except UnicodeDecodeError:
        text_body, is_base64 = base64.b64encode(request.body).decode(), True
    stage = request.stage
    authorization = request.authorization
    return {
        "resource": request.resource,
        "path": request.path,
        "httpMethod": request.method,
        "headers": headers or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(request.path_parameters) or None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "local",
            "resourcePath": request.resource,
            "httpMethod": request.method,
            "extendedRequestId": request.extended_request_id,
            "requestTime": request.request_time,
            "path": f"/{stage.name}{request.path}",
            "accountId": stage.account_id,
            "protocol": request.protocol,
            "stage": stage.name,
            "domainPrefix": stage.domain_name.split(":")[0].split(".")[0],
            "requestTimeEpoch": request.request_time_epoch,
            "requestId": request.request_id,
            "identity": {
                "cognitoIdentityPoolId": None,
                "accountId": None,
                "cognitoIdentityId": None,
                "caller": None,
                "sourceIp": request.caller.source_ip,
                "principalOrgId": None,
                "accessKey": None,
                **(
                    {"apiKey": request.api_key.value, "apiKeyId": request.api_key.key_id}
                    if request.api_key
                    else {}
                ),
                "cognitoAuthenticationType": None,
                "cognitoAuthenticationProvider": None,
                "userArn": None,
                "userAgent": request.caller.user_agent,
                "user": None,
            },
            "domainName": stage.domain_name,
            "apiId": stage.api_id,
            "authorizer": (
                {
                    **authorization.context,
                    "principalId": authorization.principal_id,
                    "integrationLatency": request.authorizer_latency_ms,
                }
                if authorization
                else None
            ),
        },
        "body": text_body,
        "isBase64Encoded": is_base64,
    }


def proxy_response(result: Any) -> Response:
    """A Lambda proxy result as API Gateway accepts it, or ValueError/TypeError (its 502)."""
    if not isinstance(result, dict) or not set(result) <= _PROXY_RESULT_KEYS:
        raise ValueError(f"not a proxy result: {str(result)[:200]}")
    status = int(result["statusCode"])
    body = result.get("body")
    if body is not None and not isinstance(body, str):
        raise TypeError("body must be a string")
    payload = base64.b64decode(body) if body and result.get("isBase64Encoded") else (body or "")
    multi = result.get("multiValueHeaders") or {}
    headers: list[tuple[str, str]] = [
        (name, _header_value(value))
        for name, value in (result.get("headers") or {}).items()
        if name not in multi
    ]
    headers += [(name, _header_value(value)) for name, values in multi.items() for value in values]
    response = Response(payload, status=status, headers=headers)
    if not any(name.lower() == "content-type" for name, _ in headers):
        response.headers["Content-Type"] = "application/json"
    return response


def _header_value(value: Any) -> str:
    if isinstance(value, dict | list):
        raise TypeError("a header value must be a scalar")
    return context_value(value)
