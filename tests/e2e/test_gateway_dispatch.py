"""The API Gateway emulation's dispatcher in-process, with stand-in functions.

The real openapi.yaml and API template define the API; the functions behind it are
in-process stand-ins (tests/builders/functions.py) that fail in the ways a real one can (an
exception, a malformed result, running past its timeout), so API Gateway's own answers are
checked exactly: with the API's configured gateway responses, and with AWS's defaults (no
gateway responses configured). The worker processes that run real functions have their
own tests (test_workers.py).
"""

import base64
import copy
import dataclasses
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response

from local.apigateway.api_definition import ApiDefinition, Throttle, load_api_definition
from local.apigateway.gateway import Gateway
from local.apigateway.policies import policy_effect, wildcard_matches
from local.cloudformation.stack import ACCOUNT_ID, LocalCloud
from local.lambda_.functions import Function, FunctionCrashedError
from local.shop import API_ID
from stacks.templates import API_TEMPLATE, OPENAPI, imported_exports, load_openapi
from tests.builders.functions import InProcessFunction

REGION = "eu-west-1"
ORIGIN = "http://127.0.0.1:8000"
TOKEN = "Bearer header.payload.signature"
DENIED_TOKEN = "Bearer denied.payload.signature"

Handler = Callable[[dict[str, Any], Any], Any]


def _ok(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "[]"}


def _authorizer(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Allows every route of the stage, or explicitly denies for DENIED_TOKEN."""
    if event["authorizationToken"] not in {TOKEN, DENIED_TOKEN}:
        raise Exception("Unauthorized")
    arn_prefix = event["methodArn"].split("/", 1)[0]
    effect = "Deny" if event["authorizationToken"] == DENIED_TOKEN else "Allow"
    return {
        "principalId": "sub-1",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": effect, "Action": "execute-api:Invoke", "Resource": f"{arn_prefix}/*"}
            ],
        },
        "context": {"username": "alice", "sub": "sub-1", "is_admin": False},
    }


class Recorder:
    """A function that records the events and contexts it was invoked with."""

    def __init__(self, answer: Handler = _ok) -> None:
        self.calls: list[tuple[dict[str, Any], Any]] = []
        self._answer = answer

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.calls.append((event, context))
        return self._answer(event, context)


def build_gateway(
    handlers: Mapping[str, Handler | Function],
    *,
    timeout: float = 2.0,
    defaults_only: bool = False,
    throttle: Throttle | None = None,
    openapi: Path = OPENAPI,
) -> tuple[Gateway, list[str]]:
    """A gateway for the real API (or `openapi`, a variant of it), with `handlers` (by route
    name) behind it; logs collected."""
    cloud = LocalCloud(stage="dev", region=REGION)
    functions_named = []
    # Every export the API imports: the functions' ARNs (stand-ins below), the web origin.
    for imported in imported_exports(load_openapi()):
        name = imported.replace("${Stage}", cloud.stage)
        if name.endswith("FunctionArn"):
            function = name.removeprefix(cloud.export_name("")).removesuffix("FunctionArn")
            functions_named.append(function)
            cloud.exports[name] = cloud.function_arn(function)
        else:
            cloud.exports[name] = ORIGIN
    api = load_api_definition(openapi, API_TEMPLATE, cloud.scope(API_TEMPLATE, {"ShopApi": API_ID}))
    if defaults_only:
        api = dataclasses.replace(api, gateway_responses={})
    api = dataclasses.replace(api, throttle=throttle)
    everything = dict.fromkeys(functions_named, _ok) | {"Authorizer": _authorizer} | handlers
    functions: dict[str, Function] = {
        cloud.function_arn(name): handler
        if isinstance(handler, Function)
        else InProcessFunction(name=name, timeout_seconds=timeout, memory_mb=512, handler=handler)
        for name, handler in everything.items()
    }
    logs: list[str] = []
    return Gateway(
        api, functions, region=REGION, account_id=ACCOUNT_ID, api_id=API_ID, log=logs.append
    ), logs


def call(gateway: Gateway, method: str, path: str, **kwargs: Any) -> Response:
    headers = {"Origin": ORIGIN, "Authorization": TOKEN, **kwargs.pop("headers", {})}
    builder = EnvironBuilder(method=method, path=f"/dev{path}", headers=headers, **kwargs)
    return gateway.handle(builder.get_request(), path)


def body_of(response: Response) -> Any:
    return json.loads(response.get_data())


# ------------------------------------------------------------------ the proxy event
def test_the_function_gets_a_rest_proxy_event_with_the_authorizers_context() -> None:
    # Given a recording GetOrders function
    recorder = Recorder()
    gateway, _ = build_gateway({"GetOrders": recorder})
    # When a request with repeated query parameters comes in
    call(gateway, "GET", "/orders", query_string="limit=5&status=pending&status=shipped")
    # Then the event is API Gateway's REST proxy event
    (event, context), *_ = recorder.calls
    assert event["resource"] == "/orders"
    assert event["path"] == "/orders"
    assert event["httpMethod"] == "GET"
    assert event["headers"]["Authorization"] == TOKEN
    assert event["multiValueHeaders"]["Origin"] == [ORIGIN]
    assert event["headers"]["X-Forwarded-For"] == event["requestContext"]["identity"]["sourceIp"]
    assert event["headers"]["X-Amzn-Trace-Id"].startswith("Root=1-")
    assert event["queryStringParameters"] == {"limit": "5", "status": "shipped"}
    assert event["multiValueQueryStringParameters"]["status"] == ["pending", "shipped"]
    assert event["pathParameters"] is None
    request_context = event["requestContext"]
    assert request_context["stage"] == "dev"
    assert request_context["resourcePath"] == "/orders"
    assert request_context["path"] == "/dev/orders"
    assert request_context["identity"]["sourceIp"]
    assert request_context["requestId"]
    assert request_context["authorizer"] | {"integrationLatency": 0} == {
        "principalId": "sub-1",
        "username": "alice",
        "sub": "sub-1",
        "is_admin": "false",
        "integrationLatency": 0,
    }
    # And the Lambda context names the function and its limits
    assert context.function_name == "GetOrders"
    assert context.memory_limit_in_mb == 512
    assert 0 < context.get_remaining_time_in_millis() <= 2000


def test_path_parameters_come_from_the_path_template() -> None:
    recorder = Recorder()
    gateway, _ = build_gateway({"DeleteOrder": recorder})
    call(gateway, "DELETE", "/order/abc-123")
    (event, _context), *_ = recorder.calls
    assert event["resource"] == "/order/{order_id}"
    assert event["pathParameters"] == {"order_id": "abc-123"}


def test_the_authorizer_runs_once_per_token_within_its_ttl() -> None:
    # Given a counting authorizer
    authorizer = Recorder(_authorizer)
    gateway, _ = build_gateway({"Authorizer": authorizer})
    # When the same token calls three routes
    for method, path in (("GET", "/orders"), ("DELETE", "/product/x"), ("DELETE", "/order/x")):
        assert call(gateway, method, path).status_code == 200
    # Then the authorizer ran once, with the first method's ARN
    assert len(authorizer.calls) == 1
    (event, _), *_ = authorizer.calls
    assert event == {
        "type": "TOKEN",
        "authorizationToken": TOKEN,
        "methodArn": f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{API_ID}/dev/GET/orders",
    }


# ------------------------------------------------------------------ API Gateway's own answers
def failing(event: dict[str, Any], context: Any) -> Any:
    raise RuntimeError("boom")


def malformed(event: dict[str, Any], context: Any) -> Any:
    return {"statusCode": 200, "body": {"not": "a string"}}


def slow(event: dict[str, Any], context: Any) -> Any:
    time.sleep(0.5)
    return _ok(event, context)


AWS_DEFAULT_ANSWERS = [
    # (case, handlers, method, path, headers, status, message)
    ("unknown path", {}, "GET", "/nope", {}, 403, "Missing Authentication Token"),
    ("unknown method", {}, "PUT", "/products", {}, 403, "Missing Authentication Token"),
    ("no token", {}, "GET", "/orders", {"Authorization": ""}, 401, "Unauthorized"),
    ("malformed token", {}, "GET", "/orders", {"Authorization": "Bearer x"}, 401, "Unauthorized"),
    (
        "token refused",
        {},
        "GET",
        "/orders",
        {"Authorization": "Bearer a.b.c"},
        401,
        "Unauthorized",
    ),
    (
        "explicit deny",
        {},
        "GET",
        "/orders",
        {"Authorization": DENIED_TOKEN},
        403,
        "User is not authorized to access this resource with an explicit deny",
    ),
    (
        "handler exception",
        {"GetProducts": failing},
        "GET",
        "/products",
        {},
        502,
        "Internal server error",
    ),
    (
        "malformed result",
        {"GetProducts": malformed},
        "GET",
        "/products",
        {},
        502,
        "Internal server error",
    ),
    (
        "past the timeout",
        {"GetProducts": slow},
        "GET",
        "/products",
        {},
        504,
        "Endpoint request timed out",
    ),
]


@pytest.mark.parametrize(
    ("handlers", "method", "path", "headers", "status", "message"),
    [case[1:] for case in AWS_DEFAULT_ANSWERS],
    ids=[case[0] for case in AWS_DEFAULT_ANSWERS],
)
def test_api_gateways_default_answers(
    handlers: dict[str, Handler],
    method: str,
    path: str,
    headers: dict[str, str],
    status: int,
    message: str,
) -> None:
    # Given an API with no gateway responses configured (AWS's defaults)
    gateway, logs = build_gateway(handlers, timeout=0.2, defaults_only=True)
    # When the request fails in API Gateway's own way
    response = call(gateway, method, path, headers=headers)
    # Then API Gateway's exact answer, and one access-log line saying so
    assert response.status_code == status
    assert body_of(response) == {"message": message}
    (line,) = logs
    assert json.loads(line)["status"] == str(status)


def test_a_path_or_user_agent_json_would_break_keeps_the_access_log_line_json() -> None:
    # Given the stage's JSON access-log format
    gateway, logs = build_gateway({})
    # When a request's path holds a control character and its user agent quotes
    call(gateway, "GET", '/product/a\nb"c', headers={"User-Agent": 'probe "quoted"\\'})
    # Then its line parses, with both values as they were
    (line,) = logs
    entry = json.loads(line)
    assert entry["path"] == '/dev/product/a\nb"c'
    assert entry["userAgent"] == 'probe "quoted"\\'


def test_the_apis_gateway_responses_carry_cors_headers_on_failures() -> None:
    # Given the API as configured, and a function that fails
    gateway, _ = build_gateway({"GetProducts": failing})
    # When the failure is answered by API Gateway
    response = call(gateway, "GET", "/products")
    # Then the configured answer carries the web origin's CORS headers
    assert response.status_code == 502
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


@pytest.mark.parametrize(
    ("handlers", "path", "headers", "status"),
    [({"GetProducts": failing}, "/products", {}, 502), ({}, "/orders", {"Authorization": ""}, 401)],
    ids=["a failing function", "no token"],
)
def test_the_apis_gateway_responses_are_never_stored(
    handlers: dict[str, Handler], path: str, headers: dict[str, str], status: int
) -> None:
    gateway, _ = build_gateway(handlers)
    response = call(gateway, "GET", path, headers=headers)
    assert (response.status_code, response.headers["Cache-Control"]) == (status, "no-store")


def test_throttling_answers_429_past_the_burst() -> None:
    # Given a stage that allows a burst of 2 and barely refills
    gateway, _ = build_gateway(
        {}, defaults_only=True, throttle=Throttle(rate_per_second=0.001, burst=2)
    )
    # When three requests arrive at once
    statuses = [call(gateway, "GET", "/products").status_code for _ in range(3)]
    # Then the third is throttled with API Gateway's answer
    assert statuses == [200, 200, 429]
    assert body_of(call(gateway, "GET", "/products")) == {"message": "Too Many Requests"}


def test_a_request_body_failing_the_schema_never_reaches_the_function(
    body_validating_openapi: Path,
) -> None:
    recorder = Recorder()
    gateway, _ = build_gateway(
        {"CreatePartner": recorder}, defaults_only=True, openapi=body_validating_openapi
    )
    response = call(gateway, "POST", "/partner", json={"name": "Lamp", "tier": "free"})
    assert response.status_code == 400
    assert body_of(response) == {"message": "Invalid request body"}
    assert recorder.calls == []


def test_a_preflight_is_answered_by_the_mock_integration_without_authorization() -> None:
    gateway, _ = build_gateway({})
    response = call(gateway, "OPTIONS", "/order", headers={"Authorization": ""})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


# ------------------------------------------------------------------ policies
@pytest.mark.parametrize(
    ("pattern", "arn", "matches"),
    [
        (
            "arn:aws:execute-api:r:1:api/dev/GET/products",
            "arn:aws:execute-api:r:1:api/dev/GET/products",
            True,
        ),
        (
            "arn:aws:execute-api:r:1:api/dev/DELETE/order/*",
            "arn:aws:execute-api:r:1:api/dev/DELETE/order/x",
            True,
        ),
        ("arn:aws:execute-api:r:1:api/*/GET/*", "arn:aws:execute-api:r:1:api/dev/GET/orders", True),
        (
            "arn:aws:execute-api:r:1:api/dev/GET/product?",
            "arn:aws:execute-api:r:1:api/dev/GET/products",
            True,
        ),
        (
            "arn:aws:execute-api:r:1:api/dev/GET/products",
            "arn:aws:execute-api:r:1:api/dev/POST/product",
            False,
        ),
        (
            "arn:aws:execute-api:r:1:api/dev/DELETE/product/*",
            "arn:aws:execute-api:r:1:api/dev/DELETE/order/x",
            False,
        ),
    ],
)
def test_policy_resources_match_with_wildcards(pattern: str, arn: str, matches: bool) -> None:
    assert wildcard_matches(pattern, arn) is matches


def test_an_explicit_deny_wins_over_an_allow() -> None:
    arn = "arn:aws:execute-api:r:1:api/dev/GET/products"
    policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "execute-api:Invoke",
                "Resource": "arn:aws:execute-api:r:1:api/*",
            },
            {"Effect": "Deny", "Action": ["execute-api:*"], "Resource": [arn]},
        ]
    }
    assert policy_effect(policy, arn) == "Deny"
    assert policy_effect({"Statement": policy["Statement"][:1]}, arn) == "Allow"
    assert policy_effect({"Statement": []}, arn) is None


def test_the_api_definition_routes_every_operation_to_a_function_or_a_mock() -> None:
    gateway, _ = build_gateway({})
    api: ApiDefinition = gateway.api
    for resource in api.resources:
        for operation in resource.operations.values():
            assert (operation.function_arn is None) != (operation.mock is None)


# ------------------------------------------------------------------ the emulation never crashes
LAMP_ID = "5031d2e2-53a4-4a6b-948f-efbdd706aad2"
UNPARSABLE_BODIES = {
    "NaN": b'{"name": "Lamp", "price": NaN}',
    "Infinity": b'{"name": "Lamp", "price": Infinity}',
    "-Infinity": b'{"name": "Lamp", "price": -Infinity}',
    "1e400": b'{"name": "Lamp", "price": 1e400}',
    "an exponent past Decimal's": b'{"name": "Lamp", "price": 1e99999999999999999999}',
    "10,000 nested arrays": b'{"name": "Lamp", "price": 1, "x": '
    + b"[" * 10_000
    + b"]" * 10_000
    + b"}",
    "10,000 nested objects": b'{"name": ' + b'{"a": ' * 10_000 + b"1" + b"}" * 10_000 + b"}",
    "invalid UTF-8": b'{"name": "\xff\xfe", "price": 1}',
}


@pytest.fixture
def body_validating_openapi(tmp_path: Path) -> Path:
    """The API with API Gateway validating the body of one route (the admin's partner
    creation) and the parameters of another (the vault's diff), as a fork may: every route of
    the shop leaves them to its function."""
    document = copy.deepcopy(load_openapi())
    document["x-amazon-apigateway-request-validators"] = {
        "all": {"validateRequestBody": True, "validateRequestParameters": True}
    }
    document["paths"]["/partner"]["post"]["x-amazon-apigateway-request-validator"] = "all"
    diff = document["paths"]["/vault/distributions/{distribution_id}/diff"]["get"]
    diff["x-amazon-apigateway-request-validator"] = "all"
    variant = tmp_path / "openapi.json"
    variant.write_text(json.dumps(document))
    return variant


@pytest.mark.parametrize("body", UNPARSABLE_BODIES.values(), ids=UNPARSABLE_BODIES.keys())
def test_a_body_the_validator_cannot_accept_is_a_json_400_with_cors(
    body: bytes, body_validating_openapi: Path
) -> None:
    # Given an API whose partner creation has API Gateway validate its body, with a recording
    # function behind it
    recorder = Recorder()
    gateway, logs = build_gateway({"CreatePartner": recorder}, openapi=body_validating_openapi)
    # When a body no JSON validator can accept arrives
    response = call(
        gateway, "POST", "/partner", data=body, headers={"Content-Type": "application/json"}
    )
    # Then API Gateway's BAD_REQUEST_BODY answers, as JSON with CORS, and no function runs
    assert response.status_code == 400
    assert response.content_type == "application/json"
    assert body_of(response)["message"] == "Invalid request body"
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert json.loads(logs[-1])["errorType"] == "BAD_REQUEST_BODY"
    assert recorder.calls == []


def test_a_missing_required_parameter_the_validator_checks_is_a_json_400_with_cors(
    body_validating_openapi: Path,
) -> None:
    # Given an API whose vault diff has API Gateway check its parameters
    recorder = Recorder()
    gateway, logs = build_gateway({"GetVaultDiff": recorder}, openapi=body_validating_openapi)
    # When a diff comes without its `to`
    response = call(gateway, "GET", "/vault/distributions/E1/diff", query_string="from=1")
    # Then API Gateway's BAD_REQUEST_PARAMETERS answers, saying which, and no function runs
    assert response.status_code == 400
    assert body_of(response) == {"message": "Missing required request parameters: [to]"}
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert json.loads(logs[-1])["errorType"] == "BAD_REQUEST_PARAMETERS"
    assert recorder.calls == []


def test_the_shops_api_leaves_a_missing_parameter_to_the_function() -> None:
    recorder = Recorder()
    gateway, _ = build_gateway({"GetVaultDiff": recorder})

    call(gateway, "GET", "/vault/distributions/E1/diff", query_string="from=1")

    assert len(recorder.calls) == 1


# Routes whose body their function validates (no route has API Gateway's validator: the
# function's answer names the field at fault), by the function behind each.
BODY_CHECKED_BY_THE_FUNCTION = {
    "/partner": "CreatePartner",
    "/order": "UpsertOrder",
    "/product": "UpsertProduct",
    "/images": "CreateImageUpload",
}


@pytest.mark.parametrize("path", BODY_CHECKED_BY_THE_FUNCTION)
@pytest.mark.parametrize("body", UNPARSABLE_BODIES.values(), ids=UNPARSABLE_BODIES.keys())
def test_a_body_its_function_validates_reaches_it_as_sent(path: str, body: bytes) -> None:
    # Given a route whose body its function validates, with a recording function behind it
    recorder = Recorder()
    gateway, _ = build_gateway({BODY_CHECKED_BY_THE_FUNCTION[path]: recorder})
    # When a body no JSON parser can accept arrives
    response = call(gateway, "POST", path, data=body, headers={"Content-Type": "application/json"})
    # Then the function gets it as sent (base64 when it is not UTF-8), and answers
    ((event, _),) = recorder.calls
    received = (
        base64.b64decode(event["body"]) if event["isBase64Encoded"] else event["body"].encode()
    )
    assert received == body
    assert response.status_code == 200


class DyingFunction:
    """A function whose worker process dies before answering (exit, crash, out of memory)."""

    name = "Dying"

    def invoke(self, event: dict[str, Any], request_id: str) -> Any:
        raise FunctionCrashedError("Dying: the worker was killed by SIGKILL")


def test_a_worker_that_dies_is_a_502_with_cors() -> None:
    gateway, logs = build_gateway({"GetProducts": DyingFunction()})
    response = call(gateway, "GET", "/products")
    assert response.status_code == 502
    assert body_of(response) == {"message": "Internal server error"}
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert json.loads(logs[-1])["status"] == "502"


class BrokenFunction:
    """A function whose invocation fails in a way the emulation does not expect."""

    name = "Broken"

    def invoke(self, event: dict[str, Any], request_id: str) -> Any:
        raise RuntimeError("a bug of the emulation")


def test_a_failure_of_the_emulation_itself_is_api_gateways_json_500_with_cors() -> None:
    gateway, _ = build_gateway({"GetProducts": BrokenFunction()})
    response = call(gateway, "GET", "/products")
    assert response.status_code == 500
    assert body_of(response) == {"message": "Internal server error"}
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
