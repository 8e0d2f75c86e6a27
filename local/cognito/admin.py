"""What Cognito sends a user when an admin acts on them, for the emulator's admin API: moto
sends nothing, so the local stack prints it, as it prints sign-up codes.

- AdminCreateUser (an invitation): Cognito makes a temporary password and e-mails it; moto
  makes none (the user could never sign in). One is made here, given to moto and printed.
- AdminCreateUser with `MessageAction=RESEND`: Cognito e-mails a new temporary password;
  moto creates the user again, out of their groups. Here the user keeps their groups: the new
  password is set temporary (AdminSetUserPassword), printed, and the user answered.
- AdminResetUserPassword: Cognito e-mails a code for ConfirmForgotPassword; the code is
  issued where the Cognito proxy redeems it (local/cognito/resets.py) and printed.
"""

import io
import json
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from local.cognito.resets import PasswordResetCodes

WsgiApplication = Callable[[dict[str, Any], Any], Iterable[bytes]]
TARGET_HEADER = "HTTP_X_AMZ_TARGET"
TARGET_PREFIX = "AWSCognitoIdentityProviderService."
_ACTIONS = frozenset({"AdminCreateUser", "AdminResetUserPassword"})


def temporary_password() -> str:
    """A password any policy of the pool takes: long, and every kind of character."""
    return f"{secrets.token_urlsafe(12)}Aa7!"


class _Answer:
    def __init__(self) -> None:
        self.status = ""
        self.headers: list[tuple[str, str]] = []

    def start_response(self, status: str, headers: list[tuple[str, str]], *_: Any) -> None:
        self.status, self.headers = status, headers

    @property
    def ok(self) -> bool:
        return self.status.startswith("2")


class CognitoAdminMessages:
    """WSGI middleware in front of moto's server. `resets` gives the codes the Cognito proxy
    redeems (a callable: a `--persist` restore replaces them)."""

    def __init__(
        self,
        application: WsgiApplication,
        announce: Callable[[str], None],
        resets: Callable[[], PasswordResetCodes],
    ) -> None:
        self._application = application
        self._announce = announce
        self._resets = resets

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        action = str(environ.get(TARGET_HEADER, "")).removeprefix(TARGET_PREFIX)
        if action not in _ACTIONS:
            return self._application(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        payload = json.loads(body or b"{}")
        username = str(payload.get("Username", ""))
        if action == "AdminResetUserPassword":
            return self._reset(environ, start_response, payload, username)
        message = payload.get("MessageAction")
        if message == "SUPPRESS":
            return self._relay(environ, start_response, action, payload)
        password = payload.get("TemporaryPassword") or temporary_password()
        if message == "RESEND":
            return self._resend(environ, start_response, payload, password)
        answer, content = self._call(environ, action, {**payload, "TemporaryPassword": password})
        if answer.ok:
            self._announce(f"Temporary password for {username}: {password}")
        start_response(answer.status, answer.headers)
        return [content]

    def _reset(
        self, environ: dict[str, Any], start_response: Any, payload: dict[str, Any], username: str
    ) -> Iterable[bytes]:
        answer, content = self._call(environ, "AdminResetUserPassword", payload)
        if answer.ok:
            code = self._resets().send(username)
            self._announce(f"Password reset code for {username}: {code}")
        start_response(answer.status, answer.headers)
        return [content]

    def _resend(
        self, environ: dict[str, Any], start_response: Any, payload: dict[str, Any], password: str
    ) -> Iterable[bytes]:
        user = {"UserPoolId": payload.get("UserPoolId"), "Username": payload.get("Username")}
        answer, content = self._call(
            environ, "AdminSetUserPassword", {**user, "Password": password, "Permanent": False}
        )
        if answer.ok:
            answer, content = self._call(environ, "AdminGetUser", user)
        if answer.ok:
            found = json.loads(content)
            found["Attributes"] = found.pop("UserAttributes", [])
            content = json.dumps({"User": found}).encode()
            self._announce(f"Temporary password for {payload.get('Username')}: {password}")
        start_response(answer.status, [*_without_length(answer.headers)])
        return [content]

    def _relay(
        self, environ: dict[str, Any], start_response: Any, action: str, payload: dict[str, Any]
    ) -> Iterable[bytes]:
        answer, content = self._call(environ, action, payload)
        start_response(answer.status, answer.headers)
        return [content]

    def _call(
        self, environ: dict[str, Any], action: str, payload: dict[str, Any]
    ) -> tuple[_Answer, bytes]:
        """`action` with `payload`, as the same client would have asked moto for it."""
        body = json.dumps(payload).encode()
        request = {
            **environ,
            TARGET_HEADER: TARGET_PREFIX + action,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
        }
        answer = _Answer()
        content = b"".join(self._application(request, answer.start_response))
        return answer, content


def _without_length(headers: list[tuple[str, str]]) -> Iterable[tuple[str, str]]:
    """The headers of a body that was rewritten: its length is the server's to set."""
    return (header for header in headers if header[0].lower() != "content-length")
