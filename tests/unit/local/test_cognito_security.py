"""The sign-in state the local Cognito keeps where moto does not (local/cognito/security.py)."""

import pyotp

from local.cognito.security import CHALLENGE_SESSION_SECONDS, CognitoSecurity

NOW = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


def test_a_challenge_session_lasts_three_minutes() -> None:
    clock = Clock()
    security = CognitoSecurity(clock=clock)
    security.open_challenge("session-1", "Alice", "SOFTWARE_TOKEN_MFA")

    clock.now += CHALLENGE_SESSION_SECONDS - 1
    assert security.challenge_user("session-1") == "alice"
    clock.now += 1
    assert security.challenge_user("session-1") is None


def test_a_code_of_a_secret_not_yet_verified_does_not_sign_in() -> None:
    security = CognitoSecurity(clock=Clock())
    secret = security.new_secret("alice")
    code = pyotp.TOTP(secret).at(NOW)

    assert security.matches_secret("alice", code) is False
    assert security.matches_new_secret("alice", code) is True


def test_a_code_far_from_now_is_refused() -> None:
    security = CognitoSecurity(clock=Clock())
    secret = security.new_secret("alice")
    security.confirm_new_secret("alice")

    assert security.matches_secret("alice", pyotp.TOTP(secret).at(NOW - 120)) is False
    assert security.matches_secret("alice", pyotp.TOTP(secret).at(NOW + 30)) is True


def test_usernames_are_case_insensitive_as_in_the_pool() -> None:
    security = CognitoSecurity(clock=Clock())
    secret = security.new_secret("Alice")
    security.confirm_new_secret("ALICE")

    assert security.matches_secret("alice", pyotp.TOTP(secret).at(NOW)) is True


def test_what_it_keeps_survives_a_restart() -> None:
    clock = Clock()
    security = CognitoSecurity(clock=clock)
    secret = security.new_secret("alice")
    security.confirm_new_secret("alice")
    security.issued("refresh-1", "origin-1")
    security.revoke("refresh-1")
    security.open_challenge("session-1", "alice", "SOFTWARE_TOKEN_MFA")

    restored = CognitoSecurity(security.snapshot(), clock=clock)

    assert restored.refresh_token_revoked("refresh-1")
    assert restored.access_token_revoked("origin-1")
    assert restored.challenge("session-1") == security.challenge("session-1")
    assert restored.matches_secret("alice", pyotp.TOTP(secret).at(NOW))


def test_a_challenge_saved_before_challenges_were_named_answers_none() -> None:
    # Given a state saved when a session kept only its user and expiry
    saved = {"challenges": {"session-1": ["alice", NOW + 60]}}

    # When it is restored
    restored = CognitoSecurity(saved, clock=Clock())

    # Then the session names no challenge, so no answer matches it
    challenge = restored.challenge("session-1")
    assert challenge is not None
    assert challenge.name == ""
