"""A string pattern's refusal in words, where pydantic's would quote the regular expression."""

from typing import Annotated

import pytest
from pydantic import BaseModel, StringConstraints, ValidationError

from shop_common.validation import described_as


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
