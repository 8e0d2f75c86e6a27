"""The web client's files (with the npm packages it loads, web_client/vendor.py) and its
`config.json`, as CloudFront serves them from the bucket, with the security headers of the
distribution's response-headers policy: only the methods its cache behaviour allows (403
for any other), `/` as its default root object, and a key the bucket does not hold as S3's
403 AccessDenied (CloudFront reads the bucket with GetObject alone). The web client routes
in the address's fragment (`#/products`), so no other path is a page of it."""

import fnmatch
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.exceptions import NotFound
from werkzeug.utils import send_file, send_from_directory
from werkzeug.wrappers import Request, Response

from stacks.intrinsics import Scope, resolve
from stacks.templates import BOOTSTRAP_TEMPLATE, REPO_ROOT, load_template, resources_of_type
from web_client.errors import MissingVendorFilesError
from web_client.vendor import VENDOR_FILES, vendor_files

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


_METHOD_REFUSED = (
    "403 ERROR: The request could not be satisfied. This distribution is not configured to "
    "allow the HTTP request method that was used for this request."
)


@dataclass(frozen=True)
class Distribution:
    """The bootstrap template's CloudFront distribution as a request meets it: each cache
    behaviour's path pattern and allowed methods (the default behaviour's last), and the
    object it serves at `/`."""

    behaviours: tuple[tuple[str, frozenset[str]], ...]
    root_object: str

    def allows(self, path: str, method: str) -> bool:
        """Whether the behaviour `path` falls under allows `method`."""
        return method in next(
            methods
            for pattern, methods in self.behaviours
            if fnmatch.fnmatchcase(path.lstrip("/"), pattern)
        )


def site_distribution() -> Distribution:
    template = load_template(BOOTSTRAP_TEMPLATE)
    (distribution,) = resources_of_type(template, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    behaviours = [
        (str(behaviour["PathPattern"]), behaviour) for behaviour in config.get("CacheBehaviors", [])
    ]
    behaviours.append(("*", config["DefaultCacheBehavior"]))
    return Distribution(
        behaviours=tuple(
            (pattern, frozenset(behaviour["AllowedMethods"])) for pattern, behaviour in behaviours
        ),
        root_object=str(config["DefaultRootObject"]),
    )


def method_refused(headers: Mapping[str, str]) -> Response:
    """CloudFront's answer to a method the behaviour does not allow."""
    return Response(_METHOD_REFUSED, status=403, content_type="text/plain", headers=headers)


def access_denied(headers: Mapping[str, str]) -> Response:
    """S3's answer, through CloudFront, for a key the bucket does not hold (CloudFront may
    only GetObject, so S3 does not say whether the key exists)."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
    )
    return Response(body, status=403, content_type="application/xml", headers=headers)


@dataclass(frozen=True)
class SiteConfig:
    """The values config.json carries besides the URLs, which follow the request's host."""

    stage: str
    region: str
    user_pool_id: str
    user_pool_client_id: str
    currency: str

    def document(self, base_url: str) -> dict[str, str]:
        return {
            "apiUrl": f"{base_url}{self.stage}",
            "region": self.region,
            "userPoolId": self.user_pool_id,
            "userPoolClientId": self.user_pool_client_id,
            "cognitoEndpoint": f"{base_url}cognito/",
            "currency": self.currency,
        }


def config_response(request: Request, config: SiteConfig) -> Response:
    # URLs on the host the browser used (127.0.0.1 or localhost) keep every call same-origin.
    return Response(
        json.dumps(config.document(request.host_url)),
        content_type="application/json",
        headers=_NO_CACHE,
    )


def static_response(
    request: Request,
    headers: Mapping[str, str],
    distribution: Distribution,
    site_dir: Path = SITE_DIR,
) -> Response:
    """A file of the site (`/` its default root object); any other path is S3's 403."""
    if not (site_dir / INDEX).is_file():
        return Response(
            _PLACEHOLDER.format(api_url=request.host_url), content_type="text/html", status=200
        )
    relative = request.path.lstrip("/") or distribution.root_object
    if relative in VENDOR_FILES:
        return _vendor_response(relative, request, headers)
    try:
        response = send_from_directory(site_dir, relative, request.environ)
    except NotFound:
        return access_denied(headers)
    if response.mimetype == "text/html":
        response.headers.update(_NO_CACHE)
    response.headers.update(headers)
    return response


def _vendor_response(relative: str, request: Request, headers: Mapping[str, str]) -> Response:
    try:
        installed = vendor_files()[relative]
    except MissingVendorFilesError as exc:
        return Response(str(exc), status=404, content_type="text/plain", headers=headers)
    response = send_file(installed, request.environ)
    response.headers.update(headers)
    return response


def security_headers(bootstrap_scope: Scope) -> dict[str, str]:
    """The headers the bootstrap template's response-headers policy makes CloudFront add."""
    headers: dict[str, str] = {}
    template = load_template(BOOTSTRAP_TEMPLATE)
    for policy in resources_of_type(template, "AWS::CloudFront::ResponseHeadersPolicy").values():
        config = policy["Properties"]["ResponseHeadersPolicyConfig"].get("SecurityHeadersConfig")
        headers.update(_security_headers(resolve(config or {}, bootstrap_scope)))
    return headers


def _security_headers(config: Mapping[str, Any]) -> dict[str, str]:
    headers = {}
    if "ContentSecurityPolicy" in config:
        policy = str(config["ContentSecurityPolicy"]["ContentSecurityPolicy"])
        headers["Content-Security-Policy"] = " ".join(policy.split())
    if "StrictTransportSecurity" in config:
        hsts = config["StrictTransportSecurity"]
        value = f"max-age={hsts['AccessControlMaxAgeSec']}"
        value += "; includeSubDomains" if hsts.get("IncludeSubdomains") else ""
        value += "; preload" if hsts.get("Preload") else ""
        headers["Strict-Transport-Security"] = value
    if "ContentTypeOptions" in config:
        headers["X-Content-Type-Options"] = "nosniff"
    if "FrameOptions" in config:
        headers["X-Frame-Options"] = str(config["FrameOptions"]["FrameOption"])
    if "ReferrerPolicy" in config:
        headers["Referrer-Policy"] = str(config["ReferrerPolicy"]["ReferrerPolicy"])
    if "XSSProtection" in config:
        protection = config["XSSProtection"]
        value = "1" if protection.get("Protection") else "0"
        headers["X-XSS-Protection"] = value + (
            "; mode=block" if protection.get("ModeBlock") else ""
        )
    return headers
