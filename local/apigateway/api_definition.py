"""The REST API as API Gateway would deploy it: read from openapi.yaml and the API template.

Operations (path template, method, integration target, authorizer, validator, schemas), the
TOKEN authorizer's settings, gateway responses, the stage's name, throttling and access-log
format: all resolved with the local values of the stacks (local/cloudformation/stack.py).
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator

from stacks.intrinsics import Scope, resolve
from stacks.templates import load_template, resources_of_type

# The function ARN in an integration URI (`arn:aws:apigateway:...:functions/<arn>/invocations`).
_INTEGRATION_FUNCTION = re.compile(r"/functions/(?P<arn>arn:[^/]+)/invocations$")
_PATH_PARAMETER = re.compile(r"\{([^}/]+?)(\+?)\}")
# API Gateway's answers of its own and their default status codes.
DEFAULT_STATUS = {
    "ACCESS_DENIED": HTTPStatus.FORBIDDEN,
    "API_CONFIGURATION_ERROR": HTTPStatus.INTERNAL_SERVER_ERROR,
    "AUTHORIZER_CONFIGURATION_ERROR": HTTPStatus.INTERNAL_SERVER_ERROR,
    "AUTHORIZER_FAILURE": HTTPStatus.INTERNAL_SERVER_ERROR,
    "BAD_REQUEST_BODY": HTTPStatus.BAD_REQUEST,
    "BAD_REQUEST_PARAMETERS": HTTPStatus.BAD_REQUEST,
    "INTEGRATION_FAILURE": HTTPStatus.BAD_GATEWAY,
    "INTEGRATION_TIMEOUT": HTTPStatus.GATEWAY_TIMEOUT,
    "INVALID_API_KEY": HTTPStatus.FORBIDDEN,
    "MISSING_AUTHENTICATION_TOKEN": HTTPStatus.FORBIDDEN,
    "QUOTA_EXCEEDED": HTTPStatus.TOO_MANY_REQUESTS,
    "REQUEST_TOO_LARGE": HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    "THROTTLED": HTTPStatus.TOO_MANY_REQUESTS,
    "UNAUTHORIZED": HTTPStatus.UNAUTHORIZED,
}
_ANY_METHOD = "x-amazon-apigateway-any-method"
_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", _ANY_METHOD}
DEFAULT_RESPONSE_TEMPLATE = '{"message":$context.error.messageString}'


@dataclass(frozen=True)
class TokenAuthorizer:
    function_arn: str
    header: str
    ttl_seconds: int
    validation: re.Pattern[str] | None


@dataclass(frozen=True)
class MockResponse:
    """A mock integration's answer (the CORS preflights)."""

    status: int
    header_mappings: dict[str, str]


@dataclass(frozen=True)
class Operation:
    method: str
    resource: str
    function_arn: str | None
    mock: MockResponse | None
    authorizer: TokenAuthorizer | None
    body_validator: Draft4Validator | None
    required_parameters: tuple[tuple[str, str], ...]  # (location, name): query, header, path
    api_key_required: bool = False


@dataclass(frozen=True)
class Resource:
    """A path template with its operations by method, and the regex that matches it."""

    path: str
    pattern: re.Pattern[str]
    parameter_names: tuple[str, ...]
    operations: dict[str, Operation]

    @property
    def specificity(self) -> tuple[int, int]:
        # API Gateway prefers literal segments over parameters, and a greedy one last.
        segments = self.path.strip("/").split("/")
        literals = sum(1 for segment in segments if "{" not in segment)
        return (-literals, sum(1 for segment in segments if segment.endswith("+}")))


@dataclass(frozen=True)
class GatewayResponse:
    status: int | None
    header_mappings: dict[str, str]
    template: str


@dataclass(frozen=True)
class Throttle:
    rate_per_second: float
    burst: int


@dataclass(frozen=True)
class ApiDefinition:
    stage: str
    resources: tuple[Resource, ...]
    gateway_responses: dict[str, GatewayResponse]
    throttle: Throttle | None
    access_log_format: str | None
    function_arns: frozenset[str] = field(default_factory=frozenset)

    def match(self, path: str) -> tuple[Resource, dict[str, str]] | None:
        for resource in self.resources:
            found = resource.pattern.fullmatch(path)
            if found:
                return resource, found.groupdict()
        return None

    def gateway_response(self, response_type: str, status: int) -> GatewayResponse:
        """The configured answer for `response_type`, else its 4XX/5XX default, else AWS's."""
        family = "DEFAULT_5XX" if status >= HTTPStatus.INTERNAL_SERVER_ERROR else "DEFAULT_4XX"
        specific = self.gateway_responses.get(response_type)
        default = self.gateway_responses.get(family)
        chosen = specific or default
        if chosen is None:
            return GatewayResponse(None, {}, DEFAULT_RESPONSE_TEMPLATE)
        return GatewayResponse(
            specific.status if specific else None, chosen.header_mappings, chosen.template
        )


def load_api_definition(openapi_path: Path, template_path: Path, scope: Scope) -> ApiDefinition:
    document = resolve(load_template(openapi_path), scope)
    api = _serverless_api(template_path, scope)
    validators = document.get("x-amazon-apigateway-request-validators", {})
    default_validator = document.get("x-amazon-apigateway-request-validator")
    authorizers = _authorizers(document)
    key_schemes = _api_key_schemes(document)
    resources = []
    for path, item in document.get("paths", {}).items():
        operations = {}
        for method, operation in item.items():
            if method not in _HTTP_METHODS:
                continue
            validator = validators.get(
                operation.get("x-amazon-apigateway-request-validator", default_validator), {}
            )
            verb = "ANY" if method == _ANY_METHOD else method.upper()
            operations[verb] = _operation(
                document,
                verb,
                path,
                operation,
                item.get("parameters", []),
                validator,
                authorizers,
                key_schemes,
                document.get("security", []),
            )
        pattern, names = _path_pattern(path)
        resources.append(Resource(path, pattern, names, operations))
    resources.sort(key=lambda resource: resource.specificity)
    return ApiDefinition(
        stage=str(api["StageName"]),
        resources=tuple(resources),
        gateway_responses=_gateway_responses(document),
        throttle=_stage_throttle(api),
        access_log_format=(api.get("AccessLogSetting") or {}).get("Format"),
        function_arns=frozenset(
            arn
            for resource in resources
            for operation in resource.operations.values()
            for arn in (
                operation.function_arn,
                operation.authorizer and operation.authorizer.function_arn,
            )
            if arn
        ),
    )


def _serverless_api(template_path: Path, scope: Scope) -> dict[str, Any]:
    apis = resources_of_type(load_template(template_path), "AWS::Serverless::Api")
    if len(apis) != 1:
        raise ValueError(f"{template_path}: expected one AWS::Serverless::Api, found {len(apis)}")
    (api,) = apis.values()
    properties = api["Properties"]
    # Only what the emulation uses: the rest names cloud-only resources (log groups...).
    log_format = (properties.get("AccessLogSetting") or {}).get("Format")
    return {
        "StageName": resolve(properties["StageName"], scope),
        "MethodSettings": resolve(properties.get("MethodSettings", []), scope),
        "AccessLogSetting": {"Format": resolve(log_format, scope)} if log_format else None,
    }


def _path_pattern(path: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    names: list[str] = []
    regex = ""
    position = 0
    for found in _PATH_PARAMETER.finditer(path):
        regex += re.escape(path[position : found.start()])
        name, greedy = found.group(1), found.group(2)
        names.append(name)
        regex += f"(?P<{_group(name)}>{'.+' if greedy else '[^/]+'})"
        position = found.end()
    regex += re.escape(path[position:])
    return re.compile(regex), tuple(names)


def _group(name: str) -> str:
    return re.sub(r"\W", "_", name)


def _authorizers(document: dict[str, Any]) -> dict[str, TokenAuthorizer]:
    authorizers = {}
    schemes = document.get("components", {}).get("securitySchemes", {})
    for name, scheme in schemes.items():
        config = scheme.get("x-amazon-apigateway-authorizer")
        if not config:
            continue
        if config.get("type", "token").lower() != "token":
            raise ValueError(f"authorizer {name}: only TOKEN authorizers are emulated")
        source = config.get("identitySource", f"method.request.header.{scheme['name']}")
        expression = config.get("identityValidationExpression")
        authorizers[name] = TokenAuthorizer(
            function_arn=_function_arn(config["authorizerUri"]),
            header=source.removeprefix("method.request.header."),
            ttl_seconds=int(config.get("authorizerResultTtlInSeconds", 300)),
            validation=re.compile(expression) if expression else None,
        )
    return authorizers


def _api_key_schemes(document: dict[str, Any]) -> frozenset[str]:
    """The security schemes that are API Gateway's API key (`x-api-key` in a header)."""
    if document.get("x-amazon-apigateway-api-key-source", "HEADER") != "HEADER":
        raise ValueError("only API keys in the x-api-key header are emulated")
    schemes = document.get("components", {}).get("securitySchemes", {})
    return frozenset(
        name
        for name, scheme in schemes.items()
        if scheme.get("type") == "apiKey"
        and scheme.get("in") == "header"
        and str(scheme.get("name", "")).lower() == "x-api-key"
        and "x-amazon-apigateway-authorizer" not in scheme
    )


def _operation(
    document: dict[str, Any],
    method: str,
    path: str,
    operation: dict[str, Any],
    path_parameters: list[dict[str, Any]],
    validator: Mapping[str, Any],
    authorizers: Mapping[str, TokenAuthorizer],
    key_schemes: frozenset[str],
    default_security: list[dict[str, Any]],
) -> Operation:
    integration = operation.get("x-amazon-apigateway-integration", {})
    security = operation.get("security", default_security)
    authorizer = next(
        (
            authorizers[name]
            for requirement in security
            for name in requirement
            if name in authorizers
        ),
        None,
    )
    body_validator = None
    if validator.get("validateRequestBody"):
        schema = (
            _dereference(document, operation.get("requestBody", {}))
            .get("content", {})
            .get("application/json", {})
            .get("schema")
        )
        if schema is not None:
            # References inlined (faster to validate); numbers are Decimal (as the gateway
            # parses bodies) so `multipleOf: 0.01` accepts 19.9.
            body_validator = Draft4Validator(_exact_numbers(_inlined(document, schema)))
    required: tuple[tuple[str, str], ...] = ()
    if validator.get("validateRequestParameters"):
        parameters = [
            _dereference(document, parameter)
            for parameter in [*path_parameters, *operation.get("parameters", [])]
        ]
        required = tuple(
            (parameter["in"], parameter["name"])
            for parameter in parameters
            if parameter.get("required")
        )
    kind = integration.get("type", "").lower()
    return Operation(
        method=method,
        resource=path,
        function_arn=_function_arn(integration["uri"]) if kind == "aws_proxy" else None,
        mock=_mock_response(integration) if kind == "mock" else None,
        authorizer=authorizer,
        body_validator=body_validator,
        required_parameters=required,
        api_key_required=any(
            name in key_schemes for requirement in security for name in requirement
        ),
    )


def _exact_numbers(node: Any) -> Any:
    """`node` with its floats as Decimal: binary floats fail `multipleOf: 0.01` (19.9/0.01)."""
    return json.loads(json.dumps(node), parse_float=Decimal)


def _dereference(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _inlined(document: dict[str, Any], schema: Any, depth: int = 0) -> Any:
    """`schema` with every `$ref` replaced by what it points at."""
    if depth > 32:
        raise ValueError("a request schema refers to itself: the emulation cannot inline it")
    if isinstance(schema, list):
        return [_inlined(document, item, depth + 1) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return _inlined(document, _dereference(document, schema), depth + 1)
    return {key: _inlined(document, value, depth + 1) for key, value in schema.items()}


def _function_arn(uri: str) -> str:
    found = _INTEGRATION_FUNCTION.search(uri)
    if not found:
        raise ValueError(f"not a Lambda integration URI: {uri}")
    return found.group("arn")


def _mock_response(integration: dict[str, Any]) -> MockResponse:
    default = integration.get("responses", {}).get("default", {})
    return MockResponse(
        status=int(default.get("statusCode", 200)),
        header_mappings=_headers(default.get("responseParameters", {}), "method.response.header."),
    )


def _headers(parameters: Mapping[str, str], prefix: str) -> dict[str, str]:
    return {
        key.removeprefix(prefix): value
        for key, value in parameters.items()
        if key.startswith(prefix)
    }


def _gateway_responses(document: dict[str, Any]) -> dict[str, GatewayResponse]:
    responses = {}
    for response_type, config in document.get("x-amazon-apigateway-gateway-responses", {}).items():
        templates = config.get("responseTemplates", {})
        responses[response_type] = GatewayResponse(
            status=int(config["statusCode"]) if "statusCode" in config else None,
            header_mappings=_headers(
                config.get("responseParameters", {}), "gatewayresponse.header."
            ),
            template=templates.get("application/json", DEFAULT_RESPONSE_TEMPLATE),
        )
    return responses


def _stage_throttle(api: Mapping[str, Any]) -> Throttle | None:
    for setting in api.get("MethodSettings", []):
        applies_to_all = setting.get("ResourcePath") == "/*" and setting.get("HttpMethod") == "*"
        if (
            applies_to_all
            and "ThrottlingRateLimit" in setting
            and "ThrottlingBurstLimit" in setting
        ):
            return Throttle(
                rate_per_second=float(setting["ThrottlingRateLimit"]),
                burst=int(setting["ThrottlingBurstLimit"]),
            )
    return None
