"""The emulated CloudFront on the emulator's endpoint: the distribution, tag and policy
operations are answered from `Distributions` (faithful), any other CloudFront operation
(origin access controls, functions...) by moto behind it.

A WSGI middleware in front of moto's server, as local/dynamodb adds DynamoDB's atomicity:
requests signed for CloudFront whose operation is one of ours are parsed and answered with
moto's own REST-XML parser and serializer over botocore's service model, so the wire format
is botocore's and only the behaviour is ours.
"""

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from xml.sax.saxutils import escape

from moto.core.parse import RestXMLParser
from moto.core.serialize import RestXMLSerializer
from moto.core.utils import get_service_model
from werkzeug.wrappers import Request

from local.cloudfront.distributions import CloudFrontError, Distributions
from local.eventbridge.trail import ManagementEvents, access_key_of

WsgiApplication = Callable[[dict[str, Any], Any], Iterable[bytes]]
# boto3 signs a CloudFront request with this credential scope.
_CLOUDFRONT_SCOPE = "/cloudfront/aws4_request"
_POLICY_KINDS = {
    "CachePolicy": "cache",
    "OriginRequestPolicy": "origin-request",
    "ResponseHeadersPolicy": "response-headers",
}


@dataclass(frozen=True)
class _Route:
    operation: Any  # moto's OperationModel (botocore's, with moto's shapes)
    method: str
    path: re.Pattern[str]
    # The query keys (and values) the operation's URI fixes: `?WithTags`, `?Operation=Tag`.
    query: dict[str, str]


def _routes(names: Iterable[str]) -> list[_Route]:
    service = get_service_model("cloudfront")
    routes = []
    for name in names:
        operation = service.operation_model(name)
        path, _, query = operation.http["requestUri"].partition("?")
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path)
        fixed = dict(part.partition("=")[::2] for part in query.split("&") if part)
        routes.append(
            _Route(operation, operation.http["method"], re.compile(f"^{pattern}$"), fixed)
        )
    # The most specific first: `?WithTags` before the bare path.
    return sorted(routes, key=lambda route: -len(route.query))


def _distribution_handlers(store: Distributions) -> dict[str, Callable[[dict[str, Any]], Any]]:
    def created(result: tuple[dict[str, Any], str]) -> dict[str, Any]:
        distribution, etag = result
        location = f"https://cloudfront.amazonaws.com/2020-05-31/distribution/{distribution['Id']}"
        return {"Distribution": distribution, "ETag": etag, "Location": location}

    def tags_of(params: dict[str, Any]) -> dict[str, str]:
        items = (params.get("Tags") or {}).get("Items") or []
        return {tag["Key"]: tag.get("Value", "") for tag in items}

    return {
        "CreateDistribution": lambda p: created(store.create(p["DistributionConfig"])),
        "CreateDistributionWithTags": lambda p: created(
            store.create(
                p["DistributionConfigWithTags"]["DistributionConfig"],
                tags_of(p["DistributionConfigWithTags"]),
            )
        ),
        "GetDistribution": lambda p: dict(
            zip(("Distribution", "ETag"), store.get(p["Id"]), strict=True)
        ),
        "GetDistributionConfig": lambda p: dict(
            zip(("DistributionConfig", "ETag"), store.get_config(p["Id"]), strict=True)
        ),
        "UpdateDistribution": lambda p: dict(
            zip(
                ("Distribution", "ETag"),
                store.update(p["Id"], p["DistributionConfig"], p.get("IfMatch")),
                strict=True,
            )
        ),
        "DeleteDistribution": lambda p: store.delete(p["Id"], p.get("IfMatch")),
        "ListDistributions": lambda p: {
            "DistributionList": store.listing(p.get("Marker"), _int(p.get("MaxItems")))
        },
        "ListTagsForResource": lambda p: {
            "Tags": {
                "Items": [{"Key": k, "Value": v} for k, v in store.tags(p["Resource"]).items()]
            }
        },
        "TagResource": lambda p: store.tag(p["Resource"], tags_of(p)),
        "UntagResource": lambda p: store.untag(
            p["Resource"], (p.get("TagKeys") or {}).get("Items") or []
        ),
    }


def _policy_handlers(store: Distributions) -> dict[str, Callable[[dict[str, Any]], Any]]:
    handlers: dict[str, Callable[[dict[str, Any]], Any]] = {}
    for shape, kind in _POLICY_KINDS.items():
        handlers[f"Create{shape}"] = _creating_policy(store, shape, kind)
        handlers[f"Get{shape}"] = _getting_policy(store, shape, kind)
        handlers[f"Delete{shape}"] = _deleting_policy(store, shape, kind)
        handlers[f"List{shape[:-1]}ies"] = _listing_policies(store, shape, kind)
    return handlers


def _policy(shape: str, policy_id: str, config: dict[str, Any]) -> dict[str, Any]:
    return {"Id": policy_id, "LastModifiedTime": datetime.now(UTC), f"{shape}Config": config}


def _creating_policy(
    store: Distributions, shape: str, kind: str
) -> Callable[[dict[str, Any]], Any]:
    def create(params: dict[str, Any]) -> dict[str, Any]:
        config = params[f"{shape}Config"]
        policy_id, etag = store.create_policy(kind, config)
        return {
            shape: _policy(shape, policy_id, config),
            "ETag": etag,
            "Location": f"https://cloudfront.amazonaws.com/2020-05-31/{kind}-policy/{policy_id}",
        }

    return create


def _getting_policy(store: Distributions, shape: str, kind: str) -> Callable[[dict[str, Any]], Any]:
    def get(params: dict[str, Any]) -> dict[str, Any]:
        config = store.get_policy(kind, params["Id"])
        if config is None:
            raise CloudFrontError(f"NoSuch{shape}", f"The {kind} policy does not exist.", 404)
        return {
            shape: _policy(shape, params["Id"], config),
            "ETag": "E" + params["Id"].replace("-", "")[:13].upper(),
        }

    return get


def _deleting_policy(
    store: Distributions, shape: str, kind: str
) -> Callable[[dict[str, Any]], Any]:
    def delete(params: dict[str, Any]) -> None:
        if not store.delete_policy(kind, params["Id"]):
            raise CloudFrontError(f"NoSuch{shape}", f"The {kind} policy does not exist.", 404)

    return delete


def _listing_policies(
    store: Distributions, shape: str, kind: str
) -> Callable[[dict[str, Any]], Any]:
    """The account's own policies, in one page; AWS's managed ones (whose configurations are
    not kept here) are not listed."""

    def listing(params: dict[str, Any]) -> dict[str, Any]:
        custom = {} if params.get("Type") == "managed" else store.custom_policies(kind)
        items = [
            {"Type": "custom", shape: _policy(shape, policy_id, config)}
            for policy_id, config in custom.items()
        ]
        return {
            f"{shape}List": {
                "MaxItems": _int(params.get("MaxItems")) or max(len(items), 1),
                "Quantity": len(items),
                "Items": items,
            }
        }

    return listing


def _int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


class FaithfulCloudFront:
    """WSGI middleware: our CloudFront operations answered here, everything else by moto."""

    def __init__(
        self,
        application: WsgiApplication,
        store: Distributions | None = None,
        trail: ManagementEvents | None = None,
    ) -> None:
        self._application = application
        self.store = store or Distributions()
        # Each call that changed something, as CloudTrail records it.
        self._trail = trail or ManagementEvents()
        self._handlers = {**_distribution_handlers(self.store), **_policy_handlers(self.store)}
        self._routes = _routes(self._handlers)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if _CLOUDFRONT_SCOPE not in str(environ.get("HTTP_AUTHORIZATION", "")):
            return self._application(environ, start_response)
        request = Request(environ)
        found = self._match(request)
        if found is None:
            return self._application(environ, start_response)
        route, url_params = found
        params = RestXMLParser(route.operation).parse(
            {
                "method": request.method,
                "values": request.args,
                "headers": request.headers,
                "body": request.get_data(),
                "url_path": request.path,
                "url_params": url_params,
            }
        )
        try:
            result = self._handlers[route.operation.name](params)
        except CloudFrontError as error:
            return _error(error, start_response)
        self._trail.record(
            route.operation.name,
            params,
            result,
            access_key_of(str(environ.get("HTTP_AUTHORIZATION", ""))),
        )
        answer = RestXMLSerializer(route.operation).serialize(result or {})
        status = HTTPStatus(int(answer["status_code"]))
        body = answer["body"]
        encoded = body.encode() if isinstance(body, str) else bytes(body)
        headers = [(name, str(value)) for name, value in answer["headers"].items()]
        headers += [("Content-Length", str(len(encoded))), ("x-amz-request-id", str(uuid.uuid4()))]
        if encoded and not any(name.lower() == "content-type" for name, _ in headers):
            headers.append(("Content-Type", "text/xml"))
        start_response(f"{status.value} {status.phrase}", headers)
        return [encoded]

    def _match(self, request: Request) -> tuple[_Route, dict[str, str]] | None:
        for route in self._routes:
            if route.method != request.method:
                continue
            matched = route.path.match(request.path)
            if matched is None:
                continue
            if all(
                key in request.args and (not value or request.args[key] == value)
                for key, value in route.query.items()
            ):
                return route, matched.groupdict()
        return None


def _error(error: CloudFrontError, start_response: Any) -> Iterable[bytes]:
    body = (
        '<?xml version="1.0"?>'
        '<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">'
        f"<Error><Type>Sender</Type><Code>{escape(error.code)}</Code>"
        f"<Message>{escape(error.message)}</Message></Error>"
        f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    ).encode()
    status = HTTPStatus(error.status)
    start_response(
        f"{status.value} {status.phrase}",
        [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))],
    )
    return [body]
