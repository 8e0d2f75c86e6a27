"""The site's /s3/ (the functions' S3 endpoint) serves what S3 serves: nothing to a request
without a signature of the stack's credentials (no bucket list, no picture keys), a browser's
upload only as its signed policy allows."""

from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.e2e.stack import ApiClient, RunningStack
from tests.e2e.test_catalogue import PNG, post_file, upload_form


@pytest.fixture
def uploaded(admin: ApiClient) -> dict[str, Any]:
    """An upload form whose picture is in the bucket."""
    form = upload_form(admin)
    assert post_file(form, PNG).status_code == 204
    return form


def object_url(form: dict[str, Any]) -> str:
    return f"{form['url']}/{form['fields']['key']}"


@pytest.mark.parametrize("target", ["buckets", "bucket", "object"])
def test_an_unsigned_request_gets_s3s_access_denied(
    stack: RunningStack, uploaded: dict[str, Any], target: str
) -> None:
    # Given a picture in the images bucket
    url = {
        "buckets": f"{stack.base_url}s3/",
        "bucket": uploaded["url"],
        "object": object_url(uploaded),
    }[target]

    # When anyone asks /s3/ for the bucket list, the bucket's keys or the picture, unsigned
    answer = requests.get(url, timeout=10)

    # Then S3's 403 AccessDenied, with no bucket or key in it
    assert answer.status_code == 403
    assert "<Code>AccessDenied</Code>" in answer.text
    assert uploaded["fields"]["key"] not in answer.text


def test_a_request_signed_with_other_credentials_is_refused(
    stack: RunningStack, uploaded: dict[str, Any]
) -> None:
    # Given an S3 client with credentials that are not the stack's
    s3 = boto3.client(
        "s3",
        endpoint_url=f"{stack.base_url}s3",
        region_name=stack.config["region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"max_attempts": 1}),
    )

    # When it lists the images bucket
    bucket = uploaded["url"].rsplit("/", 1)[1]
    with pytest.raises(ClientError) as refused:
        s3.list_objects_v2(Bucket=bucket)

    # Then S3's SignatureDoesNotMatch
    assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
