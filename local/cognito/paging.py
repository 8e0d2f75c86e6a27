"""Cognito's answer to a pagination token it cannot go on from, for the emulator's Cognito.

moto's paginator finds where a token's page starts by the user it names; once that user is
deleted (an admin removed them while another page was shown), moto answers `InvalidToken`, a
code Cognito does not have, which a client's error mapping cannot know and turns into a 500.
Cognito names a token it refuses `InvalidParameterException`: the answer is renamed so.
"""

import json
from collections.abc import Iterable
from typing import Any

from local.cognito.admin import TARGET_HEADER, TARGET_PREFIX, WsgiApplication

MOTO_PAGING_REFUSAL = "InvalidToken"
COGNITO_PAGING_REFUSAL = "InvalidParameterException"


class CognitoPagingTokens:
    """WSGI middleware in front of moto's server: Cognito's requests whose token moto refused
    are answered with Cognito's error code; every other request passes through untouched."""

    def __init__(self, application: WsgiApplication) -> None:
        self._application = application

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if not str(environ.get(TARGET_HEADER, "")).startswith(TARGET_PREFIX):
            return self._application(environ, start_response)
        answered: list[Any] = []
        content = b"".join(self._application(environ, lambda *answer: answered.append(answer)))
        status, headers, *rest = answered[-1]
        if status.startswith("400") and _error_type(content) == MOTO_PAGING_REFUSAL:
            content = json.dumps(
                {"__type": COGNITO_PAGING_REFUSAL, "message": "Invalid pagination token"}
            ).encode()
            headers = [
                (name, COGNITO_PAGING_REFUSAL if name.lower() == "x-amzn-errortype" else value)
                for name, value in headers
                if name.lower() != "content-length"
            ] + [("Content-Length", str(len(content)))]
        start_response(status, headers, *rest)
        return [content]


def _error_type(content: bytes) -> str | None:
    try:
        answer = json.loads(content)
    except ValueError:
        return None
    return answer.get("__type") if isinstance(answer, dict) else None
