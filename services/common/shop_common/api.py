"""The HTTP edge every handler shares: one resolver factory, one error pipeline, one entrypoint.

Domain exceptions become HTTP responses here and nowhere else.
"""

import base64
import json
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import (
    APIGatewayRestResolver,
    CORSConfig,
    Response,
    content_types,
)
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from shop_common.errors import (
    ConflictError,
    DomainError,
    FieldError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    PayloadTooLargeError,
    UnauthorizedError,
    UnprocessableError,
)
from shop_common.observability import Handler as Handler
from shop_common.observability import logger, metrics, traced
from shop_common.settings import ServiceSettings
from shop_common.validation import parse_json_object, validate, validate_body

MAX_BODY_BYTES = 16 * 1024
CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key"]
CORS_EXPOSE_HEADERS = ["X-Next-Cursor"]
# Answers hold personal data (orders, addresses, users) or change with every write (stock):
# no browser or proxy keeps one.
NOT_STORED = {"Cache-Control": "no-store"}
# What Powertools' routes match in a path parameter (its _NAMED_GROUP_BOUNDARY_PATTERN). A
# route ends in `$`, which also matches before a last line break: `/product/<id>%0A` would
# reach the route with the line break cut off, and `/product/<id>%00` would not reach it.
ROUTABLE_PATH_PARAMETER = re.compile(r"[\w\-._~()'!*:@,;=+&$%<> \[\]{}|^]+")

# The one mapping from domain exceptions to HTTP status codes (most specific class first).
STATUS_BY_ERROR: tuple[tuple[type[DomainError], HTTPStatus], ...] = (
    (InvalidRequestError, HTTPStatus.BAD_REQUEST),
    (UnauthorizedError, HTTPStatus.UNAUTHORIZED),
    (ForbiddenError, HTTPStatus.FORBIDDEN),
    (NotFoundError, HTTPStatus.NOT_FOUND),
    (ConflictError, HTTPStatus.CONFLICT),
    (PayloadTooLargeError, HTTPStatus.REQUEST_ENTITY_TOO_LARGE),
    (UnprocessableError, HTTPStatus.UNPROCESSABLE_ENTITY),
)


def status_for(error: DomainError) -> HTTPStatus:
    for error_type, status in STATUS_BY_ERROR:
        if isinstance(error, error_type):
            return status
    return HTTPStatus.BAD_REQUEST


def json_response(
    status: HTTPStatus,
    payload: BaseModel | Sequence[BaseModel] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[str]:
    """A JSON response; models serialize themselves (Decimal money as JSON numbers)."""
    if payload is None:
        body = ""
    elif isinstance(payload, BaseModel):
        body = payload.model_dump_json()
    else:
        body = "[" + ",".join(item.model_dump_json() for item in payload) + "]"
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON if body else None,
        body=body,
        headers={**NOT_STORED, **(headers or {})},
    )


def error_response(error: DomainError) -> Response[str]:
    body: dict[str, Any] = {"message": error.message}
    if error.errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in error.errors]
    return Response(
        status_code=status_for(error),
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(body),
        headers=dict(NOT_STORED),
    )


def parse_body[M: BaseModel](body: str | None, model: type[M]) -> M:
    """The request body as `model`; numbers stay exact (`Decimal`), never floats."""
    return validate_body(parse_json_object(body), model)


def parse_query[M: BaseModel](params: Mapping[str, str] | None, model: type[M]) -> M:
    return validate(params, model, "Invalid query parameters")


def parse_path[M: BaseModel](params: Mapping[str, str] | None, model: type[M]) -> M:
    """Path parameters as `model` (an id that must be a UUID...): a bad one is a 400 naming it."""
    return validate(params, model, "Invalid path parameters")


def parse_headers[M: BaseModel](headers: Mapping[str, str] | None, model: type[M]) -> M:
    """The headers `model` declares (each field aliased to a header name), looked up
    case-insensitively as HTTP names are: a bad one is a 400 naming the header."""
    received = {name.lower(): value for name, value in (headers or {}).items()}
    wanted = (field.alias or name for name, field in model.model_fields.items())
    present = {name: received[name.lower()] for name in wanted if name.lower() in received}
    return validate(present, model, "Invalid headers")


def _readable_body(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """The body a route reads (`decoded_body`): at most MAX_BODY_BYTES, and text in UTF-8.
    API Gateway passes a body in base64 when it is not text: a 400 saying so, where its
    base64 read as JSON was a 'Malformed JSON body' about a character nobody sent."""
    event = app.current_event
    body = event.body or ""
    raw = base64.b64decode(body) if event.is_base64_encoded else body.encode()
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLargeError(f"Request body is over {MAX_BODY_BYTES} bytes")
    try:
        raw.decode()
    except UnicodeDecodeError as exc:
        raise InvalidRequestError(
            "Request body is not UTF-8 text",
            [FieldError("body", "not UTF-8 text: send JSON in UTF-8")],
        ) from exc
    return next_middleware(app)


def _path_parameters_as_received(
    app: APIGatewayRestResolver, next_middleware: NextMiddleware
) -> Response[Any]:
    """API Gateway's path parameters, as it decoded them, each one a route matches whole: a
    parameter with any other character is a 400 naming it, before any route runs."""
    parameters = app.current_event.path_parameters or {}
    unroutable = [
        FieldError(name, f'has a character no {name} has (a control character, ?, #, ", ...)')
        for name, value in parameters.items()
        if not ROUTABLE_PATH_PARAMETER.fullmatch(value)
    ]
    if unroutable:
        raise InvalidRequestError("Invalid path parameters", unroutable)
    return next_middleware(app)


def _query_parameters_given_once(
    app: APIGatewayRestResolver, next_middleware: NextMiddleware
) -> Response[Any]:
    """A query parameter given twice (`?limit=1&limit=2`) is a 400 naming it: the route reads
    one value, and which one would be a guess."""
    repeated = [
        FieldError(name, f"given {len(values)} times: give it once")
        for name, values in (app.current_event.multi_value_query_string_parameters or {}).items()
        if len(values) > 1
    ]
    if repeated:
        raise InvalidRequestError("Invalid query parameters", repeated)
    return next_middleware(app)


def create_app(settings: ServiceSettings) -> APIGatewayRestResolver:
    """A resolver with CORS for the web client's origins and the shared error pipeline."""
    first, *others = settings.allowed_origins
    app = APIGatewayRestResolver(
        cors=CORSConfig(
            allow_origin=first,
            extra_origins=others,
            allow_headers=CORS_ALLOW_HEADERS,
            expose_headers=CORS_EXPOSE_HEADERS,
            max_age=600,
        )
    )
    app.use(
        middlewares=[_path_parameters_as_received, _query_parameters_given_once, _readable_body]
    )

    @app.exception_handler(DomainError)  # type: ignore[untyped-decorator]
    def handle_domain_error(error: DomainError) -> Response[str]:
        logger.info("Request refused", status=status_for(error), reason=error.message)
        return error_response(error)

    @app.not_found
    def handle_no_route(_: Exception) -> Response[str]:
        return error_response(NotFoundError("Not found"))

    return app


def entrypoint(app: APIGatewayRestResolver) -> Handler:
    """The Lambda handler for a resolver, with the decorators in the one fixed order."""

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
    @metrics.log_metrics
    @traced
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return app.resolve(event, context)

    return lambda_handler
