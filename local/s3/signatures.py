"""S3's check of a request's Signature Version 4, for local/s3/images.py: the emulator takes
any request, signed or not, so `/s3/` checks what S3 checks before passing one on.

A request is signed in its `Authorization` header (the functions' boto3 calls) or in its
query string (a presigned URL: `X-Amz-Signature`, valid `X-Amz-Expires` seconds from
`X-Amz-Date`). The signature is computed again with botocore's signers over what the
request says it signed (its `SignedHeaders`, the path and query as received) and compared.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from werkzeug.wrappers import Request

ALGORITHM = "AWS4-HMAC-SHA256"
_TIMESTAMP = "%Y%m%dT%H%M%SZ"
# S3 refuses a header-signed request whose X-Amz-Date is more than 15 minutes off.
_MAX_SKEW = timedelta(minutes=15)


class S3RefusalError(Exception):
    """S3's error answer: status, code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


ACCESS_DENIED = S3RefusalError(403, "AccessDenied", "Access Denied")


@dataclass(frozen=True)
class _Signed:
    """What a request says about its signature."""

    access_key: str
    date: str
    region: str
    service: str
    signed_headers: list[str]
    signature: str
    timestamp: str


def verify(request: Request, access_key: str, secret_key: str, now: datetime) -> None:
    """Nothing if `request` is signed with these credentials and still valid; else S3's
    refusal (AccessDenied for an unsigned request, as for a bucket that is not public)."""
    if "X-Amz-Signature" in request.args:
        signed = _from_query(request)
        if now >= _parsed_time(signed.timestamp) + _lifetime(request):
            raise S3RefusalError(403, "AccessDenied", "Request has expired")
    elif "Authorization" in request.headers:
        signed = _from_header(request)
        if abs(now - _parsed_time(signed.timestamp)) > _MAX_SKEW:
            raise S3RefusalError(
                403,
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
            )
        _check_payload(request)
    else:
        raise ACCESS_DENIED
    if signed.access_key != access_key:
        raise S3RefusalError(
            403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist."
        )
    expected = _signature(request, signed, Credentials(access_key, secret_key))
    if not hmac.compare_digest(expected, signed.signature):
        raise S3RefusalError(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )


def _from_header(request: Request) -> _Signed:
    algorithm, _, rest = request.headers["Authorization"].partition(" ")
    parts = dict(part.strip().partition("=")[::2] for part in rest.split(",") if "=" in part)
    if algorithm != ALGORITHM or not {"Credential", "SignedHeaders", "Signature"} <= set(parts):
        raise S3RefusalError(
            400, "InvalidArgument", "Only AWS4-HMAC-SHA256 header signatures are supported"
        )
    return _signed(
        parts["Credential"],
        parts["SignedHeaders"],
        parts["Signature"],
        request.headers.get("X-Amz-Date", ""),
    )


def _from_query(request: Request) -> _Signed:
    if request.args.get("X-Amz-Algorithm") != ALGORITHM:
        raise S3RefusalError(
            400,
            "AuthorizationQueryParametersError",
            "X-Amz-Algorithm only supports AWS4-HMAC-SHA256",
        )
    return _signed(
        request.args.get("X-Amz-Credential", ""),
        request.args.get("X-Amz-SignedHeaders", ""),
        request.args.get("X-Amz-Signature", ""),
        request.args.get("X-Amz-Date", ""),
    )


def _signed(credential: str, signed_headers: str, signature: str, timestamp: str) -> _Signed:
    scope = credential.split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise S3RefusalError(400, "AuthorizationHeaderMalformed", "The credential is malformed")
    access_key, date, region, service, _ = scope
    return _Signed(
        access_key, date, region, service, signed_headers.split(";"), signature, timestamp
    )


def _lifetime(request: Request) -> timedelta:
    expires = request.args.get("X-Amz-Expires", "")
    if not expires.isdigit():
        raise S3RefusalError(
            400, "AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds"
        )
    return timedelta(seconds=int(expires))


def _parsed_time(timestamp: str) -> datetime:
    try:
        return datetime.strptime(timestamp, _TIMESTAMP).replace(tzinfo=UTC)
    except ValueError as exc:
        raise S3RefusalError(403, "AccessDenied", "X-Amz-Date is not a valid date") from exc


def _check_payload(request: Request) -> None:
    declared = request.headers.get("X-Amz-Content-SHA256", "")
    if declared.startswith(("UNSIGNED-PAYLOAD", "STREAMING-")):
        return
    if declared != hashlib.sha256(request.get_data()).hexdigest():
        raise S3RefusalError(
            400,
            "XAmzContentSHA256Mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )


def _signature(request: Request, signed: _Signed, credentials: Credentials) -> str:
    """The signature botocore's signer makes for the request as it was received: its path
    and query as sent (S3 signs them without normalizing), its signed headers."""
    raw_path, _, raw_query = request.environ.get("RAW_URI", request.full_path).partition("?")
    query = "&".join(
        pair for pair in raw_query.split("&") if pair.partition("=")[0] != "X-Amz-Signature"
    )
    url = f"http://{request.host}{raw_path}" + (f"?{query}" if query else "")
    headers = {name: request.headers.get(name, "") for name in signed.signed_headers}
    aws_request = AWSRequest(method=request.method, url=url, headers=headers)
    aws_request.context["timestamp"] = signed.timestamp
    signer_type = S3SigV4QueryAuth if "X-Amz-Signature" in request.args else S3SigV4Auth
    signer = signer_type(credentials, signed.service, signed.region)
    canonical = signer.canonical_request(aws_request)
    return str(signer.signature(signer.string_to_sign(aws_request, canonical), aws_request))
