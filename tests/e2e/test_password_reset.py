"""Forgotten and changed passwords through the site's /cognito/, as Cognito's public API:
ForgotPassword sends a code (the local stack prints it, as it prints sign-up codes),
ConfirmForgotPassword takes only that code, once; ChangePassword needs the old password."""

import uuid

import pytest
from botocore.exceptions import ClientError

from tests.e2e.stack import (
    PASSWORD,
    RunningStack,
    Tokens,
    assert_masked_alike,
    code_deliveries_twice,
)

NEW_PASSWORD = "An0ther-Horse-Battery!"


def error_code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def forgot_password(stack: RunningStack, username: str) -> str:
    """The code printed for the user's ForgotPassword."""
    seen = len(stack.output.lines)
    stack.cognito.forgot_password(ClientId=stack.client_id, Username=username)
    return stack.password_reset_code(username, start=seen)


def reset(stack: RunningStack, username: str, code: str, password: str = NEW_PASSWORD) -> None:
    stack.cognito.confirm_forgot_password(
        ClientId=stack.client_id, Username=username, ConfirmationCode=code, Password=password
    )


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def user(stack: RunningStack) -> Tokens:
    return stack.new_shopper("reset")


def test_the_printed_code_sets_the_new_password(stack: RunningStack, user: Tokens) -> None:
    # Given a user who forgot their password
    code = forgot_password(stack, user.username)

    # When they confirm with the printed code and a new password
    reset(stack, user.username, code)

    # Then the new password signs in and the old one no longer does
    assert stack.sign_in(user.username, NEW_PASSWORD).access_token
    with pytest.raises(ClientError) as refused:
        stack.sign_in(user.username)
    assert error_code(refused) == "NotAuthorizedException"


def test_another_code_is_refused_and_changes_nothing(stack: RunningStack, user: Tokens) -> None:
    # Given a user who forgot their password
    code = forgot_password(stack, user.username)

    # When somebody confirms with another code
    with pytest.raises(ClientError) as refused:
        reset(stack, user.username, other_code(code))

    # Then Cognito's CodeMismatchException, and the password is the old one
    assert error_code(refused) == "CodeMismatchException"
    assert stack.sign_in(user.username).access_token


def test_nobody_resets_a_password_without_its_code(stack: RunningStack) -> None:
    # Given the admin, who asked for no code
    # When somebody confirms a reset of the admin's password with a code
    with pytest.raises(ClientError) as refused:
        reset(stack, stack.admin_username, "123456")

    # Then Cognito's CodeMismatchException, and the admin's password is unchanged
    assert error_code(refused) == "CodeMismatchException"
    assert stack.sign_in(stack.admin_username, stack.admin_password).access_token


def test_a_users_code_does_not_reset_another_users_password(
    stack: RunningStack, user: Tokens
) -> None:
    # Given a victim who asked for a code, and an attacker who asked for one of their own
    victim = stack.new_shopper("victim")
    forgot_password(stack, victim.username)
    code = forgot_password(stack, user.username)

    # When the attacker confirms the victim's reset with their own code
    with pytest.raises(ClientError) as refused:
        reset(stack, victim.username, code)

    # Then Cognito's CodeMismatchException, and the victim's password is unchanged
    assert error_code(refused) == "CodeMismatchException"
    assert stack.sign_in(victim.username).access_token


def test_a_code_works_once(stack: RunningStack, user: Tokens) -> None:
    # Given a user who reset their password with the printed code
    code = forgot_password(stack, user.username)
    reset(stack, user.username, code)

    # When the same code is used again
    with pytest.raises(ClientError) as refused:
        reset(stack, user.username, code, password=PASSWORD)

    # Then Cognito's ExpiredCodeException, and the password is the one set first
    assert error_code(refused) == "ExpiredCodeException"
    assert stack.sign_in(user.username, NEW_PASSWORD).access_token


def test_a_new_code_replaces_the_first(stack: RunningStack, user: Tokens) -> None:
    # Given a user who asked for a code twice
    first = forgot_password(stack, user.username)
    second = forgot_password(stack, user.username)

    # When they confirm with the first code, then with the second
    if first != second:
        with pytest.raises(ClientError) as refused:
            reset(stack, user.username, first)
        assert error_code(refused) == "CodeMismatchException"
    reset(stack, user.username, second)

    # Then the second code set the new password
    assert stack.sign_in(user.username, NEW_PASSWORD).access_token


def test_a_password_the_policy_refuses_keeps_the_code(stack: RunningStack, user: Tokens) -> None:
    # Given a user who forgot their password
    code = forgot_password(stack, user.username)

    # When they choose a password the pool's policy refuses
    with pytest.raises(ClientError) as refused:
        reset(stack, user.username, code, password="short")

    # Then Cognito's InvalidPasswordException, and the code still works
    assert error_code(refused) == "InvalidPasswordException"
    reset(stack, user.username, code)
    assert stack.sign_in(user.username, NEW_PASSWORD).access_token


def test_an_unknown_user_gets_no_code_and_no_hint(stack: RunningStack) -> None:
    # Given a username nobody has
    username = f"nobody-{uuid.uuid4().hex[:8]}"

    # When somebody asks for its code and then confirms one
    answer = stack.cognito.forgot_password(ClientId=stack.client_id, Username=username)
    with pytest.raises(ClientError) as refused:
        reset(stack, username, "123456")

    # Then both answer as for a real user (the pool prevents user existence errors)
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert error_code(refused) == "CodeMismatchException"


def test_a_signed_in_user_changes_their_password(stack: RunningStack, user: Tokens) -> None:
    # Given a signed-in user
    # When they change their password, giving the old one
    stack.cognito.change_password(
        AccessToken=user.access_token, PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD
    )

    # Then the new password signs in
    assert stack.sign_in(user.username, NEW_PASSWORD).access_token


def test_a_password_change_needs_the_old_password(stack: RunningStack, user: Tokens) -> None:
    # Given a signed-in user whose session somebody else uses
    # When that person changes the password without knowing it
    with pytest.raises(ClientError) as refused:
        stack.cognito.change_password(
            AccessToken=user.access_token,
            PreviousPassword="Wr0ng-Passw0rd!",
            ProposedPassword=NEW_PASSWORD,
        )

    # Then Cognito refuses, and the old password still signs in
    assert error_code(refused) == "NotAuthorizedException"
    assert stack.sign_in(user.username).access_token


def test_a_reset_for_a_name_nobody_has_looks_like_one_for_a_user(
    stack: RunningStack, user: Tokens
) -> None:
    # Given a user, and a name nobody has
    nobody = f"nobody-{uuid.uuid4().hex[:8]}"
    # When a reset is asked for each, twice
    deliveries = code_deliveries_twice(stack, "forgot_password", (user.username, nobody))
    # Then both answers are a masked address of one shape, each the same every time, and
    # neither holds the name asked for
    assert_masked_alike(deliveries)
