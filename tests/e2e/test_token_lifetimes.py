"""Access and ID tokens live as long as the app client says (bootstrap/template.yaml: 15
minutes), from a sign-in and from a refresh (moto issues them for 60: local/cognito/tokens.py),
and the tokens the local Cognito issues work wherever moto's did."""

from typing import Any

from jose import jwt

from tests.e2e.stack import RunningStack, Tokens

# bootstrap/template.yaml's UserPoolClient: AccessTokenValidity and IdTokenValidity 15 minutes.
FIFTEEN_MINUTES = 900


def lifetime(token: str) -> int:
    claims = jwt.get_unverified_claims(token)
    return int(claims["exp"]) - int(claims["iat"])


def refreshed(stack: RunningStack, tokens: Tokens) -> dict[str, Any]:
    result: dict[str, Any] = stack.cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens.refresh_token},
    )["AuthenticationResult"]
    return result


def test_a_sign_in_issues_access_and_id_tokens_for_fifteen_minutes(stack: RunningStack) -> None:
    # Given a shopper who signed up, confirmed and signed in (InitiateAuth)
    tokens = stack.new_shopper()

    # Then both tokens live 15 minutes
    assert lifetime(tokens.access_token) == FIFTEEN_MINUTES
    assert lifetime(tokens.id_token) == FIFTEEN_MINUTES


def test_a_refresh_issues_access_and_id_tokens_for_fifteen_minutes(stack: RunningStack) -> None:
    # Given a signed-in shopper
    tokens = stack.new_shopper()

    # When the refresh token buys new tokens
    result = refreshed(stack, tokens)

    # Then they live 15 minutes too, as ExpiresIn says
    assert lifetime(result["AccessToken"]) == FIFTEEN_MINUTES
    assert lifetime(result["IdToken"]) == FIFTEEN_MINUTES
    assert result["ExpiresIn"] == FIFTEEN_MINUTES


def test_the_tokens_are_accepted_by_cognito_and_the_api(stack: RunningStack) -> None:
    # Given a shopper's refreshed tokens
    tokens = stack.new_shopper()
    result = refreshed(stack, tokens)

    # Then Cognito knows the access token's user, and the API takes either token
    user = stack.cognito.get_user(AccessToken=result["AccessToken"])
    assert user["Username"] == tokens.username
    for token in (result["AccessToken"], result["IdToken"]):
        assert stack.client(f"Bearer {token}").get("/orders").status_code == 200
