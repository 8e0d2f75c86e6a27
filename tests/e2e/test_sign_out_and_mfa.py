"""Sign-out and authenticator-app MFA against the local stack's Cognito, as the web client
uses them: RevokeToken, GlobalSignOut, AssociateSoftwareToken, VerifySoftwareToken,
SetUserMFAPreference and the SOFTWARE_TOKEN_MFA challenge (moto lacks or fakes parts of
these; local/cognito/proxy.py makes them behave as Cognito does)."""

import time
import uuid
from typing import Any

import pyotp
import pytest
from botocore.exceptions import ClientError

from tests.e2e.stack import PASSWORD, RunningStack, Tokens

STEP_SECONDS = 30


def error_code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def refresh(stack: RunningStack, tokens: Tokens) -> dict[str, Any]:
    result: dict[str, Any] = stack.cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens.refresh_token},
    )
    return result


def start_sign_in(stack: RunningStack, username: str) -> dict[str, Any]:
    result: dict[str, Any] = stack.cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )
    return result


def answer_code(stack: RunningStack, username: str, session: str, code: str) -> dict[str, Any]:
    result: dict[str, Any] = stack.cognito.respond_to_auth_challenge(
        ClientId=stack.client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=session,
        ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": code},
    )
    return result


def later_code(authenticator: pyotp.TOTP, steps: int = 1) -> str:
    """The code of a following 30-second step (each code works once; the next is accepted)."""
    return authenticator.at(time.time() + steps * STEP_SECONDS)


def turn_on_mfa(stack: RunningStack, tokens: Tokens) -> pyotp.TOTP:
    secret = stack.cognito.associate_software_token(AccessToken=tokens.access_token)["SecretCode"]
    authenticator = pyotp.TOTP(secret)
    stack.cognito.verify_software_token(
        AccessToken=tokens.access_token, UserCode=authenticator.now(), FriendlyDeviceName="phone"
    )
    stack.cognito.set_user_mfa_preference(
        AccessToken=tokens.access_token,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    return authenticator


@pytest.fixture
def user(stack: RunningStack) -> Tokens:
    username = f"mfa-{uuid.uuid4().hex[:8]}"
    stack.sign_up(username)
    stack.confirm(username, stack.confirmation_code(username))
    return stack.sign_in(username)


# ---------------------------------------------------------------- sign-out
def test_a_revoked_refresh_token_gets_no_new_tokens(stack: RunningStack, user: Tokens) -> None:
    # Given a signed-in user whose refresh token works
    assert refresh(stack, user)["AuthenticationResult"]["AccessToken"]

    # When the web client signs out (RevokeToken)
    stack.cognito.revoke_token(Token=user.refresh_token, ClientId=stack.client_id)

    # Then the refresh token is refused
    with pytest.raises(ClientError) as refused:
        refresh(stack, user)
    assert error_code(refused) == "NotAuthorizedException"


def test_revoking_also_revokes_the_access_tokens_issued_with_it_at_cognito(
    stack: RunningStack, user: Tokens
) -> None:
    # Given a signed-in user
    # When they sign out
    stack.cognito.revoke_token(Token=user.refresh_token, ClientId=stack.client_id)

    # Then Cognito refuses their access token for its own API
    with pytest.raises(ClientError) as refused:
        stack.cognito.get_user(AccessToken=user.access_token)
    assert error_code(refused) == "NotAuthorizedException"


def test_revoking_one_session_leaves_the_users_other_sessions(
    stack: RunningStack, user: Tokens
) -> None:
    # Given the same user signed in twice (two browsers)
    other = stack.sign_in(user.username)

    # When one signs out
    stack.cognito.revoke_token(Token=user.refresh_token, ClientId=stack.client_id)

    # Then the other still refreshes
    assert refresh(stack, other)["AuthenticationResult"]["AccessToken"]


def test_signing_out_everywhere_ends_every_session(stack: RunningStack, user: Tokens) -> None:
    # Given the same user signed in twice
    other = stack.sign_in(user.username)

    # When one of them signs out everywhere (GlobalSignOut)
    stack.cognito.global_sign_out(AccessToken=user.access_token)

    # Then neither refresh token works any more
    for tokens in (user, other):
        with pytest.raises(ClientError) as refused:
            refresh(stack, tokens)
        assert error_code(refused) == "NotAuthorizedException"


# ---------------------------------------------------------------- MFA
def test_each_user_gets_an_authenticator_secret_of_their_own(
    stack: RunningStack, user: Tokens
) -> None:
    # Given two users
    other = stack.new_shopper("mfa-other")

    # When both ask for an authenticator secret
    secrets = {
        stack.cognito.associate_software_token(AccessToken=tokens.access_token)["SecretCode"]
        for tokens in (user, other)
    }

    # Then the secrets differ, each of Cognito's length
    assert len(secrets) == 2
    assert all(len(secret) == 32 for secret in secrets)


def test_a_wrong_code_does_not_turn_mfa_on(stack: RunningStack, user: Tokens) -> None:
    # Given a secret handed to the user
    stack.cognito.associate_software_token(AccessToken=user.access_token)

    # When they type a code that is not their app's
    with pytest.raises(ClientError) as refused:
        stack.cognito.verify_software_token(AccessToken=user.access_token, UserCode="000000")

    # Then it is refused and MFA cannot be turned on
    assert error_code(refused) == "EnableSoftwareTokenMFAException"
    with pytest.raises(ClientError):
        stack.cognito.set_user_mfa_preference(
            AccessToken=user.access_token,
            SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
        )


def test_with_mfa_on_sign_in_asks_for_the_code_and_accepts_the_apps(
    stack: RunningStack, user: Tokens
) -> None:
    # Given a user who turned MFA on
    authenticator = turn_on_mfa(stack, user)
    settings = stack.cognito.get_user(AccessToken=user.access_token)
    assert settings["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]

    # When they sign in with their password
    challenge = start_sign_in(stack, user.username)

    # Then Cognito asks for the code, and the app's code signs them in
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    signed_in = answer_code(stack, user.username, challenge["Session"], later_code(authenticator))
    assert signed_in["AuthenticationResult"]["AccessToken"]


def test_a_wrong_or_reused_code_does_not_sign_in(stack: RunningStack, user: Tokens) -> None:
    # Given a user with MFA on who signed in with a code
    authenticator = turn_on_mfa(stack, user)
    used = later_code(authenticator)
    first = start_sign_in(stack, user.username)
    answer_code(stack, user.username, first["Session"], used)

    # When a second sign-in answers with a wrong code, then with the code already used
    second = start_sign_in(stack, user.username)
    attempts = []
    wrong = authenticator.at(time.time() - 10 * STEP_SECONDS)
    for code in (wrong, used):
        with pytest.raises(ClientError) as refused:
            answer_code(stack, user.username, second["Session"], code)
        attempts.append(error_code(refused))

    # Then both are refused
    assert attempts == ["CodeMismatchException", "CodeMismatchException"]


def test_a_sign_in_session_cannot_sign_in_somebody_else(stack: RunningStack, user: Tokens) -> None:
    # Given a user with MFA on, whose password an attacker knows, and a victim
    authenticator = turn_on_mfa(stack, user)
    victim = stack.new_shopper("victim")
    challenge = start_sign_in(stack, user.username)

    # When the attacker answers the challenge naming the victim
    with pytest.raises(ClientError) as refused:
        answer_code(stack, victim.username, challenge["Session"], later_code(authenticator))

    # Then Cognito refuses the session
    assert error_code(refused) == "NotAuthorizedException"


@pytest.mark.parametrize(
    ("challenge", "responses"),
    [
        ("SMS_MFA", {"SMS_MFA_CODE": "123456"}),
        ("MFA_SETUP", {}),
        ("NEW_PASSWORD_REQUIRED", {"NEW_PASSWORD": "An0ther-Horse-Battery!"}),
    ],
)
def test_a_challenge_is_answered_only_as_the_challenge_asked(
    stack: RunningStack, user: Tokens, challenge: str, responses: dict[str, str]
) -> None:
    # Given a user with MFA on, whose password an attacker knows but not the app's code
    turn_on_mfa(stack, user)
    asked = start_sign_in(stack, user.username)

    # When the attacker answers the SOFTWARE_TOKEN_MFA challenge as another challenge
    with pytest.raises(ClientError) as refused:
        stack.cognito.respond_to_auth_challenge(
            ClientId=stack.client_id,
            ChallengeName=challenge,
            Session=asked["Session"],
            ChallengeResponses={"USERNAME": user.username, **responses},
        )

    # Then Cognito refuses the session, and the password still asks for the app's code
    assert error_code(refused) == "NotAuthorizedException"
    assert start_sign_in(stack, user.username)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
