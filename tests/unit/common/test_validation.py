"""A string pattern's refusal in words, where pydantic's would quote the regular expression;
an explicit null refused where a field may be left out."""

from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, StrictBool, StringConstraints, ValidationError

from shop_common.errors import FieldError, InvalidRequestError
from shop_common.validation import NOT_NULL, described_as, validate_body


class Coded(BaseModel):
    code: Annotated[
        str,
        StringConstraints(max_length=4, pattern=r"^[A-Z]+$"),
        described_as("upper-case letters"),
    ]


def _refusal(code: object) -> str:
    with pytest.raises(ValidationError) as refused:
        Coded.model_validate({"code": code})
    (error,) = refused.value.errors()
    return error["msg"]


def test_a_text_outside_the_pattern_is_refused_in_words() -> None:
    assert _refusal("ab#") == "must be upper-case letters"


@pytest.mark.parametrize(
    ("code", "message"),
    [("ABCDE", "String should have at most 4 characters"), (5, "Input should be a valid string")],
)
def test_the_other_refusals_are_pydantics_own(code: object, message: str) -> None:
    assert _refusal(code) == message


def test_a_text_in_the_pattern_is_kept() -> None:
    assert Coded.model_validate({"code": "ABC"}).code == "ABC"


class Change(BaseModel):
    active: Annotated[StrictBool | None, NOT_NULL] = None
    colour: Annotated[Literal["red", "blue"] | None, NOT_NULL] = None


@pytest.mark.parametrize(
    ("field", "message"),
    [("active", "Input should be a valid boolean"), ("colour", "Input should be 'red' or 'blue'")],
)
def test_an_explicit_null_is_refused_as_the_fields_type_refuses_a_wrong_value(
    field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        Change.model_validate({field: None})
    (error,) = refused.value.errors()
    assert (error["loc"], error["msg"]) == ((field,), message)


def test_a_field_left_out_is_none() -> None:
    assert Change.model_validate({}).model_dump() == {"active": None, "colour": None}


def test_a_value_of_the_type_is_kept() -> None:
    assert Change.model_validate({"active": False, "colour": "red"}).active is False


class Line(BaseModel):
    sku: str


class Basket(BaseModel):
    lines: list[Line]
    gift: Line | None = None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lines": [None]}, "lines.0"),
        ({"lines": [5]}, "lines.0"),
        ({"lines": [], "gift": "x"}, "gift"),
    ],
)
def test_a_value_that_is_not_an_object_is_named_in_plain_words(
    body: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        validate_body(body, Basket)

    assert refused.value.errors == [FieldError(field, "must be an object")]
