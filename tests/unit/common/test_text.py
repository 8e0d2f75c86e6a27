"""What people type: one line, lines, an e-mail address, each refusing what would show as
something other than what it holds, and text kept composed (NFC)."""

from typing import Annotated

import pytest
from pydantic import BaseModel, StringConstraints, ValidationError

from shop_common.text import COMPOSED, EMAIL_ADDRESS, LINES, ONE_LINE

# Accents as macOS often pastes them: each a letter, then a combining accent.
DECOMPOSED = "Cafe\u0301 cre\u0300me"
# The same text as typed on most keyboards: each accented letter one character.
COMPOSED_TEXT = "Caf\u00e9 cr\u00e8me"


class Typed(BaseModel):
    name: Annotated[str, ONE_LINE] = "x"
    description: Annotated[str, LINES] = ""
    search: Annotated[str, COMPOSED] = ""
    email: Annotated[str, EMAIL_ADDRESS] = "a@example.com"


def _refusal(**fields: str) -> tuple[str, str]:
    with pytest.raises(ValidationError) as refused:
        Typed.model_validate(fields)
    (error,) = refused.value.errors()
    return str(error["loc"][0]), error["msg"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("x\x00y", "U+0000"),
        ("a\x07b", "U+0007"),
        ("a\nb", "U+000A"),
        ("a\u2028b", "U+2028 (LINE SEPARATOR)"),
        ("a\u202eb", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("\u200b", "U+200B (ZERO WIDTH SPACE)"),
        ("\ufeffname", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
        ("a\ud800", "U+D800"),
        ("\u3164", "U+3164 (HANGUL FILLER)"),
        ("admin\u2800", "U+2800 (BRAILLE PATTERN BLANK)"),
        ("a\ue000", "U+E000"),
        ("a\uffff", "U+FFFF"),
        ("tag\U000e0067", "U+E0067 (TAG LATIN SMALL LETTER G)"),
    ],
)
def test_one_line_refuses_a_hidden_character_naming_it(text: str, named: str) -> None:
    field, message = _refusal(name=text)

    assert field == "name"
    assert named in message


# Persian's "I want" keeps its zero-width non-joiner.
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
# England's flag: the black flag, the tags g b e n g, the cancel tag.
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"


@pytest.mark.parametrize(
    "text", ["Café Ω 東京", "👨\u200d👩\u200d👧 family", PERSIAN, f"Tea {ENGLAND} 🇫🇷", "❤\ufe0f"]
)
def test_one_line_keeps_every_script_emoji_and_joiners(text: str) -> None:
    assert Typed(name=text).name == text


@pytest.mark.parametrize("field", ["name", "description", "search"])
def test_text_is_kept_composed_however_its_accents_were_typed(field: str) -> None:
    typed = Typed.model_validate({field: DECOMPOSED})

    assert getattr(typed, field) == COMPOSED_TEXT


def test_a_text_with_nothing_visible_is_refused() -> None:
    assert _refusal(name="\u200d") == ("name", "Value error, must contain a visible character")


@pytest.mark.parametrize("blank", [" ", "   ", "\u00a0", "\u3000"])
def test_a_text_of_spaces_alone_is_refused_as_blank(blank: str) -> None:
    class Trimmed(BaseModel):
        name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), ONE_LINE]

    with pytest.raises(ValidationError) as refused:
        Trimmed.model_validate({"name": blank})
    (error,) = refused.value.errors()
    assert error["msg"] == "must not be blank: it holds only whitespace"


def test_an_empty_text_keeps_the_lengths_refusal() -> None:
    class Trimmed(BaseModel):
        name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), LINES]

    with pytest.raises(ValidationError) as refused:
        Trimmed.model_validate({"name": ""})
    assert refused.value.errors()[0]["msg"] == "String should have at least 1 character"


def test_lines_keep_line_breaks_and_tabs() -> None:
    assert Typed(description="one\r\ntwo\tthree").description == "one\r\ntwo\tthree"


def test_lines_refuse_the_other_separators() -> None:
    assert _refusal(description="one\u2029two")[0] == "description"


@pytest.mark.parametrize(
    "address",
    ["ops,spy@evil.co", "x<y@evil.co>", "a@b", "a b@example.com", "a@example.com\n", "@x.com"],
)
def test_an_email_address_is_one_address_with_a_dotted_domain(address: str) -> None:
    assert _refusal(email=address) == (
        "email",
        "Value error, must be one e-mail address, such as name@example.com",
    )


@pytest.mark.parametrize("address", ["o'brien+shop@mail.example.co.uk", "A.B-c_d@x-y.example"])
def test_an_email_address_as_browsers_take_it_is_accepted(address: str) -> None:
    assert Typed(email=address).email == address
