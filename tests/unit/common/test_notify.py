"""What an e-mail may carry: an address or a subject that could break a header is refused."""

import pytest
from pydantic import ValidationError

from shop_common.notify import Email

# Each breaks a line in Python's e-mail headers, or is a control character SMTP has no use for.
LINE_BREAKING = ["\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
CONTROLS = ["\x00", "\x1f", "\x7f", "\t"]


def email(to: str = "ops@example.com", subject: str = "Distribution changed") -> Email:
    return Email(to=(to,), subject=subject, text="Something changed.")


def test_a_plain_address_and_subject_are_taken() -> None:
    assert email().to == ("ops@example.com",)


@pytest.mark.parametrize("character", LINE_BREAKING + CONTROLS)
def test_an_address_with_a_line_break_or_control_character_is_refused(character: str) -> None:
    with pytest.raises(ValidationError) as refused:
        email(to=f"ops{character}bcc@example.com")

    assert refused.value.errors()[0]["loc"] == ("to", 0)


@pytest.mark.parametrize("character", LINE_BREAKING + CONTROLS)
def test_a_subject_with_a_line_break_or_control_character_is_refused(character: str) -> None:
    with pytest.raises(ValidationError) as refused:
        email(subject=f"Changed{character}Bcc: someone@example.com")

    assert refused.value.errors()[0]["loc"] == ("subject",)
