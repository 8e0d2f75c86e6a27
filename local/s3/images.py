"""Product images on the local stack: the images bucket of the bootstrap template, the
browser's presigned POST uploads checked against their signed policy as S3 checks them,
and the bucket served at /images/* as CloudFront serves it.

The functions' S3 endpoint (`AWS_ENDPOINT_URL_S3`) is `/s3` on this server, so the upload
URLs they sign are same-origin for the web client. Every other S3 call is forwarded to the
emulator if it is signed with the stack's credentials (local/s3/signatures.py), as S3 serves
a bucket that is not public: an unsigned request (a bucket list, the pictures' keys) is S3's
403 AccessDenied.
"""

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

import boto3
import requests
from botocore.exceptions import ClientError
from werkzeug.wrappers import Request, Response

from local.cloudformation.stack import LocalCloud
from local.s3.signatures import S3RefusalError, verify

S3_PREFIX = "/s3"
IMAGES_PREFIX = "/images/"
IMAGES_BUCKET = "ProductImagesBucket"  # bootstrap/template.yaml
# Form fields a policy need not name (S3's rule): the signature, the policy, the file.
_UNCHECKED_FIELDS = {"x-amz-signature", "policy", "file"}
_HOP_BY_HOP = {"connection", "transfer-encoding", "content-encoding", "keep-alive", "host"}


def create_images_bucket(
    cloud: LocalCloud, references: dict[str, str], attributes: dict[str, str]
) -> None:
    """Create (or find) the images bucket; record its name and attributes for the exports."""
    name = images_bucket_name(cloud.stage)
    s3 = boto3.client("s3", endpoint_url=_emulator_endpoint())
    try:
        location: Any = {"LocationConstraint": cloud.region}
        s3.create_bucket(Bucket=name, CreateBucketConfiguration=location)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "BucketAlreadyOwnedByYou":
            raise
    references[IMAGES_BUCKET] = name
    attributes[f"{IMAGES_BUCKET}.Arn"] = f"arn:aws:s3:::{name}"
    attributes[f"{IMAGES_BUCKET}.RegionalDomainName"] = regional_domain_name(name, cloud.region)


def images_bucket_name(stage: str) -> str:
    return f"shop-{stage}-product-images"


def regional_domain_name(bucket: str, region: str) -> str:
    """The bucket's `RegionalDomainName`, as S3 names it (the local uploads go to /s3)."""
    return f"{bucket}.s3.{region}.amazonaws.com"


def _emulator_endpoint() -> str:
    # The stack's own calls go to the emulator, not through the functions' /s3 endpoint.
    return os.environ["AWS_ENDPOINT_URL"]


class ImageService:
    """`/s3/...` (the functions' S3 endpoint) and `/images/...` (the site's pictures)."""

    def __init__(self, emulator_url: str, bucket: str, access_key: str, secret_key: str) -> None:
        self._emulator_url = emulator_url.rstrip("/")
        self._bucket = bucket
        self._access_key = access_key
        self._secret_key = secret_key
        self._s3 = boto3.client("s3", endpoint_url=emulator_url)

    def serve_image(self, request: Request) -> Response | None:
        """An image of the bucket, as CloudFront serves it from the `images/*` behaviour;
        None when the bucket holds no such key."""
        key = request.path.lstrip("/")
        try:
            found = self._s3.get_object(Bucket=self._bucket, Key=key)
        except ClientError:
            return None
        body = b"" if request.method == "HEAD" else found["Body"].read()
        return Response(
            body,
            content_type=found.get("ContentType", "application/octet-stream"),
            headers={"Cache-Control": found.get("CacheControl", "no-cache"), "ETag": found["ETag"]},
        )

    def s3(self, request: Request, path: str) -> Response:
        """S3's API under /s3: a browser's POST upload is checked against its policy here;
        anything else goes to the emulator if its signature is the stack's."""
        if request.method == "OPTIONS":
            return _with_cors(Response(status=200))
        if request.method == "POST" and path.strip("/") == self._bucket and request.files:
            try:
                self._accept_upload(request)
            except S3RefusalError as refusal:
                return _with_cors(_s3_error(refusal.status, refusal.code, refusal.message))
            return _with_cors(Response(status=204))
        try:
            verify(request, self._access_key, self._secret_key, datetime.now(UTC))
        except S3RefusalError as refusal:
            return _s3_error(refusal.status, refusal.code, refusal.message)
        return self._forward(request, path)

    def _accept_upload(self, request: Request) -> None:
        fields = {name.lower(): value for name, value in request.form.items()}
        upload = request.files.get("file")
        if upload is None:
            raise S3RefusalError(400, "InvalidArgument", "POST requires exactly one file upload")
        body = upload.read()
        fields["bucket"] = self._bucket
        policy = self._verified_policy(fields)
        check_policy(policy, fields, len(body), datetime.now(UTC))
        self._s3.put_object(
            Bucket=self._bucket,
            Key=fields["key"],
            Body=body,
            ContentType=fields.get("content-type", "binary/octet-stream"),
            CacheControl=fields.get("cache-control", ""),
        )

    def _verified_policy(self, fields: Mapping[str, str]) -> dict[str, Any]:
        encoded = fields.get("policy", "")
        credential = fields.get("x-amz-credential", "").split("/")
        if not encoded or len(credential) != 5:
            raise S3RefusalError(403, "AccessDenied", "a signed policy is required")
        _, date, region, service, _ = credential
        key = f"AWS4{self._secret_key}".encode()
        for part in (date, region, service, "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        expected = hmac.new(key, encoded.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, fields.get("x-amz-signature", "")):
            raise S3RefusalError(403, "SignatureDoesNotMatch", "the policy's signature is wrong")
        policy: dict[str, Any] = json.loads(base64.b64decode(encoded))
        return policy

    def _forward(self, request: Request, path: str) -> Response:
        url = f"{self._emulator_url}{path}"
        if request.query_string:
            url += "?" + request.query_string.decode()
        answer = requests.request(
            request.method,
            url,
            headers={k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP},
            data=request.get_data(),
            timeout=30,
            allow_redirects=False,
        )
        headers = [(k, v) for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP]
        return Response(answer.content, status=answer.status_code, headers=headers)


def check_policy(
    policy: Mapping[str, Any], fields: Mapping[str, str], size: int, now: datetime
) -> None:
    """S3's POST policy rules: not expired, every condition met, every field covered."""
    expiration = datetime.fromisoformat(str(policy["expiration"]).replace("Z", "+00:00"))
    if now >= expiration:
        raise S3RefusalError(403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    covered = set()
    for condition in policy.get("conditions", []):
        if isinstance(condition, dict):
            for name, value in condition.items():
                covered.add(name.lower())
                _require(fields.get(name.lower()) == value, f'["eq", "${name}", "{value}"]')
        elif condition[0] == "content-length-range":
            low, high = int(condition[1]), int(condition[2])
            if size > high:
                raise S3RefusalError(
                    400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"
                )
            if size < low:
                raise S3RefusalError(
                    400, "EntityTooSmall", "Your proposed upload is smaller than the minimum size"
                )
        else:
            operator, name, value = condition
            field = name.lstrip("$").lower()
            covered.add(field)
            actual = fields.get(field, "")
            met = actual == value if operator == "eq" else actual.startswith(value)
            _require(met, json.dumps(condition))
    extra = {
        name
        for name in fields
        if name not in covered | _UNCHECKED_FIELDS and not name.startswith("x-ignore-")
    }
    _require(not extra, f"Extra input fields: {', '.join(sorted(extra))}")


def _require(met: bool, condition: str) -> None:
    if not met:
        message = f"Invalid according to Policy: Policy Condition failed: {condition}"
        raise S3RefusalError(403, "AccessDenied", message)


def _s3_error(status: int, code: str, message: str) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
    )
    return Response(body, status=status, content_type="application/xml")


def _with_cors(response: Response) -> Response:
    # The bucket's CORS rule: any origin may POST (only a signed policy is accepted).
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "POST"
    response.headers["Access-Control-Allow-Headers"] = "*"
    return response
