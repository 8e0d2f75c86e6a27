"""Lambda's API for the functions the local stack runs, at the AWS emulator's address, as
`aws lambda` (boto3's `lambda` client) reaches it in AWS: `ListFunctions`,
`GetFunctionConfiguration` and `Invoke` (request-response; `LogType=Tail` returns the
invocation's `REPORT` line, `Duration` and, on a cold start, `Init Duration`, as Lambda writes
it to CloudWatch Logs). Nothing here changes a function: moto's own Lambda (which would need
Docker) still answers every other Lambda call.

Local difference: `Environment.Variables` is the whole environment the workers get, Lambda's
reserved variables and the emulator's credentials included (AWS lists only the template's).
"""

import base64
import json
import math
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from local.lambda_.functions import (
    FunctionConfig,
    FunctionCrashedError,
    FunctionError,
    FunctionTimeoutError,
    LocalFunction,
)

WsgiApplication = Callable[[dict[str, Any], Any], Iterable[bytes]]

_PREFIX = "/2015-03-31/functions"
_CONFIGURATION = re.compile(rf"^{_PREFIX}/(?P<name>[^/]+)/configuration$")
_INVOCATIONS = re.compile(rf"^{_PREFIX}/(?P<name>[^/]+)/invocations$")
_RUNTIME = "python3.13"


class LambdaApi:
    """WSGI middleware: the read-only calls and Invoke of the functions `functions()` gives
    (by the ARN the stack invokes them by; none until the stack has loaded them)."""

    def __init__(
        self,
        application: WsgiApplication,
        functions: Callable[[], Mapping[str, LocalFunction]] = dict,
    ) -> None:
        self._application = application
        self._functions = functions

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self._answer(request)
        if response is None:
            return self._application(environ, start_response)
        return response(environ, start_response)

    def _answer(self, request: Request) -> Response | None:
        path = request.path.rstrip("/")
        if request.method == "GET" and path == _PREFIX:
            listed = [configuration(function.config) for function in self._functions().values()]
            return _json({"Functions": sorted(listed, key=lambda item: item["FunctionName"])})
        found = _CONFIGURATION.match(path) if request.method == "GET" else None
        if found is not None:
            function = self._function(found.group("name"))
            return _json(configuration(function.config)) if function else _not_found(found)
        found = _INVOCATIONS.match(path) if request.method == "POST" else None
        if found is not None:
            function = self._function(found.group("name"))
            return self._invoke(function, request) if function else _not_found(found)
        return None

    def _function(self, name_or_arn: str) -> LocalFunction | None:
        """By its name or its ARN (with or without the alias the stack invokes it by)."""
        wanted = unquote(name_or_arn)
        name = wanted.split(":function:")[-1].split(":")[0]
        for function in self._functions().values():
            if function.name == name:
                return function
        return None

    def _invoke(self, function: LocalFunction, request: Request) -> Response:
        invocation_type = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        if invocation_type != "RequestResponse":
            return _error(
                HTTPStatus.BAD_REQUEST,
                "InvalidParameterValueException",
                "The local stack invokes only RequestResponse",
            )
        request_id = str(uuid.uuid4())
        headers = {"X-Amz-Executed-Version": "$LATEST", "x-amzn-RequestId": request_id}
        try:
            event = json.loads(request.get_data() or b"{}")
        except ValueError:
            return _error(
                HTTPStatus.BAD_REQUEST,
                "InvalidRequestContentException",
                "Could not parse request body into json",
            )
        try:
            invocation = function.invoke(event, request_id)
        except (FunctionError, FunctionTimeoutError, FunctionCrashedError) as error:
            headers["X-Amz-Function-Error"] = "Unhandled"
            error_type = getattr(error, "error_type", type(error).__name__)
            payload = {"errorType": error_type, "errorMessage": str(error)}
            return Response(json.dumps(payload), headers=headers, content_type="application/json")
        if request.headers.get("X-Amz-Log-Type") == "Tail":
            report = report_line(
                request_id, invocation.handler_ms, function.config.memory_mb, invocation.init_ms
            )
            headers["X-Amz-Log-Result"] = base64.b64encode(report.encode()).decode()
        return Response(
            json.dumps(invocation.result), headers=headers, content_type="application/json"
        )


def configuration(config: FunctionConfig) -> dict[str, Any]:
    """A function as `GetFunctionConfiguration` describes it."""
    return {
        "FunctionName": config.name,
        "FunctionArn": config.arn,
        "Runtime": _RUNTIME,
        "Handler": config.handler,
        "Timeout": math.ceil(config.timeout_seconds),
        "MemorySize": config.memory_mb,
        "Environment": {"Variables": dict(config.environment)},
        "State": "Active",
        "PackageType": "Zip",
    }


def report_line(request_id: str, duration_ms: float, memory_mb: int, init_ms: float | None) -> str:
    """The invocation's `REPORT` line, as Lambda writes it (Max Memory Used is not measured)."""
    fields = [
        f"REPORT RequestId: {request_id}",
        f"Duration: {duration_ms:.2f} ms",
        f"Billed Duration: {math.ceil(duration_ms)} ms",
        f"Memory Size: {memory_mb} MB",
    ]
    if init_ms is not None:
        fields.append(f"Init Duration: {init_ms:.2f} ms")
    return "\t".join(fields) + "\n"


def _json(body: Any) -> Response:
    return Response(json.dumps(body), content_type="application/json")


def _not_found(found: re.Match[str]) -> Response:
    return _error(
        HTTPStatus.NOT_FOUND,
        "ResourceNotFoundException",
        f"Function not found: {unquote(found.group('name'))}",
    )


def _error(status: HTTPStatus, code: str, message: str) -> Response:
    return Response(
        json.dumps({"Type": "User", "message": message}),
        status=status,
        headers={"x-amzn-ErrorType": code},
        content_type="application/json",
    )
