"""Local sign-up against the emulated Cognito: the printed code confirms, another does not."""

import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.e2e.stack import (
    PASSWORD,
    RunningStack,
    Tokens,
    assert_masked_alike,
    code_deliveries_twice,
)


def test_a_new_user_confirms_with_the_printed_code_and_signs_in(stack: RunningStack) -> None:
    # Given a user who signed up
    username = f"carol-{uuid.uuid4().hex[:8]}"
    stack.sign_up(username)
    # When they confirm with the code the stack printed for them
    stack.confirm(username, stack.confirmation_code(username))
    # Then they can sign in and call the API
    tokens = stack.sign_in(username)
    assert stack.client_for(tokens).get("/products").status_code == 200


def test_a_wrong_confirmation_code_is_refused(stack: RunningStack) -> None:
    # Given a user who signed up
    username = f"dave-{uuid.uuid4().hex[:8]}"
    stack.sign_up(username)
    right_code = stack.confirmation_code(username)
    wrong_code = f"{(int(right_code) + 1) % 1_000_000:06d}"
    # When they confirm with another code
    with pytest.raises(ClientError) as refusal:
        stack.confirm(username, wrong_code)
    # Then Cognito's CodeMismatchException, and they still cannot sign in
    assert refusal.value.response["Error"]["Code"] == "CodeMismatchException"
    with pytest.raises(ClientError) as sign_in:
        stack.sign_in(username)
    assert sign_in.value.response["Error"]["Code"] == "UserNotConfirmedException"


def test_a_resent_code_replaces_the_first(stack: RunningStack) -> None:
    # Given a user who signed up and asked for the code again
    username = f"erin-{uuid.uuid4().hex[:8]}"
    stack.sign_up(username)
    first = stack.confirmation_code(username)
    seen = len(stack.output.lines)
    stack.cognito.resend_confirmation_code(ClientId=stack.client_id, Username=username)
    second = stack.confirmation_code(username, start=seen)
    # When they confirm with the first code, then with the new one
    if first != second:
        with pytest.raises(ClientError) as refusal:
            stack.confirm(username, first)
        assert refusal.value.response["Error"]["Code"] == "CodeMismatchException"
    stack.confirm(username, second)
    # Then the new code confirmed them
    assert stack.sign_in(username).access_token


def test_a_refresh_token_gives_new_tokens_that_the_api_accepts(stack: RunningStack) -> None:
    # Given a signed-in shopper
    tokens = stack.new_shopper("frank")
    # When the web client refreshes the session
    result = stack.cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens.refresh_token},
    )["AuthenticationResult"]
    # Then the new ID token works on the API
    response = stack.client(f"Bearer {result['IdToken']}").get("/products")
    assert response.status_code == 200


def test_after_a_global_sign_out_the_refresh_token_is_refused(stack: RunningStack) -> None:
    # Given a signed-in shopper who signs out everywhere
    tokens = stack.new_shopper("gina")
    stack.cognito.global_sign_out(AccessToken=tokens.access_token)
    # When the web client tries to refresh the session
    with pytest.raises(ClientError) as refusal:
        stack.cognito.initiate_auth(
            ClientId=stack.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens.refresh_token},
        )
    # Then Cognito refuses it
    assert refusal.value.response["Error"]["Code"] == "NotAuthorizedException"


def refused_sign_up(stack: RunningStack, username: str, email: str) -> dict[str, Any]:
    """Cognito's error for a sign-up it refused; that no such user exists is checked too."""
    with pytest.raises(ClientError) as refusal:
        stack.cognito.sign_up(
            ClientId=stack.client_id,
            Username=username,
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": email}],
        )
    with pytest.raises(ClientError) as lookup:
        stack.cognito_admin.admin_get_user(UserPoolId=stack.config["userPoolId"], Username=username)
    assert lookup.value.response["Error"]["Code"] == "UserNotFoundException"
    return refusal.value.response


@pytest.mark.parametrize("email", ["not-an-email", "a b@example.com", "@example.com", "name@host"])
def test_a_malformed_email_is_cognitos_400_and_creates_no_user(
    stack: RunningStack, email: str
) -> None:
    # Given a sign-up whose e-mail is not an address
    username = f"gina-{uuid.uuid4().hex[:8]}"
    # When it is sent to the Cognito endpoint
    refusal = refused_sign_up(stack, username, email)
    # Then Cognito's InvalidParameterException (a 400), and no such user exists
    assert refusal["Error"]["Code"] == "InvalidParameterException"
    assert refusal["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize("suffix", [" ", "\u200b", "\t", "\u00a0"])
def test_a_username_with_a_space_or_an_invisible_character_is_cognitos_400(
    stack: RunningStack, suffix: str
) -> None:
    # Given a sign-up whose username looks like another's but ends in a blank
    username = f"hana-{uuid.uuid4().hex[:8]}"
    # When it is sent to the Cognito endpoint
    refusal = refused_sign_up(stack, username + suffix, f"{username}@example.com")
    # Then Cognito's InvalidParameterException names the username, and no such user exists
    assert refusal["Error"]["Code"] == "InvalidParameterException"
    assert "'username'" in refusal["Error"]["Message"]


def test_the_admins_name_in_capitals_is_taken(stack: RunningStack) -> None:
    # When someone signs up as the admin's username in capitals (the pool ignores case)
    with pytest.raises(ClientError) as refusal:
        stack.cognito.sign_up(
            ClientId=stack.client_id,
            Username=stack.admin_username.upper(),
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": "poser@example.com"}],
        )
    # Then Cognito's UsernameExistsException: no second account of that name
    assert refusal.value.response["Error"]["Code"] == "UsernameExistsException"


def test_signing_in_as_nobody_is_refused_as_a_wrong_password_is(
    stack: RunningStack, shopper_tokens: Tokens
) -> None:
    # Given a user and a name nobody has
    nobody = f"nobody-{uuid.uuid4().hex[:8]}"
    # When each signs in with a wrong password
    refusals = []
    for username in (shopper_tokens.username, nobody):
        with pytest.raises(ClientError) as refused:
            stack.sign_in(username, "Wrong-Passw0rd!")
        refusals.append(refused.value.response["Error"])
    # Then both get the same answer: the pool does not tell which names exist
    assert [(error["Code"], error["Message"]) for error in refusals] == [
        ("NotAuthorizedException", "Incorrect username or password.")
    ] * 2


def test_confirming_a_name_nobody_has_is_refused_as_a_wrong_code_is(stack: RunningStack) -> None:
    # Given a user waiting for their code, and a name nobody has
    waiting = f"waiting-{uuid.uuid4().hex[:8]}"
    stack.sign_up(waiting)
    wrong_code = f"{(int(stack.confirmation_code(waiting)) + 1) % 1_000_000:06d}"
    nobody = f"nobody-{uuid.uuid4().hex[:8]}"
    # When each is confirmed with a code that is not theirs
    refusals = []
    for username in (waiting, nobody):
        with pytest.raises(ClientError) as refused:
            stack.cognito.confirm_sign_up(
                ClientId=stack.client_id, Username=username, ConfirmationCode=wrong_code
            )
        refusals.append(refused.value.response["Error"]["Code"])
    # Then both get the same answer
    assert refusals == ["CodeMismatchException"] * 2


def test_a_resend_for_a_name_nobody_has_looks_like_one_for_a_user_waiting(
    stack: RunningStack,
) -> None:
    # Given a user waiting for their code, and a name nobody has
    waiting = f"waiting-{uuid.uuid4().hex[:8]}"
    stack.sign_up(waiting)
    nobody = f"nobody-{uuid.uuid4().hex[:8]}"
    # When a new code is asked for each, twice
    deliveries = code_deliveries_twice(stack, "resend_confirmation_code", (waiting, nobody))
    # Then both answers are a masked address of one shape, each the same every time, neither
    # holding the name
    assert_masked_alike(deliveries)


def test_a_resend_for_a_name_nobody_has_sends_no_code(stack: RunningStack) -> None:
    # Given a name nobody has, and a user waiting for their code
    nobody = f"nobody-{uuid.uuid4().hex[:8]}"
    waiting = f"waiting-{uuid.uuid4().hex[:8]}"
    stack.sign_up(waiting)
    seen = len(stack.output.lines)
    # When a new code is asked for the name, then for the user
    for name in (nobody, waiting):
        stack.cognito.resend_confirmation_code(ClientId=stack.client_id, Username=name)
    # Then only the user's code is printed (once it is, anything printed before it is there)
    assert stack.confirmation_code(waiting, start=seen)
    assert not any(f"for {nobody}:" in line for line in stack.output.lines[seen:])


def test_a_resend_for_a_confirmed_user_is_refused(
    stack: RunningStack, shopper_tokens: Tokens
) -> None:
    # Given a user who confirmed their sign-up
    # When a new code is asked for them
    with pytest.raises(ClientError) as refused:
        stack.cognito.resend_confirmation_code(
            ClientId=stack.client_id, Username=shopper_tokens.username
        )
    # Then Cognito's refusal
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    assert refused.value.response["Error"]["Message"] == "User is already confirmed."


def test_confirming_a_user_confirmed_already_is_refused(
    stack: RunningStack, shopper_tokens: Tokens
) -> None:
    # Given a user who confirmed their sign-up
    # When they are confirmed again, with any code
    with pytest.raises(ClientError) as refused:
        stack.cognito.confirm_sign_up(
            ClientId=stack.client_id, Username=shopper_tokens.username, ConfirmationCode="123456"
        )
    # Then Cognito's refusal: the account's status does not allow it
    assert refused.value.response["Error"] == {
        "Code": "NotAuthorizedException",
        "Message": "User cannot be confirmed. Current status is CONFIRMED",
    }
