"""S3's check of Signature Version 4 at the local stack's /s3/ (local/s3/signatures.py):
requests signed by botocore's own signers, as the functions' boto3 signs them."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from local.s3.signatures import S3RefusalError, verify

ACCESS_KEY = "local"
SECRET_KEY = "the-stacks-secret"
OBJECT_URL = "http://127.0.0.1:8000/s3/shop-dev-product-images/images/a%20b.png"


def received(prepared: AWSRequest) -> Request:
    """The request as the local stack's server receives it."""
    url = urlsplit(prepared.url)
    builder = EnvironBuilder(
        method=prepared.method,
        base_url=f"{url.scheme}://{url.netloc}",
        path=url.path,
        query_string=url.query,
        headers=dict(prepared.headers.items()),
        data=prepared.body or b"",
    )
    environ = builder.get_environ()
    environ["RAW_URI"] = url.path + (f"?{url.query}" if url.query else "")
    return Request(environ)


def header_signed(
    method: str = "GET", url: str = OBJECT_URL, body: bytes = b"", secret: str = SECRET_KEY
) -> AWSRequest:
    request = AWSRequest(method=method, url=url, data=body)
    S3SigV4Auth(Credentials(ACCESS_KEY, secret), "s3", "us-east-1").add_auth(request)
    return request.prepare()


def presigned(url: str = OBJECT_URL, expires: int = 60, secret: str = SECRET_KEY) -> AWSRequest:
    request = AWSRequest(method="GET", url=url)
    S3SigV4QueryAuth(Credentials(ACCESS_KEY, secret), "s3", "us-east-1", expires).add_auth(request)
    return request.prepare()


def refusal(request: Request, now: datetime | None = None) -> str:
    with pytest.raises(S3RefusalError) as refused:
        verify(request, ACCESS_KEY, SECRET_KEY, now or datetime.now(UTC))
    return refused.value.code


def test_a_request_the_stacks_credentials_signed_passes() -> None:
    verify(
        received(header_signed("PUT", body=b"picture")), ACCESS_KEY, SECRET_KEY, datetime.now(UTC)
    )


def test_a_presigned_url_passes_until_it_expires() -> None:
    request = received(presigned(expires=60))

    verify(request, ACCESS_KEY, SECRET_KEY, datetime.now(UTC))
    assert refusal(request, datetime.now(UTC) + timedelta(seconds=61)) == "AccessDenied"


def test_an_unsigned_request_is_access_denied() -> None:
    assert refusal(received(AWSRequest(method="GET", url=OBJECT_URL).prepare())) == "AccessDenied"


@pytest.mark.parametrize("signed", [header_signed, presigned])
def test_other_credentials_do_not_match(signed: object) -> None:
    request = signed(secret="local")  # type: ignore[operator]

    assert refusal(received(request)) == "SignatureDoesNotMatch"


def test_a_presigned_url_for_another_key_does_not_match() -> None:
    prepared = presigned()
    prepared.url = prepared.url.replace("a%20b.png", "index.html")

    assert refusal(received(prepared)) == "SignatureDoesNotMatch"


def test_a_body_other_than_the_one_signed_is_refused() -> None:
    prepared = header_signed("PUT", body=b"picture")
    prepared.body = b"something else"

    assert refusal(received(prepared)) == "XAmzContentSHA256Mismatch"


@pytest.mark.parametrize("expires", ["", "soon", "-5"])
def test_a_presigned_url_without_a_lifetime_in_seconds_is_a_400(expires: str) -> None:
    prepared = presigned()
    prepared.url = prepared.url.replace("X-Amz-Expires=60", f"X-Amz-Expires={expires}")

    with pytest.raises(S3RefusalError) as refused:
        verify(received(prepared), ACCESS_KEY, SECRET_KEY, datetime.now(UTC))
    assert (refused.value.status, refused.value.code) == (400, "AuthorizationQueryParametersError")
