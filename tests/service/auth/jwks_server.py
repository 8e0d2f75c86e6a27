"""A user pool's JWKS endpoint on a real local HTTP server, counting what it is asked, and
Cognito's GetUser (which refuses the access tokens in `revoked`)."""

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from tests.builders.tokens import USER_POOL_ID, jwks_document

JWKS_PATH = f"/{USER_POOL_ID}/.well-known/jwks.json"


class JwksServer:
    """Serves `body` (the test pool's JWKS unless changed) with `status` at JWKS_PATH."""

    def __init__(self) -> None:
        self.body = json.dumps(jwks_document()).encode()
        self.status = HTTPStatus.OK
        self.requests: list[str] = []
        self.revoked: set[str] = set()
        self.asked: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._request_handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def cognito_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{JWKS_PATH}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _request_handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                found = self.path == JWKS_PATH
                self.send_response(server.status if found else HTTPStatus.NOT_FOUND)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(server.body if found else b"{}")

            def do_POST(self) -> None:
                """Cognito's GetUser: the user if the access token was not revoked."""
                length = int(self.headers.get("Content-Length", 0))
                token = json.loads(self.rfile.read(length) or b"{}").get("AccessToken", "")
                server.asked.append(token)
                revoked = token in server.revoked
                self.send_response(HTTPStatus.BAD_REQUEST if revoked else HTTPStatus.OK)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                if revoked:
                    self.send_header("x-amzn-ErrorType", "NotAuthorizedException:")
                self.end_headers()
                answer = (
                    {"__type": "NotAuthorizedException", "message": "Access Token has been revoked"}
                    if revoked
                    else {"Username": "someone", "UserAttributes": []}
                )
                self.wfile.write(json.dumps(answer).encode())

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test reads `requests` instead."""

        return Handler
