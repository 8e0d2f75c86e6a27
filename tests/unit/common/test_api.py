"""The shared HTTP edge: body parsing, the error pipeline, the body limit and CORS."""

import base64
import json
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest
from pydantic import BaseModel, Field

from shop_common.api import (
    MAX_BODY_BYTES,
    create_app,
    entrypoint,
    error_response,
    json_response,
    parse_body,
    parse_query,
)
from shop_common.errors import (
    ConflictError,
    DomainError,
    FieldError,
    ForbiddenError,
    InvalidCursorError,
    InvalidRequestError,
    NotFoundError,
    PayloadTooLargeError,
    UnauthorizedError,
)
from shop_common.money import Price
from shop_common.pagination import ListQuery
from shop_common.settings import ServiceSettings
from tests.builders.callers import SHOPPER
from tests.builders.events import WEB_ORIGIN, LambdaContext, api_event, response_json


class Item(BaseModel):
    name: str = Field(min_length=1)
    price: Price


class Listing(BaseModel):
    limit: int = Field(default=50, ge=1, le=100)


def test_parse_body_keeps_prices_exact() -> None:
    item = parse_body('{"name": "Chair", "price": 19.99}', Item)

    assert item.price == Decimal("19.99")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (None, "body"),
        ("", "body"),
        ("{not json", "body"),
        ("[1, 2]", "body"),
        ('{"name": "Chair", "price": NaN}', "body"),
        ('{"name": "Chair", "price": ' + "9" * 5000 + "}", "body"),
        ('{"name": "Chair", "price": 1e99999999999999999999}', "body"),
        ('{"name": "Chair", "price": 5.00000000000000000000000000001}', "price"),
        ('{"name": "Chair", "price": 1e-999999999}', "price"),
        ('{"name": "Chair"}', "price"),
        ('{"name": "", "price": 1}', "name"),
        ('{"name": "Chair", "price": "10"}', "price"),
        ('{"name": "Chair", "price": true}', "price"),
        ('{"name": "Chair", "price": 1e400}', "price"),
        ('{"name": "Chair", "price": 0.001}', "price"),
        ('{"name": "Chair", "price": -5}', "price"),
        ('{"name": "Chair", "price": Infinity}', "body"),
        # nested past what the JSON parser recurses into (a body that skipped the gateway)
        ('{"name": "Chair", "price": 1, "x": ' + "[" * 10_000 + "]" * 10_000 + "}", "body"),
        ('{"name": ' + '{"a": ' * 10_000 + "1" + "}" * 10_000 + "}", "body"),
    ],
)
def test_parse_body_names_the_bad_field(body: str | None, field: str) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        parse_body(body, Item)

    assert field in [error.field for error in raised.value.errors]


def test_parse_query_names_the_bad_parameter() -> None:
    with pytest.raises(InvalidRequestError) as raised:
        parse_query({"limit": "1000"}, Listing)

    assert [error.field for error in raised.value.errors] == ["limit"]


@pytest.mark.parametrize("limit", ["1_0", "5.0", " 1", "+5", "-1", "\uff11\uff10", "0x10"])
def test_a_listings_limit_not_written_in_digits_is_refused_naming_it(limit: str) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        parse_query({"limit": limit}, ListQuery)

    assert [(e.field, e.message) for e in raised.value.errors] == [
        ("limit", "must be a whole number in the digits 0-9")
    ]


def test_a_listings_limit_in_digits_is_read() -> None:
    assert parse_query({"limit": "07"}, ListQuery).limit == 7


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidRequestError("bad"), HTTPStatus.BAD_REQUEST),
        (InvalidCursorError(), HTTPStatus.BAD_REQUEST),
        (UnauthorizedError("who"), HTTPStatus.UNAUTHORIZED),
        (ForbiddenError("no"), HTTPStatus.FORBIDDEN),
        (NotFoundError("gone"), HTTPStatus.NOT_FOUND),
        (ConflictError("race"), HTTPStatus.CONFLICT),
        (PayloadTooLargeError("big"), HTTPStatus.REQUEST_ENTITY_TOO_LARGE),
    ],
)
def test_each_domain_error_has_one_status(error: DomainError, status: HTTPStatus) -> None:
    assert error_response(error).status_code == status


def test_error_body_lists_field_errors() -> None:
    response = error_response(InvalidRequestError("Invalid", [FieldError("price", "too big")]))

    assert json.loads(str(response.body)) == {
        "message": "Invalid",
        "errors": [{"field": "price", "message": "too big"}],
    }


def test_json_response_writes_money_as_numbers() -> None:
    response = json_response(HTTPStatus.OK, [Item(name="Chair", price=Decimal("10.50"))])

    assert json.loads(str(response.body)) == [{"name": "Chair", "price": 10.5}]


def _echo_handler() -> object:
    app = create_app(ServiceSettings(allowed_origins=(WEB_ORIGIN,)))

    @app.post("/product")
    def echo() -> object:
        item = parse_body(app.current_event.decoded_body, Item)
        return json_response(HTTPStatus.CREATED, item)

    return entrypoint(app)


def test_a_body_over_the_limit_is_refused_with_413() -> None:
    handler = _echo_handler()
    event = api_event("POST", "/product", caller=SHOPPER, body="x" * (MAX_BODY_BYTES + 1))

    response = handler(event, LambdaContext())  # type: ignore[operator]

    assert response["statusCode"] == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "16384" in response_json(response)["message"]


def test_a_body_not_in_utf8_is_a_400_saying_so() -> None:
    # Given a body in Latin-1, which API Gateway passes in base64 (it is not UTF-8 text)
    handler = _echo_handler()
    body = '{"name": "Zoé", "price": 10}'.encode("latin-1")
    event = api_event("POST", "/product", caller=SHOPPER, body=body)
    # When it reaches the function
    response = handler(event, LambdaContext())  # type: ignore[operator]
    # Then a 400 naming the body and why, not a JSON error about its base64
    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert response_json(response)["errors"] == [
        {"field": "body", "message": "not UTF-8 text: send JSON in UTF-8"}
    ]


def test_a_body_in_base64_is_read_decoded() -> None:
    # Given a JSON body API Gateway passed in base64
    handler = _echo_handler()
    event = api_event("POST", "/product", caller=SHOPPER)
    text = '{"name": "Zoé", "price": 10}'
    event.update(body=base64.b64encode(text.encode()).decode(), isBase64Encoded=True)
    # When it reaches the function
    response = handler(event, LambdaContext())  # type: ignore[operator]
    # Then the route reads the JSON it encodes
    assert response["statusCode"] == HTTPStatus.CREATED
    assert response_json(response) == {"name": "Zoé", "price": 10}


def test_the_size_limit_counts_a_base64_bodys_bytes() -> None:
    # Given a body of exactly the limit, in base64 (a third longer)
    handler = _echo_handler()
    event = api_event("POST", "/product", caller=SHOPPER)
    text = json.dumps({"name": "x", "price": 10, "pad": ""})
    text = text.replace('""', '"' + "y" * (MAX_BODY_BYTES - len(text)) + '"')
    event.update(body=base64.b64encode(text.encode()).decode(), isBase64Encoded=True)
    # When it reaches the function
    response = handler(event, LambdaContext())  # type: ignore[operator]
    # Then it is read, not refused for its size
    assert response["statusCode"] == HTTPStatus.CREATED


def test_responses_and_errors_carry_cors_for_the_web_origin() -> None:
    handler = _echo_handler()
    event = api_event("POST", "/product", caller=SHOPPER, body="{broken")

    response = handler(event, LambdaContext())  # type: ignore[operator]

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert response["multiValueHeaders"]["Access-Control-Allow-Origin"] == [WEB_ORIGIN]


def _product_handler(calls: list[str]) -> object:
    app = create_app(ServiceSettings(allowed_origins=(WEB_ORIGIN,)))

    @app.delete("/product/<product_id>")
    def delete(product_id: str) -> object:
        calls.append(product_id)
        return json_response(HTTPStatus.NO_CONTENT)

    return entrypoint(app)


def _deletion(product_id: str) -> dict[str, Any]:
    return api_event(
        "DELETE",
        "/product/{product_id}",
        caller=SHOPPER,
        path_parameters={"product_id": product_id},
    )


@pytest.mark.parametrize("product_id", ["p-1\n", "p-1\x00", "p\t1", "p?1", "p#1", 'p"1'])
def test_a_path_parameter_no_route_matches_whole_is_a_400_naming_it(product_id: str) -> None:
    # Given a route whose parameter is given a character its pattern does not match
    calls: list[str] = []
    handler = _product_handler(calls)

    # When it is called
    response = handler(_deletion(product_id), LambdaContext())  # type: ignore[operator]

    # Then it is refused naming the parameter, and the route never ran
    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert [e["field"] for e in response_json(response)["errors"]] == ["product_id"]
    assert calls == []


def test_a_path_parameter_a_route_matches_whole_reaches_it() -> None:
    calls: list[str] = []
    handler = _product_handler(calls)

    response = handler(_deletion("Café-Ω_1.~"), LambdaContext())  # type: ignore[operator]

    assert response["statusCode"] == HTTPStatus.NO_CONTENT
    assert calls == ["Café-Ω_1.~"]


def test_a_path_no_route_has_is_a_404_in_the_shops_error_shape() -> None:
    handler = _product_handler([])
    event = api_event("GET", "/nothing", caller=SHOPPER)

    response = handler(event, LambdaContext())  # type: ignore[operator]

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert response_json(response) == {"message": "Not found"}


def test_a_number_of_thousands_of_digits_is_refused_in_plain_words() -> None:
    with pytest.raises(InvalidRequestError) as raised:
        parse_body('{"name": "Chair", "price": ' + "9" * 5000 + "}", Item)

    assert [e.message for e in raised.value.errors] == [
        "not valid JSON: a number of 5000 digits (at most 1000)"
    ]


def test_a_price_over_the_limit_is_refused_naming_the_limit_as_a_number() -> None:
    with pytest.raises(InvalidRequestError) as raised:
        parse_body('{"name": "Chair", "price": 1e999}', Item)

    assert [e.message for e in raised.value.errors] == [
        "Input should be less than or equal to 1000000"
    ]


def test_answers_and_refusals_are_never_stored_by_a_browser_or_proxy() -> None:
    handler = _echo_handler()
    created = api_event("POST", "/product", caller=SHOPPER, body={"name": "Chair", "price": 1})
    refused = api_event("POST", "/product", caller=SHOPPER, body="{broken")

    answers = [handler(event, LambdaContext()) for event in (created, refused)]  # type: ignore[operator]

    assert [a["statusCode"] for a in answers] == [HTTPStatus.CREATED, HTTPStatus.BAD_REQUEST]
    assert [a["multiValueHeaders"]["Cache-Control"] for a in answers] == [["no-store"]] * 2


def test_a_query_parameter_given_twice_is_a_400_naming_it() -> None:
    # Given a listing asked for with ?limit=1&limit=2 (API Gateway keeps both values)
    app = create_app(ServiceSettings(allowed_origins=(WEB_ORIGIN,)))
    calls: list[int] = []

    @app.get("/things")
    def things() -> object:
        calls.append(parse_query(app.current_event.query_string_parameters, ListQuery).limit)
        return json_response(HTTPStatus.OK)

    event = api_event("GET", "/things", caller=SHOPPER, query={"limit": "2"})
    event["multiValueQueryStringParameters"] = {"limit": ["1", "2"]}

    # When it is called
    response = entrypoint(app)(event, LambdaContext())  # type: ignore[operator]

    # Then it is refused naming the parameter, and the route never ran
    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert response_json(response)["errors"] == [
        {"field": "limit", "message": "given 2 times: give it once"}
    ]
    assert calls == []
