"""One HTTP server on 127.0.0.1 for the whole shop: the API stage, Cognito, the site.

/<stage>/...   the API Gateway emulation (local/apigateway/gateway.py)
/cognito/...   Cognito's public API, forwarded to the emulator (local/cognito/proxy.py)
/s3/..., /images/...   the functions' S3 endpoint and the product images (local/s3/images.py)
/config.json   the web client's settings
/...           the web client's files
Outside the stage and Cognito, as CloudFront: only the methods the distribution's behaviour
allows (local/site.py), else its 403.

Only for the stack's own host names (local/host_check.py); the server's own refusals (a
header too large, a request line without an HTTP version) are JSON answers too.
"""

import json
import threading
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from local.apigateway.gateway import Gateway
from local.cognito.proxy import CognitoProxy
from local.host_check import OwnHostsOnly, local_hosts
from local.s3.images import IMAGES_PREFIX, S3_PREFIX, ImageService
from local.site import (
    Distribution,
    SiteConfig,
    access_denied,
    config_response,
    method_refused,
    static_response,
)

COGNITO_PREFIX = "/cognito"


class ShopApplication:
    """The WSGI application that routes each request to its part of the local stack."""

    def __init__(
        self,
        gateway: Gateway,
        cognito: CognitoProxy,
        config: SiteConfig,
        site_headers: Mapping[str, str],
        images: ImageService,
        distribution: Distribution,
    ) -> None:
        self._gateway = gateway
        self._distribution = distribution
        self._images = images
        self._cognito = cognito
        self._config = config
        self._site_headers = site_headers
        self._stage_prefix = f"/{gateway.api.stage}"

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.respond(request)
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        path = request.path
        if path == self._stage_prefix or path.startswith(self._stage_prefix + "/"):
            return self._gateway.handle(request, path[len(self._stage_prefix) :] or "/")
        if path == COGNITO_PREFIX or path.startswith(COGNITO_PREFIX + "/"):
            return self._cognito.handle(request, path[len(COGNITO_PREFIX) :])
        if path.startswith(S3_PREFIX + "/"):
            return self._images.s3(request, path[len(S3_PREFIX) :])
        if not self._distribution.allows(path, request.method):
            return method_refused(self._site_headers)
        if path.startswith(IMAGES_PREFIX):
            response = self._images.serve_image(request) or access_denied({})
            response.headers.update(self._site_headers)
            return response
        if path == "/config.json":
            return config_response(request, self._config)
        return static_response(request, self._site_headers, self._distribution)


class _QuietHandler(WSGIRequestHandler):
    # The gateway writes its own access log; werkzeug's per-request line would double it.
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return

    def parse_request(self) -> bool:
        # A request line without a version is HTTP/0.9, whose answer has no status line and
        # no headers: refused (HTTP/1.0-style) before its headers are waited for.
        if len(self.raw_requestline.split()) == 2:
            self.command, self.request_version = "", "HTTP/1.0"
            self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
            self.close_connection = True
            self.send_error(HTTPStatus.BAD_REQUEST, "The request line has no HTTP version")
            return False
        return bool(super().parse_request())

    def make_environ(self) -> Any:
        # A field's value excludes the whitespace around it (RFC 9110 5.5), as API Gateway
        # and CloudFront read it: http.server keeps what follows the value.
        environ = super().make_environ()
        for key, value in environ.items():
            if key.startswith("HTTP_") or key in {"CONTENT_TYPE", "CONTENT_LENGTH"}:
                environ[key] = value.strip(" \t")
        return environ

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's refusals (431, 414, 400...) as JSON, as the rest of the stack answers."""
        status = HTTPStatus(code)
        self.log_error("code %d, message %s", code, message)
        body = json.dumps({"message": message or status.phrase}).encode()
        self.send_response(code, status.phrase)
        self.send_header("Connection", "close")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.close_connection = True
        if self.command != "HEAD":
            self.wfile.write(body)


class ShopServer:
    """A threaded HTTP/1.1 server (keep-alive) on a background thread.

    The socket is bound first (so the port, possibly a free one, is known while the stack is
    built); the application is mounted when it is ready.
    """

    def __init__(self, host: str, port: int) -> None:
        self._application: ShopApplication | None = None
        own_hosts_only = OwnHostsOnly(self._dispatch)
        self._server: BaseWSGIServer = make_server(
            host, port, own_hosts_only, threaded=True, request_handler=_QuietHandler
        )
        own_hosts_only.allow(local_hosts(self.port))
        self._thread = threading.Thread(target=self._server.serve_forever, name="http", daemon=True)

    def _dispatch(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if self._application is None:
            return Response("Starting", status=503)(environ, start_response)
        return self._application(environ, start_response)

    def mount(self, application: ShopApplication) -> None:
        self._application = application

    @property
    def port(self) -> int:
        return int(self._server.server_port)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stops serving (new connections are refused; requests under way finish); again,
        it does nothing more."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
