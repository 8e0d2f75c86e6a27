"""api_gateway/openapi.yaml, the API contract, against everything that must agree with it.

It is valid OpenAPI 3; every route but the open catalogue and the partners' is secured by the
JWT authorizer (the partner routes by an API key instead, and by no authorizer); every route
is validated, and integrated with a function that a service stack defines and exports; every
exported function is routed; the authorizer's route table names exactly the secured routes;
CORS and API Gateway's own errors are answered as the functions answer; and its request
schemas, as API Gateway's validator (JSON Schema draft 4) applies them, judge request bodies
as the handlers' models do.
"""

import json
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache, partial
from typing import Any

import pytest
from jsonschema import Draft4Validator
from openapi_spec_validator import validate
from pydantic import BaseModel
from referencing import Registry
from referencing.jsonschema import DRAFT4

from authorizer.policy import ROUTES
from orders.models import Order, parse_order_request
from partners.models import (
    CatalogueProduct,
    CreatedPartner,
    NewPartnerRequest,
    Partner,
    PartnerChangeRequest,
    Quote,
)
from products.models import ImageUpload, ImageUploadIn, ProductIn
from shop_common.api import CORS_ALLOW_HEADERS, error_response, parse_body
from shop_common.errors import FieldError, InvalidRequestError
from shop_common.pagination import DEFAULT_LIMIT, MAX_LIMIT, NEXT_CURSOR_HEADER
from shop_common.product import Product
from stacks.templates import (
    AUTH_TEMPLATE,
    SERVICE_TEMPLATES,
    api_operations,
    function_exports,
    imported_exports,
    load_openapi,
)
from tests.builders.examples import (
    IMAGE_UPLOAD_BODIES,
    ORDER_BODIES,
    PARTNER_BODIES,
    PARTNER_CHANGE_BODIES,
    PRODUCT_BODIES,
    VAULT_CAPTURE_BODIES,
    VAULT_COPY_BODIES,
    VAULT_CREATE_BODIES,
    VAULT_INVITE_BODIES,
    VAULT_NOTIFICATIONS_BODIES,
    VAULT_ROLLBACK_BODIES,
    VAULT_SCHEDULE_BODIES,
    VAULT_SCHEDULE_CHANGE_BODIES,
    VAULT_USER_CHANGE_BODIES,
    BodyExample,
)
from vault.models import (
    Applied,
    AuditEntry,
    Captured,
    CaptureIn,
    CopyIn,
    Created,
    CreateIn,
    Distribution,
    DistributionDetail,
    NotificationLists,
    RollbackIn,
    Version,
)
from vault.schedule_models import Schedule, ScheduleChange, ScheduleIn
from vault.user_models import InviteIn, UserChangeIn, VaultUser

SPEC = load_openapi()
SPEC_URI = "urn:shop:openapi"
OPERATIONS = api_operations()
# The routes of DESIGN.md's API contract: the seed's paths, which its clients still call.
CONTRACT_ROUTES = {
    "GET /products",
    "GET /product/{product_id}",
    "POST /product",
    "DELETE /product/{product_id}",
    "POST /images",
    "GET /orders",
    "POST /order",
    "DELETE /order/{order_id}",
    "GET /order/{order_id}",
    # Issue 13: partners (API key), and the admin's management of their keys.
    "GET /partner/products",
    "GET /partner/products/{product_id}",
    "POST /partner/quote",
    "POST /partner",
    "GET /partners",
    "POST /partner/{partner_id}",
    "DELETE /partner/{partner_id}",
    # Issue 19: the config vault.
    "GET /vault/distributions",
    "POST /vault/distributions",
    "GET /vault/distributions/{distribution_id}",
    "GET /vault/distributions/{distribution_id}/versions",
    "POST /vault/distributions/{distribution_id}/versions",
    "GET /vault/distributions/{distribution_id}/versions/{version}",
    "POST /vault/distributions/{distribution_id}/versions/{version}/copy",
    "GET /vault/distributions/{distribution_id}/diff",
    "POST /vault/distributions/{distribution_id}/rollback",
    "GET /vault/users",
    "POST /vault/users",
    "POST /vault/users/{username}",
    "DELETE /vault/users/{username}",
    "GET /vault/schedules",
    "POST /vault/schedules",
    "POST /vault/schedules/{schedule_id}",
    "DELETE /vault/schedules/{schedule_id}",
    "GET /vault/audit",
    "GET /vault/notifications",
    "POST /vault/notifications",
}
# The open catalogue: no authorizer (a token, if sent, is ignored).
OPEN_ROUTES = {"GET /products", "GET /product/{product_id}"}
# The routes partners' machines call: an API key and its usage plan, no user token.
PARTNER_ROUTES = {
    "GET /partner/products",
    "GET /partner/products/{product_id}",
    "POST /partner/quote",
}
AUTHORIZER_SCHEME = "JwtAuthorizer"
API_KEY_SCHEME = "PartnerApiKey"
AMAZON_EXTENSION_PREFIX = "x-amazon-apigateway-"
WEB_ORIGIN_EXPORT = "shop-${Stage}-WebOrigin"
GATEWAY_RESPONSES_WITH_CORS = {
    "DEFAULT_4XX",
    "DEFAULT_5XX",
    "UNAUTHORIZED",
    "ACCESS_DENIED",
    "THROTTLED",
    "MISSING_AUTHENTICATION_TOKEN",
    "REQUEST_TOO_LARGE",
}
# How each handler reads its body: a model, or a parser that chooses one by what the body holds.
BODY_PARSERS: dict[str, Callable[[str], BaseModel]] = {
    "POST /product": partial(parse_body, model=ProductIn),
    "POST /images": partial(parse_body, model=ImageUploadIn),
    "POST /order": parse_order_request,
    "POST /partner": partial(parse_body, model=NewPartnerRequest),
    "POST /partner/{partner_id}": partial(parse_body, model=PartnerChangeRequest),
    "POST /vault/distributions": partial(parse_body, model=CreateIn),
    "POST /vault/distributions/{distribution_id}/versions": partial(parse_body, model=CaptureIn),
    "POST /vault/distributions/{distribution_id}/versions/{version}/copy": partial(
        parse_body, model=CopyIn
    ),
    "POST /vault/distributions/{distribution_id}/rollback": partial(parse_body, model=RollbackIn),
    "POST /vault/users": partial(parse_body, model=InviteIn),
    "POST /vault/users/{username}": partial(parse_body, model=UserChangeIn),
    "POST /vault/schedules": partial(parse_body, model=ScheduleIn),
    "POST /vault/schedules/{schedule_id}": partial(parse_body, model=ScheduleChange),
    "POST /vault/notifications": partial(parse_body, model=NotificationLists),
}
RESPONSE_MODELS: dict[str, type[BaseModel]] = {
    "Product": Product,
    "ImageUpload": ImageUpload,
    "Order": Order,
    "Partner": Partner,
    "CreatedPartner": CreatedPartner,
    "CatalogueProduct": CatalogueProduct,
    "Quote": Quote,
    "VaultDistribution": Distribution,
    "VaultVersion": Version,
    "VaultDistributionDetail": DistributionDetail,
    "VaultCaptured": Captured,
    "VaultApplied": Applied,
    "VaultCreated": Created,
    "VaultUser": VaultUser,
    "VaultSchedule": Schedule,
    "VaultAuditEntry": AuditEntry,
    "VaultNotificationLists": NotificationLists,
}


def intrinsics_outside_extensions(node: Any, where: str = "") -> list[str]:
    """Where an intrinsic function appears outside the `x-amazon-apigateway-*` extensions."""
    if isinstance(node, list):
        return [
            found
            for index, item in enumerate(node)
            for found in intrinsics_outside_extensions(item, f"{where}/{index}")
        ]
    if not isinstance(node, dict):
        return []
    found = []
    for key, value in node.items():
        if key == "Ref" or key.startswith("Fn::"):
            found.append(f"{where}/{key}")
        elif not key.startswith(AMAZON_EXTENSION_PREFIX):
            found += intrinsics_outside_extensions(value, f"{where}/{key}")
    return found


@cache
def service_function_exports() -> dict[str, str]:
    """Every function ARN the service stacks export: export name -> `service.LogicalId`."""
    return {
        name: f"{service}.{logical_id}"
        for service, template in SERVICE_TEMPLATES.items()
        for name, logical_id in function_exports(template).items()
    }


def integration_of(operation: dict[str, Any]) -> dict[str, Any]:
    integration: dict[str, Any] = operation["x-amazon-apigateway-integration"]
    return integration


def static_value(parameter: str) -> str:
    """A static response header value as API Gateway writes it: `'value'`."""
    quoted = re.fullmatch(r"'(.*)'", parameter)
    assert quoted, parameter
    return quoted.group(1)


def listed(parameter: str) -> set[str]:
    return {item.strip() for item in static_value(parameter).split(",")}


def rendered(template: str) -> Any:
    """A gateway response body template as a client receives it, parsed as JSON."""
    return json.loads(template.replace("$context.error.messageString", '"Some message"'))


@cache
def schema_validator(pointer: str) -> Draft4Validator:
    """API Gateway's view of the schema at `pointer` in the spec: draft 4, exact decimals."""
    # Numbers as Decimal on both sides, as API Gateway's validator compares them: a float
    # `multipleOf: 0.01` would refuse 19.99 (19.99 / 0.01 == 1998.9999999999998).
    spec = json.loads(json.dumps(SPEC), parse_float=Decimal)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT4.create_resource(spec))
    return Draft4Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=registry)


def request_schema_pointer(route: str) -> str:
    method, path = route.split(" ")
    escaped = path.replace("~", "~0").replace("/", "~1")
    return f"/paths/{escaped}/{method.lower()}/requestBody/content/application~1json/schema"


def gateway_accepts(route: str, body: Any) -> bool:
    decoded = json.loads(json.dumps(body), parse_float=Decimal)
    return bool(schema_validator(request_schema_pointer(route)).is_valid(decoded))


def handler_refusal(route: str, body: Any) -> InvalidRequestError | None:
    """How the handler's body parsing judges `body`: None, or the 400 it raises."""
    try:
        BODY_PARSERS[route](json.dumps(body))
    except InvalidRequestError as refusal:
        return refusal
    return None


def body_examples(*, invalid_only: bool = False) -> list[Any]:
    return [
        pytest.param(route, example, id=f"{route}: {description}")
        for route, examples in (
            ("POST /product", PRODUCT_BODIES),
            ("POST /images", IMAGE_UPLOAD_BODIES),
            ("POST /order", ORDER_BODIES),
            ("POST /partner", PARTNER_BODIES),
            ("POST /partner/{partner_id}", PARTNER_CHANGE_BODIES),
            ("POST /vault/distributions", VAULT_CREATE_BODIES),
            ("POST /vault/distributions/{distribution_id}/versions", VAULT_CAPTURE_BODIES),
            (
                "POST /vault/distributions/{distribution_id}/versions/{version}/copy",
                VAULT_COPY_BODIES,
            ),
            ("POST /vault/distributions/{distribution_id}/rollback", VAULT_ROLLBACK_BODIES),
            ("POST /vault/users", VAULT_INVITE_BODIES),
            ("POST /vault/users/{username}", VAULT_USER_CHANGE_BODIES),
            ("POST /vault/schedules", VAULT_SCHEDULE_BODIES),
            ("POST /vault/schedules/{schedule_id}", VAULT_SCHEDULE_CHANGE_BODIES),
            ("POST /vault/notifications", VAULT_NOTIFICATIONS_BODIES),
        )
        for description, example in examples.items()
        if not (invalid_only and example.valid)
    ]


def test_the_contract_is_valid_openapi_3() -> None:
    # Given the contract as API Gateway imports it  When it is validated  Then it is OpenAPI 3
    assert SPEC["openapi"].startswith("3.0")
    validate(SPEC)


def test_intrinsic_functions_appear_only_inside_api_gateway_extensions() -> None:
    # Given the contract  When searched for CloudFormation intrinsics
    # Then there are none outside x-amazon-apigateway-*: other tools read plain OpenAPI
    assert intrinsics_outside_extensions(SPEC) == []


def test_the_routes_are_those_of_the_contract() -> None:
    assert set(OPERATIONS) == CONTRACT_ROUTES


@pytest.mark.parametrize("route", sorted(set(OPERATIONS) - OPEN_ROUTES - PARTNER_ROUTES))
def test_every_route_but_the_catalogue_and_the_partners_requires_the_jwt_authorizer(
    route: str,
) -> None:
    assert OPERATIONS[route]["security"] == [{AUTHORIZER_SCHEME: []}]


@pytest.mark.parametrize("route", sorted(OPEN_ROUTES))
def test_the_catalogue_is_open(route: str) -> None:
    assert OPERATIONS[route]["security"] == []


@pytest.mark.parametrize("route", sorted(PARTNER_ROUTES))
def test_every_partner_route_requires_an_api_key_and_has_no_authorizer(route: str) -> None:
    # Given the route's security requirement, alone
    assert OPERATIONS[route]["security"] == [{API_KEY_SCHEME: []}]
    # Then it is API Gateway's API key (x-api-key header), not an authorizer
    scheme = SPEC["components"]["securitySchemes"][API_KEY_SCHEME]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "x-api-key")
    assert not any(key.startswith(AMAZON_EXTENSION_PREFIX) for key in scheme)
    assert SPEC["x-amazon-apigateway-api-key-source"] == "HEADER"


def test_no_route_but_the_partners_takes_an_api_key() -> None:
    keyed = {
        route
        for route, operation in OPERATIONS.items()
        if any(API_KEY_SCHEME in requirement for requirement in operation["security"])
    }
    assert keyed == PARTNER_ROUTES


def test_no_route_asks_api_gateway_to_validate_it() -> None:
    # Each function validates its request and names the field at fault; API Gateway's
    # validator would name only `body`, or no field for a missing parameter.
    assert "x-amazon-apigateway-request-validators" not in SPEC
    assert "x-amazon-apigateway-request-validator" not in SPEC
    assert not [
        route
        for route, operation in OPERATIONS.items()
        if "x-amazon-apigateway-request-validator" in operation
    ]


@pytest.mark.parametrize("route", sorted(OPERATIONS))
def test_every_route_is_a_lambda_proxy_to_a_function_a_service_stack_exports(route: str) -> None:
    # Given the route's integration
    integration = integration_of(OPERATIONS[route])
    # Then it is a Lambda proxy integration invoking one exported service function
    assert (integration["type"], integration["httpMethod"]) == ("aws_proxy", "POST")
    [export] = imported_exports(integration["uri"])
    assert export in service_function_exports()


def test_every_exported_service_function_is_routed_exactly_once() -> None:
    # Given the functions the routes invoke
    routed = [
        export
        for operation in OPERATIONS.values()
        for export in imported_exports(integration_of(operation)["uri"])
    ]
    # Then each function a service stack exports is one route's, and no two share one
    assert sorted(routed) == sorted(service_function_exports())


def test_the_authorizer_route_table_names_exactly_the_secured_routes() -> None:
    # Given the routes behind the authorizer as method ARNs name them (a parameter is `*`)
    secured = set(OPERATIONS) - OPEN_ROUTES - PARTNER_ROUTES
    routes = {re.sub(r"\{[^}]+\}", "*", route) for route in secured}
    # Then the authorizer's policy table covers the same routes, no more, no fewer
    assert {f"{route.method.value} {route.resource}" for route in ROUTES} == routes


def test_the_authorizer_is_the_exported_token_authorizer_cached_60_seconds() -> None:
    # Given the security scheme every route names
    scheme = SPEC["components"]["securitySchemes"][AUTHORIZER_SCHEME]
    authorizer = scheme["x-amazon-apigateway-authorizer"]
    # Then it is a TOKEN authorizer on Authorization, cached 60 s, invoking the auth stack's
    # exported function
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert scheme["x-amazon-apigateway-authtype"] == "custom"
    assert authorizer["type"] == "token"
    assert authorizer["identitySource"] == "method.request.header.Authorization"
    assert authorizer["authorizerResultTtlInSeconds"] == 60
    assert imported_exports(authorizer["authorizerUri"]) == list(function_exports(AUTH_TEMPLATE))


def test_the_token_shape_check_admits_bearer_jwts_only() -> None:
    # Given API Gateway's check before it invokes the authorizer
    authorizer = SPEC["components"]["securitySchemes"][AUTHORIZER_SCHEME]
    pattern = re.compile(
        authorizer["x-amazon-apigateway-authorizer"]["identityValidationExpression"]
    )
    # Then a bearer JWT passes (the scheme's name in any case), and what is not one is refused
    # without an invocation
    for scheme in ("Bearer ", "bearer ", "BEARER ", "Bearer   "):
        assert pattern.fullmatch(f"{scheme}eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")
    for refused in (
        "eyJh.eyJz.c2ln",
        "Bearer ",
        "Bearer a.b",
        "Basic dXNlcjpwYXNz",
        "Bearer a.b.c d",
    ):
        assert not pattern.fullmatch(refused), refused


@pytest.mark.parametrize("path", sorted(SPEC["paths"]))
def test_every_path_answers_the_cors_preflight_itself(path: str) -> None:
    # Given the path's OPTIONS operation
    preflight = SPEC["paths"][path]["options"]
    integration = integration_of(preflight)
    headers = integration["responses"]["default"]["responseParameters"]
    # Then API Gateway answers it (no authorizer, no function) for the web client's origin,
    # with the path's methods and the headers the functions accept
    assert preflight["security"] == []
    assert integration["type"] == "mock"
    assert imported_exports(headers["method.response.header.Access-Control-Allow-Origin"]) == [
        WEB_ORIGIN_EXPORT
    ]
    methods = {route.split(" ")[0] for route in OPERATIONS if route.endswith(f" {path}")}
    assert listed(headers["method.response.header.Access-Control-Allow-Methods"]) == {
        *methods,
        "OPTIONS",
    }
    assert listed(headers["method.response.header.Access-Control-Allow-Headers"]) == set(
        CORS_ALLOW_HEADERS
    )


def test_the_gateway_answers_its_own_errors_with_cors_headers() -> None:
    responses = SPEC["x-amazon-apigateway-gateway-responses"]
    assert set(responses) >= GATEWAY_RESPONSES_WITH_CORS
    for name, response in responses.items():
        origin = response["responseParameters"][
            "gatewayresponse.header.Access-Control-Allow-Origin"
        ]
        assert imported_exports(origin) == [WEB_ORIGIN_EXPORT], name


@pytest.mark.parametrize("name", sorted(SPEC["x-amazon-apigateway-gateway-responses"]))
def test_no_gateway_error_is_stored_by_a_browser_or_proxy(name: str) -> None:
    headers = SPEC["x-amazon-apigateway-gateway-responses"][name]["responseParameters"]
    assert headers["gatewayresponse.header.Cache-Control"] == "'no-store'"


@pytest.mark.parametrize("name", sorted(SPEC["x-amazon-apigateway-gateway-responses"]))
def test_every_gateway_error_is_a_json_error_of_the_contract(name: str) -> None:
    # Given API Gateway's own answer of this type, as a client receives it
    response = SPEC["x-amazon-apigateway-gateway-responses"][name]
    body = rendered(response["responseTemplates"]["application/json"])
    # Then its body is the contract's Error, and its status one the contract documents
    assert schema_validator("/components/schemas/Error").is_valid(body)
    documented = {code for operation in OPERATIONS.values() for code in operation["responses"]}
    assert response.get("statusCode", "400") in documented


def test_the_functions_errors_are_the_contracts_error_schema() -> None:
    # Given a 400 as the functions' one error pipeline writes it
    refusal = InvalidRequestError("Invalid request body", [FieldError("price", "too large")])
    body = json.loads(error_response(refusal).body or "")
    # Then it is an Error of the contract
    assert schema_validator("/components/schemas/Error").is_valid(body)


@pytest.mark.parametrize("name", sorted(RESPONSE_MODELS))
def test_response_schemas_have_the_fields_the_functions_return(name: str) -> None:
    schema = SPEC["components"]["schemas"][name]
    fields = set(RESPONSE_MODELS[name].model_fields)
    assert set(schema["properties"]) == fields
    assert set(schema["required"]) == fields


@pytest.mark.parametrize("route", ["GET /products", "GET /orders", "GET /partner/products"])
def test_listings_page_as_the_functions_do(route: str) -> None:
    # Given a listing's parameters and its 200 response
    operation = OPERATIONS[route]
    parameters = {
        parameter["name"]: parameter
        for parameter in (resolve_ref(item) for item in operation["parameters"])
    }
    limit = parameters["limit"]["schema"]
    # Then its limit is the functions' range and default, and the next cursor comes back
    # in the header the functions set
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, MAX_LIMIT, DEFAULT_LIMIT)
    assert "cursor" in parameters
    assert set(operation["responses"]["200"]["headers"]) == {NEXT_CURSOR_HEADER}


def resolve_ref(node: dict[str, Any]) -> dict[str, Any]:
    """A local `$ref` of the spec (`#/components/...`) replaced by what it points at."""
    if "$ref" not in node:
        return node
    target: Any = SPEC
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    return resolve_ref(target)


@pytest.mark.parametrize(("route", "example"), body_examples())
def test_the_request_schema_judges_a_body_as_the_handler_does(
    route: str, example: BodyExample
) -> None:
    # Given a request body  When the request schema and the handler's model judge it
    schema_verdict = gateway_accepts(route, example.body)
    handler_verdict = handler_refusal(route, example.body) is None
    # Then both accept it, or both refuse it, as the example says (a schema cannot tell
    # some bodies apart: those the function alone refuses)
    expected_schema_verdict = example.valid or example.schema_blind
    assert (schema_verdict, handler_verdict) == (expected_schema_verdict, example.valid)


@pytest.mark.parametrize(("route", "example"), body_examples(invalid_only=True))
def test_the_handler_names_the_field_at_fault(route: str, example: BodyExample) -> None:
    refusal = handler_refusal(route, example.body)
    assert refusal is not None
    assert example.invalid_field in {error.field for error in refusal.errors}
