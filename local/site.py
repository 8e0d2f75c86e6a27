"""The web client's files and its `config.json`, as CloudFront serves them from the bucket."""

import json
from dataclasses import dataclass
from pathlib import Path

from werkzeug.exceptions import NotFound
from werkzeug.utils import send_from_directory
from werkzeug.wrappers import Request, Response

from local.templates import REPO_ROOT

SITE_DIR = REPO_ROOT / "web_client" / "site"
INDEX = "index.html"
_NO_CACHE = {"Cache-Control": "no-cache"}
_PLACEHOLDER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop (local)</title></head>
<body><h1>Shop: the web client is not built yet</h1>
<p>The local stack is running: the API is at <code>{api_url}</code> and its settings at
<a href="config.json">config.json</a>. This page is a placeholder until
<code>web_client/site/</code> exists.</p></body></html>
"""


@dataclass(frozen=True)
class SiteConfig:
    """The values config.json carries besides the URLs, which follow the request's host."""

    stage: str
    region: str
    user_pool_id: str
    user_pool_client_id: str

    def document(self, base_url: str) -> dict[str, str]:
        return {
            "apiUrl": f"{base_url}{self.stage}",
            "region": self.region,
            "userPoolId": self.user_pool_id,
            "userPoolClientId": self.user_pool_client_id,
            "cognitoEndpoint": f"{base_url}cognito/",
        }


def config_response(request: Request, config: SiteConfig) -> Response:
    # URLs on the host the browser used (127.0.0.1 or localhost) keep every call same-origin.
    return Response(
        json.dumps(config.document(request.host_url)),
        content_type="application/json",
        headers=_NO_CACHE,
    )


def static_response(request: Request, site_dir: Path = SITE_DIR) -> Response:
    """A file of the site; an unknown path gets index.html (the single-page app's fallback)."""
    if not (site_dir / INDEX).is_file():
        return Response(
            _PLACEHOLDER.format(api_url=request.host_url), content_type="text/html", status=200
        )
    relative = request.path.lstrip("/") or INDEX
    try:
        response = send_from_directory(site_dir, relative, request.environ)
    except NotFound:
        response = send_from_directory(site_dir, INDEX, request.environ)
    if response.mimetype == "text/html":
        response.headers.update(_NO_CACHE)
    return response
