"""Cognito's public JSON API for the browser, forwarded to the emulator, made faithful.

The web client calls `cognitoEndpoint` (this proxy, same origin as the site) exactly as it
calls `https://cognito-idp.<region>.amazonaws.com/` in AWS. Only the public actions the site
uses are served (`PUBLIC_ACTIONS`: those Cognito takes unsigned, with a client id or an access
token); any other, the `Admin*` calls first, is refused as Cognito refuses a call without AWS
credentials (the emulator takes them unsigned). Only the site's own origins may call it
(Cognito itself allows any origin, but then no page of another site can reach the emulator's
users through a developer's browser). Where moto falls short, this layer does what Cognito does:
- moto sends no e-mail and takes any confirmation code: a code is issued for each sign-up
  (and each resend), printed, and ConfirmSignUp with any other code is refused;
- moto has no RevokeToken: a revoked refresh token (and the access tokens issued with it)
  is refused from then on;
- moto gives every user one constant TOTP secret and accepts any code: each user gets a
  secret of their own (AssociateSoftwareToken) and every code is checked, once;
- moto lets a challenge answer name any user, and answer another challenge than the one
  asked: a session continues only its own sign-in, with the challenge it asked;
- moto issues every access and ID token for 60 minutes: they live as long as the app client
  says (local/cognito/tokens.py);
- moto's ConfirmForgotPassword takes any code and any password: ForgotPassword's code is
  issued, printed, and taken once, for that user only, and the pool's password policy
  applies (local/cognito/resets.py).
What Cognito keeps for revocation, TOTP and challenges lives in `CognitoSecurity`
(local/cognito/security.py).
"""

import hmac
import json
import re
import secrets
import string
import threading
import unicodedata
from collections.abc import Callable, Collection, Mapping
from typing import Any

import requests
from jose import jwt
from jose.exceptions import JOSEError
from werkzeug.wrappers import Request, Response

from local.cognito.resets import PasswordResetCodes, Verdict, password_refusal
from local.cognito.security import CognitoSecurity, user_key
from local.cognito.tokens import ReissuedTokens, TokenLifetimes

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
# The public actions the web client (and the pages built on it) call.
PUBLIC_ACTIONS = frozenset(
    {
        "SignUp",
        "ConfirmSignUp",
        "ResendConfirmationCode",
        "InitiateAuth",
        "RespondToAuthChallenge",
        "ForgotPassword",
        "ConfirmForgotPassword",
        "ChangePassword",
        "GetUser",
        "GlobalSignOut",
        "RevokeToken",
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "SetUserMFAPreference",
    }
)
# The pool's public documents (GET), as at Cognito's issuer URL.
_WELL_KNOWN = re.compile(r"/[\w-]+/\.well-known/(jwks\.json|openid-configuration)")
# Cognito's CORS headers, for the allowed origin named in Access-Control-Allow-Origin.
CORS_HEADERS = {
    "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, X-Amz-Target, X-Amz-User-Agent, Authorization",
    "Access-Control-Expose-Headers": "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage",
    "Access-Control-Max-Age": "600",
    "Vary": "Origin",
}
# The pool prevents user existence errors: Cognito answers a name nobody has as it answers a
# wrong password or code (moto says UserNotFoundException, which tells taken names from free).
_CODE_MISMATCH = ("CodeMismatchException", "Invalid verification code provided, please try again.")
_UNKNOWN_USER_ANSWERS = {
    "InitiateAuth": ("NotAuthorizedException", "Incorrect username or password."),
    "ConfirmSignUp": _CODE_MISMATCH,
}
# ForgotPassword's answer names the code moto made up in this header (never passed on).
_MOTO_RESET_CODE_HEADER = "x-moto-forgot-password-confirmation-code"
_MOTO_RESET_CODE_PREFIX = "moto-confirmation-code:"
# Cognito refuses an `email` attribute that is not an address (moto takes anything).
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_MAX_ATTRIBUTE_LENGTH = 2048
# Cognito's SignUp takes a username of letters, marks, symbols, numbers and punctuation
# ([\p{L}\p{M}\p{S}\p{N}\p{P}]+, 1 to 128): no spaces, no invisible characters. moto takes any.
_USERNAME_CATEGORY_CLASSES = frozenset("LMSNP")
_MAX_USERNAME_LENGTH = 128
_USERNAME_REFUSAL = (
    "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must"
    " satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"
)
# The public API is unsigned: a client's AWS signature (if any) is not passed on.
_FORWARDED_HEADERS = ("Content-Type", "X-Amz-Target", "User-Agent")
_RELAYED_HEADERS = {"content-type", "x-amzn-requestid", "x-amzn-errortype"}


class ConfirmationCodes:
    """The code each unconfirmed user was last sent, by (client id, username)."""

    def __init__(self, initial: dict[str, str] | None = None) -> None:
        self._codes: dict[str, str] = dict(initial or {})
        self._lock = threading.Lock()

    @staticmethod
    def _key(client_id: str, username: str) -> str:
        return f"{client_id}/{username}"

    def issue(self, client_id: str, username: str) -> str:
        code = f"{secrets.randbelow(1_000_000):06d}"
        with self._lock:
            self._codes[self._key(client_id, username)] = code
        return code

    def expected(self, client_id: str, username: str) -> str | None:
        with self._lock:
            return self._codes.get(self._key(client_id, username))

    def consume(self, client_id: str, username: str) -> None:
        with self._lock:
            self._codes.pop(self._key(client_id, username), None)

    def snapshot(self) -> dict[str, str]:
        with self._lock:
            return dict(self._codes)


class CognitoProxy:
    """`POST /cognito/` (and the pool's `.well-known` documents) forwarded to the emulator."""

    def __init__(
        self,
        endpoint_url: str,
        region: str,
        codes: ConfirmationCodes,
        announce: Callable[[str], None],
        security: CognitoSecurity | None = None,
        lifetimes: Mapping[str, TokenLifetimes] | None = None,
        tokens: ReissuedTokens | None = None,
        *,
        origins: Collection[str] = (),
        resets: PasswordResetCodes | None = None,
        password_policy: Mapping[str, Any] | None = None,
        user_pool_id: str,
    ) -> None:
        self._endpoint = endpoint_url.rstrip("/")
        self._user_pool_id = user_pool_id
        self._host = f"cognito-idp.{region}.amazonaws.com"
        self._codes = codes
        self._announce = announce
        self._security = security or CognitoSecurity()
        self._lifetimes = dict(lifetimes or {})
        self._tokens = tokens or ReissuedTokens()
        self._origins = frozenset(origins)
        self._resets = resets or PasswordResetCodes()
        self._password_policy = dict(password_policy or {})
        # Keys the masked address a ForgotPassword or ResendConfirmationCode of an unknown user
        # is answered with.
        self._simulation_key = secrets.token_bytes(32)

    def handle(self, request: Request, path: str) -> Response:
        origin = request.headers.get("Origin")
        if origin is None:
            return self._answer(request, path)  # not a browser's page: no CORS
        if origin not in self._origins:
            return Response(
                json.dumps({"message": f"Origin {origin} is not allowed"}),
                status=403,
                content_type="application/json",
            )
        response = self._answer(request, path)
        response.headers.update({"Access-Control-Allow-Origin": origin, **CORS_HEADERS})
        return response

    def _answer(self, request: Request, path: str) -> Response:
        if request.method == "OPTIONS":
            return Response(status=204)
        if request.method == "GET" and _WELL_KNOWN.fullmatch(path):
            return _relayed(self._forward(request, path, b""))
        target = request.headers.get("X-Amz-Target", "")
        action = target.removeprefix(TARGET_PREFIX)
        if request.method != "POST" or target == action or action not in PUBLIC_ACTIONS:
            return _cognito_error(
                "MissingAuthenticationTokenException", "Missing Authentication Token"
            )
        body = request.get_data()
        payload = _json_object(body)
        if isinstance(payload.get("AccessToken"), str):
            payload["AccessToken"] = self._tokens.emulator_token(payload["AccessToken"])
            body = json.dumps(payload).encode()
        refusal = self._refusal(action, payload)
        if refusal is not None:
            return refusal
        if action == "ResendConfirmationCode":
            return self._resend(payload)  # moto does not implement it
        if action == "RevokeToken":
            return self._revoke(payload)  # nor this
        if action == "AssociateSoftwareToken":
            return self._associate_software_token(payload)
        if action == "ConfirmForgotPassword":
            return self._confirm_forgot_password(request, path, body, payload)
        response = self._forward(request, path, body)
        hidden = _UNKNOWN_USER_ANSWERS.get(action)
        if hidden and _error_type(response) == "UserNotFoundException":
            return _cognito_error(*hidden)
        if not response.ok:
            return _relayed(response)
        self._after(action, payload, response)
        if action == "ForgotPassword" and not _reset_code_made(response):
            simulated = _code_delivery(self._simulated_destination(str(payload.get("Username"))))
            return _relayed(response, json.dumps(simulated).encode())
        return _relayed(response, self._with_lifetimes(response.content))

    def _simulated_destination(self, username: str) -> str:
        """Where ForgotPassword and ResendConfirmationCode say they sent the code of a user who
        does not exist, as Cognito's where the pool prevents user existence errors: a masked
        address shaped like a user's (`a***@b***`), the same for a name each time, never the
        name (moto answers `<name>@h***.com`, which tells a name that exists from one that
        does not)."""
        digest = hmac.digest(self._simulation_key, user_key(username).encode(), "sha256")
        first, domain = (string.ascii_lowercase[byte % 26] for byte in digest[:2])
        return f"{first}***@{domain}***"

    def _refusal(self, action: str, payload: dict[str, Any]) -> Response | None:
        """Cognito's answer where it refuses what moto would let through; None otherwise."""
        if action == "SignUp" and not _valid_username(payload.get("Username")):
            return _cognito_error("InvalidParameterException", _USERNAME_REFUSAL)
        if action == "SignUp" and not _valid_email(payload):
            return _cognito_error("InvalidParameterException", "Invalid email address format.")
        if action == "ConfirmSignUp":
            return self._confirmation_refusal(payload)
        parameters = payload.get("AuthParameters") or {}
        if (
            action == "InitiateAuth"
            and isinstance(parameters, dict)
            and self._security.refresh_token_revoked(str(parameters.get("REFRESH_TOKEN", "")))
        ):
            return _cognito_error("NotAuthorizedException", "Refresh Token has been revoked")
        if "AccessToken" in payload and self._security.access_token_revoked(
            _claims(payload["AccessToken"]).get("origin_jti", "")
        ):
            return _cognito_error("NotAuthorizedException", "Access Token has been revoked")
        if action == "RespondToAuthChallenge":
            return self._challenge_refusal(payload)
        if action == "VerifySoftwareToken":
            return self._new_secret_refusal(payload)
        if action == "ConfirmForgotPassword":
            refusal = password_refusal(self._password_policy, str(payload.get("Password", "")))
            if refusal is not None:
                return _cognito_error("InvalidPasswordException", refusal)
        return None

    def _challenge_refusal(self, payload: dict[str, Any]) -> Response | None:
        session = str(payload.get("Session", ""))
        responses = payload.get("ChallengeResponses") or {}
        username = str(responses.get("USERNAME", "")) if isinstance(responses, dict) else ""
        asked = self._security.challenge(session)
        if (
            asked is None
            or asked.user != user_key(username)
            or asked.name != payload.get("ChallengeName")
        ):
            return _cognito_error("NotAuthorizedException", "Invalid session for the user.")
        if payload.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
            code = str(responses.get("SOFTWARE_TOKEN_MFA_CODE", ""))
            if not self._security.matches_secret(username, code):
                return _cognito_error("CodeMismatchException", "Invalid code received for user")
        return None

    def _new_secret_refusal(self, payload: dict[str, Any]) -> Response | None:
        username = self._username(payload)
        if username is None:
            return _cognito_error("NotAuthorizedException", "Invalid Access Token")
        if not self._security.matches_new_secret(username, str(payload.get("UserCode", ""))):
            return _cognito_error(
                "EnableSoftwareTokenMFAException",
                "Code mismatch and fail enable Software Token MFA mfa",
            )
        return None

    def _confirmation_refusal(self, payload: dict[str, Any]) -> Response | None:
        """ConfirmSignUp's refusal: a code that is not the one sent (moto takes any), or a
        user who is confirmed already (moto confirms them again); None for the right code."""
        client_id, username = str(payload.get("ClientId")), str(payload.get("Username"))
        expected = self._codes.expected(client_id, username)
        if expected is not None:
            code = str(payload.get("ConfirmationCode", ""))
            return (
                None if secrets.compare_digest(expected, code) else _cognito_error(*_CODE_MISMATCH)
            )
        user = self._pool_user(username)
        if user is None or user.get("UserStatus") == "UNCONFIRMED":
            return _cognito_error(*_CODE_MISMATCH)  # nobody, or no code sent: none is right
        return _cognito_error(
            "NotAuthorizedException",
            f"User cannot be confirmed. Current status is {user.get('UserStatus')}",
        )

    def _after(self, action: str, payload: dict[str, Any], response: requests.Response) -> None:
        client_id, username = str(payload.get("ClientId")), str(payload.get("Username"))
        answer = response.json() if response.content else {}
        if action == "SignUp" and not answer.get("UserConfirmed", False):
            self._send_code(client_id, username)
        elif action == "ConfirmSignUp":
            self._codes.consume(client_id, username)
        elif action == "VerifySoftwareToken":
            self._security.confirm_new_secret(self._username(payload) or "")
        elif action == "ForgotPassword":
            if _reset_code_made(response):  # the user exists
                code = self._resets.send(username)
                self._announce(f"Password reset code for {username}: {code}")
        elif action in {"InitiateAuth", "RespondToAuthChallenge"}:
            self._signed_in_or_challenged(payload, answer)

    def _signed_in_or_challenged(self, payload: dict[str, Any], answer: dict[str, Any]) -> None:
        if payload.get("Session"):
            self._security.close_challenge(str(payload["Session"]))
        if answer.get("ChallengeName") and answer.get("Session"):
            parameters = payload.get("AuthParameters") or payload.get("ChallengeResponses") or {}
            self._security.open_challenge(
                str(answer["Session"]),
                str(parameters.get("USERNAME")),
                str(answer["ChallengeName"]),
            )
        tokens = answer.get("AuthenticationResult") or {}
        if tokens.get("RefreshToken"):
            origin = _claims(tokens.get("AccessToken", "")).get("origin_jti", "")
            self._security.issued(tokens["RefreshToken"], origin)

    def _confirm_forgot_password(
        self, request: Request, path: str, body: bytes, payload: dict[str, Any]
    ) -> Response:
        """The new password, set only with the code sent for this user (moto takes any)."""
        username, code = str(payload.get("Username", "")), str(payload.get("ConfirmationCode", ""))
        verdict = self._resets.redeem(username, code)
        if verdict is Verdict.MISMATCH:
            return _cognito_error(*_CODE_MISMATCH)
        if verdict is Verdict.EXPIRED:
            return _cognito_error(
                "ExpiredCodeException", "Invalid code provided, please request a code again."
            )
        if verdict is Verdict.TOO_MANY_GUESSES:
            return _cognito_error(
                "LimitExceededException", "Attempt limit exceeded, please try after some time."
            )
        response = self._forward(request, path, body)
        if not response.ok:
            self._resets.give_back(username, code)
        return _relayed(response)

    def _with_lifetimes(self, content: bytes) -> bytes:
        """An answer whose tokens (if any) live as long as their app client says."""
        answer = _json_object(content)
        result = answer.get("AuthenticationResult")
        if not isinstance(result, dict):
            return content
        answer["AuthenticationResult"] = self._tokens.reissue(result, self._lifetimes)
        return json.dumps(answer).encode()

    def _revoke(self, payload: dict[str, Any]) -> Response:
        token = payload.get("Token")
        if not isinstance(token, str) or not token or not payload.get("ClientId"):
            return _cognito_error("InvalidParameterException", "Token and ClientId are required.")
        self._security.revoke(token)
        return _cognito_answer({})

    def _associate_software_token(self, payload: dict[str, Any]) -> Response:
        username = self._username(payload)
        if username is None:
            return _cognito_error("NotAuthorizedException", "Invalid Access Token")
        answer = {"SecretCode": self._security.new_secret(username)}
        if payload.get("Session"):
            answer["Session"] = str(payload["Session"])
        return _cognito_answer(answer)

    def _username(self, payload: dict[str, Any]) -> str | None:
        """Whose call this is: the access token's user (as the emulator knows them, so a
        signed-out token is nobody) or the sign-in session's."""
        if payload.get("Session"):
            return self._security.challenge_user(str(payload["Session"]))
        response = requests.post(
            f"{self._endpoint}/",
            data=json.dumps({"AccessToken": payload.get("AccessToken", "")}),
            headers={
                "Host": self._host,
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": TARGET_PREFIX + "GetUser",
            },
            timeout=10,
        )
        return str(response.json()["Username"]) if response.ok else None

    def _resend(self, payload: dict[str, Any]) -> Response:
        """A new code for a user who has not confirmed yet, answered as Cognito answers it: to
        their masked address; for a name nobody has, to a simulated one (the pool prevents
        user existence errors); for a confirmed user, a refusal."""
        client_id, username = str(payload.get("ClientId")), str(payload.get("Username"))
        user = self._pool_user(username)
        if user is None:
            return _cognito_answer(_code_delivery(self._simulated_destination(username)))
        if user.get("UserStatus") != "UNCONFIRMED":
            return _cognito_error("InvalidParameterException", "User is already confirmed.")
        self._send_code(client_id, username)
        attributes = {item["Name"]: item["Value"] for item in user.get("UserAttributes", [])}
        return _cognito_answer(_code_delivery(_masked(attributes.get("email", ""))))

    def _pool_user(self, username: str) -> dict[str, Any] | None:
        """The pool's user of this name (AdminGetUser's answer), None if nobody has it."""
        response = requests.post(
            f"{self._endpoint}/",
            data=json.dumps({"UserPoolId": self._user_pool_id, "Username": username}),
            headers={
                "Host": self._host,
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": TARGET_PREFIX + "AdminGetUser",
            },
            timeout=10,
        )
        if _error_type(response) == "UserNotFoundException":
            return None
        response.raise_for_status()
        user: dict[str, Any] = response.json()
        return user

    def _send_code(self, client_id: str, username: str) -> None:
        code = self._codes.issue(client_id, username)
        self._announce(f"Confirmation code for {username}: {code}")

    def _forward(self, request: Request, path: str, body: bytes) -> requests.Response:
        headers = {
            name: request.headers[name] for name in _FORWARDED_HEADERS if name in request.headers
        }
        # The emulator finds the region (hence the pool) in the host name, as AWS does.
        headers["Host"] = self._host
        return requests.request(
            request.method,
            f"{self._endpoint}/{path.lstrip('/')}",
            data=body,
            headers=headers,
            timeout=10,
        )


def _error_type(response: requests.Response) -> str | None:
    """The Cognito error an answer is (moto's `__type`), None for a success."""
    if response.ok:
        return None
    return str(response.headers.get("x-amzn-ErrorType", "")).split(":")[0] or None


def _reset_code_made(response: requests.Response) -> bool:
    """Whether moto's ForgotPassword made a code: only for a user who exists."""
    return response.headers.get(_MOTO_RESET_CODE_HEADER, "").startswith(_MOTO_RESET_CODE_PREFIX)


def _relayed(response: requests.Response, content: bytes | None = None) -> Response:
    """The emulator's answer as Cognito's (`content` in place of its body, if given)."""
    return Response(
        response.content if content is None else content,
        status=response.status_code,
        headers={
            name: value
            for name, value in response.headers.items()
            if name.lower() in _RELAYED_HEADERS
        },
    )


def _valid_username(username: object) -> bool:
    """False when Cognito's SignUp would refuse `username` (moto's does not)."""
    return (
        isinstance(username, str)
        and 1 <= len(username) <= _MAX_USERNAME_LENGTH
        and all(unicodedata.category(c)[0] in _USERNAME_CATEGORY_CLASSES for c in username)
    )


def _valid_email(payload: dict[str, Any]) -> bool:
    """False when the sign-up's `email` attribute is not an address Cognito would accept."""
    attributes = payload.get("UserAttributes")
    if not isinstance(attributes, list):
        return True  # Cognito's (the emulator's) own validation answers
    emails = [
        item.get("Value")
        for item in attributes
        if isinstance(item, dict) and item.get("Name") == "email"
    ]
    return all(
        isinstance(email, str)
        and len(email) <= _MAX_ATTRIBUTE_LENGTH
        and _EMAIL.fullmatch(email) is not None
        for email in emails
    )


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body) if body else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _cognito_error(error_type: str, message: str) -> Response:
    return Response(
        json.dumps({"__type": error_type, "message": message}),
        status=400,
        headers={"x-amzn-ErrorType": f"{error_type}:"},
        content_type="application/x-amz-json-1.1",
    )


def _code_delivery(destination: str) -> dict[str, Any]:
    """A CodeDeliveryDetails answer: the code went by e-mail to `destination`."""
    delivery = {"Destination": destination, "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    return {"CodeDeliveryDetails": delivery}


def _masked(address: str) -> str:
    """An e-mail address as Cognito shows where it sent a code: `a***@e***`."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def _cognito_answer(body: dict[str, Any]) -> Response:
    return Response(json.dumps(body), content_type="application/x-amz-json-1.1")


def _claims(token: object) -> dict[str, Any]:
    """A JWT's claims, unverified: only to find what it was issued with (the emulator and the
    API's authorizer verify tokens)."""
    try:
        claims: dict[str, Any] = jwt.get_unverified_claims(str(token))
    except JOSEError:
        return {}
    return claims
