"""An API Gateway (REST API, Lambda proxy integrations) emulation for one stage: the
dispatch pipeline. The authorizer's policy cache and IAM matching are in policies.py, the
proxy event and the translation of a function's result in proxy.py.

What it does, in API Gateway's order: route by path template and method (else its 403
`Missing Authentication Token`), throttle per method (429), run the TOKEN authorizer with its
policy cache and check the policy against the method ARN (401/403), validate the request
(400), build the REST proxy event, invoke the function with a Lambda context (502 on an
exception or a malformed result, 504 past the function's timeout), and write one access-log
line per request in the stage's format. API Gateway's own answers go through the API's
gateway responses (status, CORS headers, body template) as they are configured; an error
of the emulation itself is API Gateway's JSON 500, never an HTML page.
"""

import json
import re
import secrets
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from http import HTTPStatus
from typing import Any

from jsonschema import Draft4Validator
from werkzeug.exceptions import ClientDisconnected
from werkzeug.wrappers import Request, Response

from local.apigateway.api_definition import (
    DEFAULT_STATUS,
    ApiDefinition,
    Operation,
    TokenAuthorizer,
)
from local.apigateway.policies import Authorization, PolicyCache, policy_effect
from local.apigateway.proxy import (
    ApiKeyIdentity,
    Caller,
    ProxyRequest,
    Stage,
    proxy_event,
    proxy_response,
)
from local.lambda_.functions import (
    Function,
    FunctionCrashedError,
    FunctionError,
    FunctionTimeoutError,
)

# API Gateway's hard limit on a request payload.
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
_CONTEXT_VARIABLE = re.compile(r"\$context\.([A-Za-z0-9_.]+)")
_PROXY_RESULT_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}
_DEFAULT_ACCESS_LOG = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",'
    '"httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath",'
    '"status":"$context.status","errorType":"$context.error.responseType"}'
)
# Variables API Gateway gives as JSON already (quoted): written as they are.
_ALREADY_JSON = frozenset({"error.messageString"})
_print_lock = threading.Lock()


def log_line(line: str, stream: Any = None) -> None:
    """One line to stdout (or `stream`), never interleaved with another thread's."""
    with _print_lock:
        (stream or sys.stdout).write(line + "\n")
        (stream or sys.stdout).flush()


class GatewayError(Exception):
    """An answer API Gateway gives itself (`response_type` as in its gateway responses)."""

    def __init__(self, response_type: str, message: str | None, status: int | None = None) -> None:
        super().__init__(message)
        self.response_type = response_type
        self.message = message
        self.status = status or DEFAULT_STATUS[response_type]


@dataclass
class _Exchange:
    """One request's state and the `$context` variables its logs and templates read."""

    request: Request
    path: str
    started: float = field(default_factory=time.monotonic)
    path_parameters: dict[str, str] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    # Local only: `Server-Timing` entries (`lambda;dur=12.34`), see Gateway.handle.
    timings: list[str] = field(default_factory=list)


class TokenBucket:
    """API Gateway's throttle: `burst` requests at once, refilled at `rate` per second."""

    def __init__(self, rate_per_second: float, burst: int) -> None:
        self._rate = rate_per_second
        self._burst = burst
        self._tokens = float(burst)
        self._updated = time.monotonic()
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
            self._updated = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True


class Gateway:
    """One deployed stage of the REST API, with its functions loaded in this process."""

    def __init__(
        self,
        api: ApiDefinition,
        functions: Mapping[str, Function],
        *,
        region: str,
        account_id: str,
        api_id: str,
        api_keys: Callable[[str | None], str] | None = None,
        log: Callable[[str], None] = log_line,
    ) -> None:
        """`api_keys` checks a request's `x-api-key` (the key's id, or a GatewayError)."""
        self.api = api
        self._api_keys = api_keys
        self._functions = functions
        self._region = region
        self._account_id = account_id
        self._api_id = api_id
        self._log = log
        self._policies = PolicyCache()
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._buckets_lock = threading.Lock()

    def handle(self, request: Request, path: str) -> Response:
        """The answer to `request`, whose path inside the stage is `path` (`/products`)."""
        exchange = _Exchange(request, path)
        exchange.variables.update(self._request_variables(exchange))
        try:
            response = self._dispatch(exchange)
        except GatewayError as error:
            response = self._gateway_answer(exchange, error)
        except Exception as exc:
            # A failure of the emulation itself: logged, and answered as API Gateway's own
            # 500 (JSON, with the API's CORS headers), never a server's HTML error page.
            log_line("[ERROR] the API Gateway emulation failed:\n" + _traceback(exc), sys.stderr)
            failure = GatewayError(
                "DEFAULT_5XX", "Internal server error", HTTPStatus.INTERNAL_SERVER_ERROR
            )
            response = self._gateway_answer(exchange, failure)
        variables = exchange.variables
        response.headers["x-amzn-RequestId"] = variables["requestId"]
        response.headers["x-amz-apigw-id"] = variables["extendedRequestId"]
        response.headers["X-Amzn-Trace-Id"] = variables["xrayTraceId"]
        if exchange.timings:
            # Local only: what the local stack alone can time in a request (the API key
            # check, the handler's run as Lambda's REPORT line gives it).
            response.headers["Server-Timing"] = ", ".join(exchange.timings)
        self._access_log(exchange, response)
        return response

    # ------------------------------------------------------------------ the pipeline
    def _dispatch(self, exchange: _Exchange) -> Response:
        request = exchange.request
        if (request.content_length or 0) > MAX_PAYLOAD_BYTES:
            raise GatewayError("REQUEST_TOO_LARGE", "Request Too Long")
        operation = self._route(exchange)
        self._throttle(operation)
        if operation.api_key_required:
            self._check_api_key(exchange)
        if operation.mock is not None:
            return Response(
                status=operation.mock.status,
                headers=self._mapped_headers(operation.mock.header_mappings, exchange),
            )
        if operation.authorizer is not None:
            self._authorize(exchange, operation, operation.authorizer)
        body = self._validated_body(exchange, operation)
        return self._integrate(exchange, operation, body)

    def _route(self, exchange: _Exchange) -> Operation:
        found = self.api.match(exchange.path)
        method = exchange.request.method
        operation = None
        if found is not None:
            resource, parameters = found
            operation = resource.operations.get(method) or resource.operations.get("ANY")
            groups = dict(zip(resource.parameter_names, parameters.values(), strict=True))
            exchange.path_parameters = groups
        if operation is None:
            raise GatewayError("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token")
        exchange.variables["resourcePath"] = operation.resource
        return operation

    def _throttle(self, operation: Operation) -> None:
        settings = self.api.throttle
        if settings is None:
            return
        key = (operation.method, operation.resource)
        with self._buckets_lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(settings.rate_per_second, settings.burst)
        if not bucket.take():
            raise GatewayError("THROTTLED", "Too Many Requests")

    def _check_api_key(self, exchange: _Exchange) -> None:
        if self._api_keys is None:
            raise GatewayError("INVALID_API_KEY", "Forbidden")
        value = exchange.request.headers.get("x-api-key")
        started = time.perf_counter()
        key_id = self._api_keys(value)
        exchange.timings.append(f"api-key;dur={(time.perf_counter() - started) * 1000:.3f}")
        exchange.variables["identity.apiKeyId"] = key_id
        exchange.variables["_api_key"] = ApiKeyIdentity(key_id, value or "")

    def _authorize(
        self, exchange: _Exchange, operation: Operation, authorizer: TokenAuthorizer
    ) -> None:
        token = exchange.request.headers.get(authorizer.header, "")
        if not token or (authorizer.validation and not authorizer.validation.fullmatch(token)):
            raise GatewayError("UNAUTHORIZED", "Unauthorized")
        started = time.monotonic()
        key = (authorizer.function_arn, token)
        authorization = self._policies.get(key)
        if authorization is None:
            authorization = self._run_authorizer(exchange, authorizer, token)
            self._policies.put(key, authorizer.ttl_seconds, authorization)
        exchange.variables["authorizer.latency"] = _milliseconds_since(started)
        exchange.variables.update(
            {f"authorizer.{name}": value for name, value in authorization.context.items()}
        )
        exchange.variables["authorizer.principalId"] = authorization.principal_id
        method_arn = self._method_arn(exchange)
        effect = policy_effect(authorization.policy, method_arn)
        exchange.variables["authorizer.status"] = 200 if effect == "Allow" else 403
        if effect == "Deny":
            raise GatewayError(
                "ACCESS_DENIED",
                "User is not authorized to access this resource with an explicit deny",
            )
        if effect is None:
            raise GatewayError("ACCESS_DENIED", "User is not authorized to access this resource")
        exchange.variables["_authorization"] = authorization

    def _run_authorizer(
        self, exchange: _Exchange, authorizer: TokenAuthorizer, token: str
    ) -> Authorization:
        event = {
            "type": "TOKEN",
            "authorizationToken": token,
            "methodArn": self._method_arn(exchange),
        }
        function = self._function(authorizer.function_arn)
        try:
            result = function.invoke(event, str(uuid.uuid4())).result
        except FunctionError as exc:
            if exc.message == "Unauthorized":
                exchange.variables["authorizer.status"] = 401
                raise GatewayError("UNAUTHORIZED", "Unauthorized") from exc
            exchange.variables["authorizer.status"] = 500
            self._log_function_error(function, exc)
            raise GatewayError("AUTHORIZER_FAILURE", None) from exc
        except (FunctionTimeoutError, FunctionCrashedError) as exc:
            exchange.variables["authorizer.status"] = 500
            self._log_function_error(function, exc)
            raise GatewayError("AUTHORIZER_FAILURE", None) from exc
        try:
            return Authorization.from_result(result)
        except (KeyError, TypeError, ValueError) as exc:
            raise GatewayError("AUTHORIZER_CONFIGURATION_ERROR", None) from exc

    def _validated_body(self, exchange: _Exchange, operation: Operation) -> bytes:
        request = exchange.request
        missing = [
            name
            for location, name in operation.required_parameters
            if not self._parameter(exchange, location, name)
        ]
        if missing:
            raise GatewayError(
                "BAD_REQUEST_PARAMETERS",
                f"Missing required request parameters: [{', '.join(missing)}]",
            )
        try:
            body = request.get_data(cache=False)
        except ClientDisconnected as exc:
            # Less body than its Content-Length: no whole request ever reaches API Gateway.
            raise GatewayError("BAD_REQUEST_BODY", "Invalid request body") from exc
        if operation.body_validator is not None:
            problems = _schema_problems(body, operation.body_validator)
            if problems:
                exchange.variables["error.validationErrorString"] = "[" + ", ".join(problems) + "]"
                raise GatewayError("BAD_REQUEST_BODY", "Invalid request body")
        return body

    def _parameter(self, exchange: _Exchange, location: str, name: str) -> str | None:
        if location == "query":
            return exchange.request.args.get(name)
        if location == "header":
            return exchange.request.headers.get(name)
        if location == "path":
            return exchange.path_parameters.get(name)
        return None

    def _integrate(self, exchange: _Exchange, operation: Operation, body: bytes) -> Response:
        assert operation.function_arn is not None  # an aws_proxy operation always names one
        function = self._function(operation.function_arn)
        event = proxy_event(self._proxy_request(exchange, operation, body))
        started = time.monotonic()
        try:
            invocation = function.invoke(event, str(uuid.uuid4()))
        except FunctionTimeoutError as exc:
            self._log_function_error(function, exc)
            raise GatewayError("INTEGRATION_TIMEOUT", "Endpoint request timed out") from exc
        except (FunctionError, FunctionCrashedError) as exc:
            self._log_function_error(function, exc)
            raise GatewayError(
                "DEFAULT_5XX", "Internal server error", HTTPStatus.BAD_GATEWAY
            ) from exc
        finally:
            exchange.variables["integration.latency"] = _milliseconds_since(started)
        exchange.timings.append(f"lambda;dur={invocation.handler_ms:.3f}")
        if invocation.init_ms is not None:
            exchange.timings.append(f"lambda-init;dur={invocation.init_ms:.3f}")
        try:
            response = proxy_response(invocation.result)
        except (TypeError, ValueError) as exc:
            log_line(f"[ERROR] {function.name}: malformed Lambda proxy response: {exc}", sys.stderr)
            raise GatewayError(
                "DEFAULT_5XX", "Internal server error", HTTPStatus.BAD_GATEWAY
            ) from exc
        exchange.variables["integration.status"] = response.status_code
        return response

    def _function(self, arn: str) -> Function:
        function = self._functions.get(arn)
        if function is None:
            raise GatewayError("API_CONFIGURATION_ERROR", "Internal server error")
        return function

    # ------------------------------------------------------------------ events and answers
    def _proxy_request(
        self, exchange: _Exchange, operation: Operation, body: bytes
    ) -> ProxyRequest:
        request, variables = exchange.request, exchange.variables
        return ProxyRequest(
            method=request.method,
            resource=operation.resource,
            path=exchange.path,
            stage=Stage(self.api.stage, self._api_id, self._account_id, variables["domainName"]),
            request_id=variables["requestId"],
            trace_id=variables["xrayTraceId"],
            extended_request_id=variables["extendedRequestId"],
            request_time=variables["requestTime"],
            request_time_epoch=variables["requestTimeEpoch"],
            headers=list(request.headers.items()),
            query=dict(request.args.lists()),
            path_parameters=exchange.path_parameters,
            body=body,
            caller=Caller(
                source_ip=variables["identity.sourceIp"],
                user_agent=variables["identity.userAgent"],
                port=str(request.environ.get("SERVER_PORT", "")),
                scheme=request.scheme,
            ),
            protocol=variables["protocol"],
            authorization=exchange.variables.get("_authorization"),
            authorizer_latency_ms=variables.get("authorizer.latency", 0),
            api_key=exchange.variables.get("_api_key"),
        )

    def _gateway_answer(self, exchange: _Exchange, error: GatewayError) -> Response:
        config = self.api.gateway_response(error.response_type, error.status)
        variables = exchange.variables
        variables["error.responseType"] = error.response_type
        variables["error.message"] = error.message
        variables["error.messageString"] = json.dumps(error.message)
        body = _render(config.template, variables, missing="")
        return Response(
            body,
            status=config.status or error.status,
            headers=self._mapped_headers(config.header_mappings, exchange),
            content_type="application/json",
        )

    def _mapped_headers(self, mappings: Mapping[str, str], exchange: _Exchange) -> dict[str, str]:
        """Header values as API Gateway maps them: `'static'` or a `method.request.*` value."""
        headers = {}
        for name, expression in mappings.items():
            if expression.startswith("'") and expression.endswith("'"):
                headers[name] = expression[1:-1]
                continue
            location, _, key = expression.removeprefix("method.request.").partition(".")
            value = self._parameter(exchange, {"querystring": "query"}.get(location, location), key)
            if value is not None:
                headers[name] = value
        return headers

    def _method_arn(self, exchange: _Exchange) -> str:
        return (
            f"arn:aws:execute-api:{self._region}:{self._account_id}:{self._api_id}/"
            f"{self.api.stage}/{exchange.request.method}{exchange.path}"
        )

    def _request_variables(self, exchange: _Exchange) -> dict[str, Any]:
        request = exchange.request
        now = datetime.now(UTC)
        request_id = str(uuid.uuid4())
        host = request.host.split(":")[0]
        return {
            "requestId": request_id,
            "extendedRequestId": secrets.token_urlsafe(12)[:16],
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "identity.sourceIp": request.remote_addr or "127.0.0.1",
            "identity.userAgent": request.user_agent.string,
            "httpMethod": request.method,
            "path": f"/{self.api.stage}{exchange.path}",
            "stage": self.api.stage,
            "apiId": self._api_id,
            "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
            "domainName": request.host,
            "domainPrefix": host.split(".")[0],
            "xrayTraceId": f"Root=1-{int(now.timestamp()):08x}-{secrets.token_hex(12)}",
            # Unset, API Gateway logs `-`; the quoted variant stays a JSON string.
            "error.messageString": '"-"',
        }

    def _access_log(self, exchange: _Exchange, response: Response) -> None:
        variables = exchange.variables
        variables["status"] = response.status_code
        variables["responseLength"] = response.calculate_content_length() or 0
        variables["responseLatency"] = _milliseconds_since(exchange.started)
        log_format = self.api.access_log_format or _DEFAULT_ACCESS_LOG
        # The stage's format is JSON: a value (a path with a control character, a user agent
        # with quotes) is written as JSON string content, so every line parses.
        escape = _json_string_content if log_format.lstrip().startswith("{") else str
        self._log(_render(log_format, variables, missing="-", escape=escape))

    def _log_function_error(self, function: Function, error: Exception) -> None:
        # What the function's CloudWatch log would show.
        if isinstance(error, FunctionError):
            text = f"{error.error_type}: {error.message}\n{error.stack_trace}"
        else:
            text = str(error)
        log_line(f"[ERROR] {function.name}: " + text.rstrip(), sys.stderr)


def _schema_problems(body: bytes, validator: Draft4Validator) -> list[str]:
    """Why `body` fails the operation's model (empty when it passes), as API Gateway's
    validator sees it: strict JSON (no NaN or Infinity), exact numbers, any depth refused
    cleanly (a body too deep to parse or check is invalid, not an error of the gateway)."""
    try:
        document = json.loads(body, parse_float=Decimal, parse_constant=_not_json) if body else None
    except (ValueError, RecursionError, ArithmeticError) as exc:  # 1e99999999999999999999
        return [f"Invalid JSON: {_first_line(exc)}"]
    try:
        return [error.message for error in validator.iter_errors(document)]
    except (RecursionError, ArithmeticError, TypeError, ValueError) as exc:
        return [f"Invalid value: {_first_line(exc)}"]


def _not_json(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)).rstrip()


def _render(
    template: str,
    variables: Mapping[str, Any],
    missing: str,
    escape: Callable[[Any], str] = str,
) -> str:
    def value_of(match: re.Match[str]) -> str:
        name = match.group(1)
        value = variables.get(name)
        if value is None:
            return missing
        return str(value) if name in _ALREADY_JSON else escape(value)

    return _CONTEXT_VARIABLE.sub(value_of, template)


def _json_string_content(value: Any) -> str:
    return json.dumps(str(value))[1:-1]


def _milliseconds_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
