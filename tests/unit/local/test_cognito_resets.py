"""ForgotPassword's codes and the pool's password policy (local/cognito/resets.py)."""

import pytest

from local.cognito.resets import (
    CODE_SECONDS,
    MAX_WRONG_GUESSES,
    PasswordResetCodes,
    Verdict,
    password_refusal,
)

NOW = 1_800_000_000.0
POLICY = {
    "MinimumLength": 12,
    "RequireLowercase": True,
    "RequireUppercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
}


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_code_sent_resets_once() -> None:
    codes = PasswordResetCodes(clock=Clock())
    code = codes.send("alice")

    assert codes.redeem("alice", code) is Verdict.ACCEPTED
    assert codes.redeem("alice", code) is Verdict.EXPIRED


def test_a_code_lasts_an_hour() -> None:
    clock = Clock()
    codes = PasswordResetCodes(clock=clock)
    code = codes.send("alice")

    clock.now += CODE_SECONDS

    assert codes.redeem("alice", code) is Verdict.EXPIRED


def test_a_code_is_the_users_own_and_usernames_ignore_case() -> None:
    codes = PasswordResetCodes(clock=Clock())
    code = codes.send("Alice")

    assert codes.redeem("bob", code) is Verdict.MISMATCH
    assert codes.redeem("ALICE", code) is Verdict.ACCEPTED


def test_after_too_many_wrong_guesses_even_the_right_code_is_refused() -> None:
    codes = PasswordResetCodes(clock=Clock())
    code = codes.send("alice")
    for _ in range(MAX_WRONG_GUESSES):
        assert codes.redeem("alice", wrong(code)) is Verdict.MISMATCH

    assert codes.redeem("alice", code) is Verdict.TOO_MANY_GUESSES


def test_a_code_given_back_works_again() -> None:
    codes = PasswordResetCodes(clock=Clock())
    code = codes.send("alice")
    codes.redeem("alice", code)

    codes.give_back("alice", code)

    assert codes.redeem("alice", code) is Verdict.ACCEPTED


def test_the_codes_survive_a_restart() -> None:
    clock = Clock()
    codes = PasswordResetCodes(clock=clock)
    code = codes.send("alice")

    restored = PasswordResetCodes(codes.snapshot(), clock=clock)

    assert restored.redeem("alice", code) is Verdict.ACCEPTED


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("Sh0rt-pass!", "long enough"),
        ("no-upper-case-1!", "uppercase"),
        ("NO-LOWER-CASE-1!", "lowercase"),
        ("No-Numbers-Here!", "numeric"),
        ("NoSymbolsHere1234", "symbol"),
    ],
)
def test_a_password_the_policy_refuses_is_said_why(password: str, missing: str) -> None:
    refusal = password_refusal(POLICY, password)

    assert refusal is not None
    assert missing in refusal


def test_a_password_the_policy_takes_is_not_refused() -> None:
    assert password_refusal(POLICY, "Corr3ct-Horse-Battery!") is None
