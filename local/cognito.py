"""Cognito's public JSON API for the browser, forwarded to the emulator, with sign-up codes.

The web client calls `cognitoEndpoint` (this proxy, same origin as the site) exactly as it
calls `https://cognito-idp.<region>.amazonaws.com/` in AWS. moto sends no e-mail and takes
any confirmation code, so this layer does what Cognito's e-mail does: it issues a code for
each sign-up (and each resend), prints it, and refuses ConfirmSignUp with any other code.
"""

import json
import secrets
import threading
from collections.abc import Callable
from typing import Any

import requests
from werkzeug.wrappers import Request, Response

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
# Real Cognito answers its public API with these CORS headers for any origin.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, X-Amz-Target, X-Amz-User-Agent, Authorization",
    "Access-Control-Expose-Headers": "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage",
    "Access-Control-Max-Age": "600",
}
_FORWARDED_HEADERS = ("Content-Type", "X-Amz-Target", "Authorization", "X-Amz-Date", "User-Agent")


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
    ) -> None:
        self._endpoint = endpoint_url.rstrip("/")
        self._host = f"cognito-idp.{region}.amazonaws.com"
        self._codes = codes
        self._announce = announce

    def handle(self, request: Request, path: str) -> Response:
        if request.method == "OPTIONS":
            return Response(status=204, headers=CORS_HEADERS)
        action = request.headers.get("X-Amz-Target", "").removeprefix(TARGET_PREFIX)
        payload = _json_object(request.get_data())
        if action == "ConfirmSignUp" and not self._code_accepted(payload):
            return _cognito_error(
                "CodeMismatchException", "Invalid verification code provided, please try again."
            )
        if action == "ResendConfirmationCode":
            return self._resend(payload)  # moto does not implement it
        response = self._forward(request, path)
        if response.ok:
            self._after(action, payload, response)
        return Response(
            response.content,
            status=response.status_code,
            headers={
                **CORS_HEADERS,
                **{
                    name: value
                    for name, value in response.headers.items()
                    if name.lower() in {"content-type", "x-amzn-requestid", "x-amzn-errortype"}
                },
            },
        )

    def _code_accepted(self, payload: dict[str, Any]) -> bool:
        client_id, username = str(payload.get("ClientId")), str(payload.get("Username"))
        expected = self._codes.expected(client_id, username)
        # No code pending (unknown or already confirmed user): Cognito's own answer decides.
        return expected is None or secrets.compare_digest(
            expected, str(payload.get("ConfirmationCode", ""))
        )

    def _after(self, action: str, payload: dict[str, Any], response: requests.Response) -> None:
        client_id, username = str(payload.get("ClientId")), str(payload.get("Username"))
        if action == "SignUp" and not response.json().get("UserConfirmed", False):
            self._send_code(client_id, username)
        elif action == "ConfirmSignUp":
            self._codes.consume(client_id, username)

    def _resend(self, payload: dict[str, Any]) -> Response:
        client_id, username = str(payload.get("ClientId")), str(payload.get("Username"))
        if self._codes.expected(client_id, username) is None:
            return _cognito_error("InvalidParameterException", "User is already confirmed.")
        self._send_code(client_id, username)
        delivery = {"DeliveryMedium": "EMAIL", "AttributeName": "email", "Destination": "local"}
        return Response(
            json.dumps({"CodeDeliveryDetails": delivery}),
            headers=CORS_HEADERS,
            content_type="application/x-amz-json-1.1",
        )

    def _send_code(self, client_id: str, username: str) -> None:
        code = self._codes.issue(client_id, username)
        self._announce(f"Confirmation code for {username}: {code}")

    def _forward(self, request: Request, path: str) -> requests.Response:
        headers = {
            name: request.headers[name] for name in _FORWARDED_HEADERS if name in request.headers
        }
        # The emulator finds the region (hence the pool) in the host name, as AWS does.
        headers["Host"] = self._host
        return requests.request(
            request.method,
            f"{self._endpoint}/{path.lstrip('/')}",
            data=request.get_data(),
            headers=headers,
            timeout=10,
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
        headers={**CORS_HEADERS, "x-amzn-ErrorType": f"{error_type}:"},
        content_type="application/x-amz-json-1.1",
    )
