"""Untrusted data as typed models, pure (no HTTP): a JSON body as an object, an object as a
pydantic model, and pydantic's errors as the domain's field errors (a 400 naming each)."""

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from shop_common.errors import FieldError, InvalidRequestError


def _digits_only(value: object) -> object:
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("must be a whole number in the digits 0-9")
    return value


# For a number read from a URL (a query or path parameter), before it becomes an `int`: digits
# only, where `int()` also takes signs, spaces, underscores, "5.0" and other scripts' digits.
DIGITS = BeforeValidator(_digits_only)
# Far above any number a request holds (an absurd one is still named by its field), far below
# what int() refuses (4,300 digits, with a message about sys.set_int_max_str_digits).
MAX_INT_DIGITS = 1000


def described_as(description: str) -> WrapValidator:
    """Metadata after a string's `pattern`: its refusal says `must be <description>`, where
    pydantic's would quote the regular expression."""

    def check(value: object, handler: ValidatorFunctionWrapHandler) -> object:
        try:
            return handler(value)
        except ValidationError as exc:
            if any(error["type"] == "string_pattern_mismatch" for error in exc.errors()):
                raise PydanticCustomError(
                    "string_pattern_mismatch", "must be {description}", {"description": description}
                ) from None
            raise

    return WrapValidator(check)


class _Null:
    """What no field's type takes: validated in place of a null, it draws the type's refusal."""


def _not_null(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    if value is not None:
        return handler(value)
    try:
        handler(_Null())
    except ValidationError as exc:
        refusal = exc.errors()[0]
        raise PydanticCustomError(refusal["type"], "{why}", {"why": refusal["msg"]}) from None
    raise PydanticCustomError("none_forbidden", "must not be null")


# Metadata of a field a change may leave out (`Annotated[T | None, NOT_NULL] = None`): left
# out it is None, but an explicit null is refused as the type refuses any value not a T
# (`Input should be a valid boolean`), where it would pass as nothing given.
NOT_NULL = WrapValidator(_not_null)


# What pydantic puts before the message of a validator's ValueError: not the client's concern.
_VALUE_ERROR_PREFIX = "Value error, "


# Pydantic's messages that name a class of ours (`a valid dictionary or instance of
# QuoteLineRequest`), in the words of the JSON the client sends.
_PLAIN_MESSAGES = {
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dataclass_type": "must be an object",
}


def field_errors(exc: ValidationError, prefix: str = "") -> list[FieldError]:
    """Pydantic's errors as `field: why`, the field a dotted path (`items.0.price`)."""
    errors = []
    for error in exc.errors(include_url=False, include_context=False, include_input=False):
        path = ".".join(str(part) for part in error["loc"]) or "body"
        message = _PLAIN_MESSAGES.get(error["type"]) or error["msg"]
        errors.append(FieldError(f"{prefix}{path}", message.removeprefix(_VALUE_ERROR_PREFIX)))
    return errors


def parse_json_object(body: str | None) -> dict[str, Any]:
    """A request body as a JSON object, before it is validated (for a body whose model
    depends on what it holds); numbers stay exact (`Decimal`)."""
    if not body:
        raise InvalidRequestError("Request body is required", [FieldError("body", "missing")])
    try:
        data = json.loads(
            body, parse_float=_decimal, parse_int=_bounded_int, parse_constant=_reject_constant
        )
    except ValueError as exc:
        raise InvalidRequestError(
            "Malformed JSON body", [FieldError("body", f"not valid JSON: {exc}")]
        ) from exc
    except RecursionError as exc:  # a body that skipped the gateway's validator
        raise InvalidRequestError(
            "Malformed JSON body", [FieldError("body", "nested too deeply")]
        ) from exc
    if not isinstance(data, dict):
        raise InvalidRequestError("Body must be a JSON object", [FieldError("body", "not object")])
    return data


def validate_body[M: BaseModel](data: Mapping[str, Any], model: type[M]) -> M:
    """A parsed JSON object as `model`; invalid fields are a 400 naming each."""
    return validate(data, model, "Invalid request body")


def validate[M: BaseModel](data: Mapping[str, Any] | None, model: type[M], message: str) -> M:
    """`data` (a body, query, path or headers; None: empty) as `model`, or a 400 saying
    `message` and naming each invalid field."""
    try:
        return model.model_validate(dict(data or {}))
    except ValidationError as exc:
        raise InvalidRequestError(message, field_errors(exc)) from exc


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # an exponent past what Decimal holds: 1e99999999999999999999
        raise ValueError(f"a number out of range ({text[:20]}...)") from exc


def _bounded_int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise ValueError(f"a number of {len(text)} digits (at most {MAX_INT_DIGITS})")
    return int(text)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")
