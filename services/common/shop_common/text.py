"""What people type, as every service accepts it: a line of text, lines of text, an e-mail
address. Text is kept composed (Unicode's NFC): an accented letter typed as one character or
pasted as a letter and its accent (as macOS often pastes) is the same text, stored, compared
and measured as one. Text that would show as something other than what it holds is refused,
naming the character: control characters, Unicode's format characters (zero-width spaces,
bidi overrides, byte order marks), line and paragraph separators, lone surrogates, private-use
characters and noncharacters, and the letters that show as blank (the Hangul fillers)."""

import re
import unicodedata
from collections.abc import Callable

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

# Unicode's control, surrogate, format, private-use, line and paragraph separator categories.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cs", "Cf", "Co", "Zl", "Zp"})
# Letters and symbols that show as nothing: a name of them looks empty, or like another.
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
# The joiners shape emoji sequences and Persian and Indic scripts: the format characters kept.
JOINERS = frozenset("\u200c\u200d")
# A subdivision flag (England's, Scotland's, Wales's): the black flag, then tag characters
# (format characters, kept only there).
_BLACK_FLAG = "\U0001f3f4"
_TAGS = range(0xE0020, 0xE0080)
_LINE_BREAKS = frozenset("\n\r\t")
# Letters, numbers, punctuation, symbols: what makes a text visible.
_VISIBLE_CATEGORY_CLASSES = frozenset("LNPS")
# An address as a browser's <input type="email"> takes it (the WHATWG's definition), with a
# dot in its domain: no spaces, commas, quotes or angle brackets, so one address is one
# recipient.
EMAIL_ADDRESS_PATTERN = (
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)
_EMAIL_ADDRESS = re.compile(EMAIL_ADDRESS_PATTERN)


def _composed(value: object) -> object:
    """A string in its composed form (NFC); anything else as it is, for the field's type to
    refuse."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _character(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _hidden(char: str) -> bool:
    code = ord(char)
    noncharacter = 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
    return char in _BLANKS or noncharacter or unicodedata.category(char) in _HIDDEN_CATEGORIES


def _shown_as_typed(text: str, allowed: frozenset[str]) -> str:
    in_flag = False
    for char in text:
        tag = ord(char) in _TAGS
        in_flag = char == _BLACK_FLAG or (in_flag and tag)
        if char in allowed or char in JOINERS or (in_flag and tag):
            continue
        if _hidden(char):
            raise ValueError(
                f"must not contain {_character(char)}: control, invisible formatting, blank"
                " and line separator characters are refused"
            )
    if text and not any(unicodedata.category(c)[0] in _VISIBLE_CATEGORY_CLASSES for c in text):
        raise ValueError("must contain a visible character")
    return text


def _one_line(text: str) -> str:
    return _shown_as_typed(text, frozenset())


def _lines(text: str) -> str:
    return _shown_as_typed(text, _LINE_BREAKS)


def _email_address(text: str) -> str:
    if not _EMAIL_ADDRESS.fullmatch(text):
        raise ValueError("must be one e-mail address, such as name@example.com")
    return text


def _composed_then(check: Callable[[str], str]) -> WrapValidator:
    """The text composed, then the field's own type, trimming and length (so a length counts
    what is stored), then `check`. Text of spaces alone, trimmed to nothing, is blank, where
    the length's refusal would say `at least 1 character` of the characters sent."""

    def validate(value: object, handler: ValidatorFunctionWrapHandler) -> str:
        composed = _composed(value)
        try:
            text = handler(composed)
        except ValidationError as exc:
            too_short = any(error["type"] == "string_too_short" for error in exc.errors())
            if too_short and isinstance(composed, str) and composed and not composed.strip():
                raise PydanticCustomError(
                    "string_blank", "must not be blank: it holds only whitespace"
                ) from None
            raise
        return check(text)

    return WrapValidator(validate)


# Metadata for `Annotated[str, ...]`, after the field's own length and trimming (the text is
# composed before them).
ONE_LINE = _composed_then(_one_line)
LINES = _composed_then(_lines)  # line breaks and tabs allowed
COMPOSED = BeforeValidator(_composed)  # composed only: text searched for, not stored
EMAIL_ADDRESS = AfterValidator(_email_address)
