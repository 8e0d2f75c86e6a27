"""One HTTP server on 127.0.0.1 for the whole shop: the API stage, Cognito, the site.

/<stage>/...   the API Gateway emulation (local/apigateway/gateway.py)
/cognito/...   Cognito's public API, forwarded to the emulator (local/cognito/proxy.py)
/s3/..., /images/...   the functions' S3 endpoint and the product images (local/s3/images.py)
/config.json   the web client's settings
/...           the web client's files
"""

import threading
from collections.abc import Iterable, Mapping
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from local.apigateway.gateway import Gateway
from local.cognito.proxy import CognitoProxy
from local.s3.images import IMAGES_PREFIX, S3_PREFIX, ImageService
from local.site import SiteConfig, config_response, static_response

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
    ) -> None:
        self._gateway = gateway
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
        if path.startswith(IMAGES_PREFIX):
            response = self._images.serve_image(request)
            response.headers.update(self._site_headers)
            return response
        if path == "/config.json":
            return config_response(request, self._config)
        return static_response(request, self._site_headers)


class _QuietHandler(WSGIRequestHandler):
    # The gateway writes its own access log; werkzeug's per-request line would double it.
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


class ShopServer:
    """A threaded HTTP/1.1 server (keep-alive) on a background thread.

    The socket is bound first (so the port, possibly a free one, is known while the stack is
    built); the application is mounted when it is ready.
    """

    def __init__(self, host: str, port: int) -> None:
        self._application: ShopApplication | None = None
        self._server: BaseWSGIServer = make_server(
            host, port, self._dispatch, threaded=True, request_handler=_QuietHandler
        )
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
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
