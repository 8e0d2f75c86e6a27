"""An account's CloudFront distributions in memory, answering a real boto3 client at the HTTP
layer (botocore's `before-send` event) in CloudFront's own XML: so the vault's repository,
botocore's parsing and its retries (backoff on `Throttling`) run as they do in Lambda, and
every request is counted by API, throttled ones too. It answers the three reads a detection
run makes (ListDistributions, GetDistribution, ListTagsForResource).

The XML of a configuration is botocore's own serialization of it (as CreateDistributionWithTags
sends it), built once per configuration."""

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
from botocore.serialize import create_serializer

from shop_common.dynamodb import CLIENT_CONFIG

ENDPOINT = "https://cloudfront.bench.invalid"
NAMESPACE = "http://cloudfront.amazonaws.com/doc/2020-05-31/"
MAX_ITEMS = 100  # CloudFront's page of ListDistributions
MODIFIED = "2026-12-06T12:00:00Z"
# Whether CloudFront answers this request (by API name) with `Throttling`.
type Throttle = Callable[[str], bool]


def never(_: str) -> bool:
    return False


@dataclass(frozen=True)
class _Stored:
    etag: str
    header_xml: str  # what a summary and a distribution say first: its id, ARN, status...
    config_xml: str
    summary_xml: str
    tags_xml: str


class _Body:
    """The raw stream botocore reads a response from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


class InMemoryCloudFront:
    def __init__(self) -> None:
        self.client = boto3.client(
            "cloudfront",
            region_name="us-east-1",
            endpoint_url=ENDPOINT,
            config=CLIENT_CONFIG,
            aws_access_key_id="bench",
            aws_secret_access_key="bench",  # noqa: S106 - never leaves this process
        )
        self.client.meta.events.register_first("before-send.cloudfront", self._answer)
        self.calls: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()
        self.throttle: Throttle = never
        self._serializer = create_serializer("rest-xml", include_validation=False)
        model = self.client.meta.service_model
        # What a DistributionSummary repeats of its configuration, in the summary's order.
        configured = model.shape_for("DistributionConfig").members
        self._summary_fields = [
            name for name in model.shape_for("DistributionSummary").members if name in configured
        ]
        self._distributions: dict[str, _Stored] = {}
        self._versions = 0

    def put(self, distribution_id: str, config: Mapping[str, Any], tags: Mapping[str, str]) -> None:
        """Create or update the distribution (a new ETag)."""
        self._versions += 1
        request = self._serializer.serialize_to_request(
            {
                "DistributionConfigWithTags": {
                    "DistributionConfig": config,
                    "Tags": {"Items": [{"Key": k, "Value": v} for k, v in tags.items()]},
                }
            },
            self.client.meta.service_model.operation_model("CreateDistributionWithTags"),
        )
        sent = ET.fromstring(request["body"])  # noqa: S314 - botocore's, made just above
        parts = {_name(child): child for child in sent}
        config = {_name(child): _text(child) for child in parts["DistributionConfig"]}
        header = (
            f"<Id>{distribution_id}</Id><ARN>{_arn(distribution_id)}</ARN><Status>Deployed"
            f"</Status><LastModifiedTime>{MODIFIED}</LastModifiedTime><DomainName>"
            f"{distribution_id.lower()}.cloudfront.net</DomainName>"
        )
        summary = "".join(config.get(name, "") for name in self._summary_fields)
        self._distributions[distribution_id] = _Stored(
            etag=f"E{self._versions:013d}",
            header_xml=header,
            config_xml=_text(parts["DistributionConfig"]),
            summary_xml=f"<DistributionSummary>{header}{summary}</DistributionSummary>",
            tags_xml="".join(_text(child) for child in parts["Tags"]),
        )

    def delete(self, distribution_id: str) -> None:
        del self._distributions[distribution_id]

    def reset_counts(self) -> None:
        self.calls.clear()
        self.throttled.clear()

    def _answer(self, request: Any, event_name: str, **_: Any) -> AWSResponse:
        operation = event_name.rsplit(".", 1)[-1]
        self.calls[operation] += 1
        if self.throttle(operation):
            self.throttled[operation] += 1
            return _error(request.url, 400, "Throttling", "Rate exceeded")
        url = urlsplit(request.url)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        if operation == "ListDistributions":
            return self._list(request.url, query.get("Marker", ""))
        distribution_id = (
            query["Resource"].rsplit("/", 1)[-1]
            if operation == "ListTagsForResource"
            else url.path.rsplit("/", 1)[-1]
        )
        stored = self._distributions.get(distribution_id)
        if stored is None:
            return _error(request.url, 404, "NoSuchDistribution", "No such distribution")
        if operation == "GetDistribution":
            return _xml(
                request.url,
                "Distribution",
                f"{stored.header_xml}<InProgressInvalidationBatches>0"
                f"</InProgressInvalidationBatches>{stored.config_xml}",
                {"ETag": stored.etag},
            )
        return _xml(request.url, "Tags", stored.tags_xml)

    def _list(self, url: str, marker: str) -> AWSResponse:
        ids = sorted(i for i in self._distributions if i > marker)
        page, truncated = ids[:MAX_ITEMS], len(ids) > MAX_ITEMS
        items = "".join(self._distributions[i].summary_xml for i in page)
        next_marker = f"<NextMarker>{page[-1]}</NextMarker>" if truncated else ""
        return _xml(
            url,
            "DistributionList",
            f"<Marker>{marker}</Marker>{next_marker}<MaxItems>{MAX_ITEMS}</MaxItems>"
            f"<IsTruncated>{str(truncated).lower()}</IsTruncated><Quantity>{len(page)}"
            f"</Quantity><Items>{items}</Items>",
        )


def _arn(distribution_id: str) -> str:
    return f"arn:aws:cloudfront::123456789012:distribution/{distribution_id}"


def _name(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _text(element: ET.Element) -> str:
    """The element as XML without its namespace (the response's root declares it)."""
    ET.register_namespace("", NAMESPACE)
    return ET.tostring(element, encoding="unicode").replace(f' xmlns="{NAMESPACE}"', "")


def _xml(
    url: str, root: str, content: str, headers: Mapping[str, str] | None = None
) -> AWSResponse:
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns="{NAMESPACE}">{content}</{root}>'
    )
    return AWSResponse(url, 200, _headers(headers or {}), _Body(document.encode()))


def _error(url: str, status: int, code: str, message: str) -> AWSResponse:
    body = (
        f'<?xml version="1.0"?><ErrorResponse xmlns="{NAMESPACE}"><Error><Type>Sender</Type>'
        f"<Code>{code}</Code><Message>{message}</Message></Error>"
        "<RequestId>bench</RequestId></ErrorResponse>"
    )
    return AWSResponse(url, status, _headers({}), _Body(body.encode()))


def _headers(extra: Mapping[str, str]) -> HTTPHeaders:
    headers = HTTPHeaders()
    for name, value in {"Content-Type": "text/xml", **extra}.items():
        headers[name] = value
    return headers
