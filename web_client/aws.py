"""AWS access for publishing: the only module that calls boto3.

Every call turns botocore's errors (`ClientError`, and `BotoCoreError` such as missing
credentials or an unreachable endpoint) into `AwsRefusedError`, naming the operation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from web_client.errors import AwsRefusedError
from web_client.release import SiteObject

if TYPE_CHECKING:  # the stubs are a development dependency only
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_s3 import S3Client

# DeleteObjects takes at most this many keys per call.
DELETE_BATCH = 1000


@contextmanager
def aws_call(operation: str) -> Iterator[None]:
    try:
        yield
    except ClientError as exc:
        raise AwsRefusedError(operation, *_code_and_message(exc)) from exc
    except BotoCoreError as exc:
        raise AwsRefusedError(operation, type(exc).__name__, str(exc)) from exc


def _code_and_message(exc: ClientError) -> tuple[str, str]:
    error = exc.response.get("Error", {})
    return str(error.get("Code", "")), str(error.get("Message", ""))


@dataclass(frozen=True)
class AwsClients:
    region: str
    cloudformation: CloudFormationClient
    s3: S3Client
    cloudfront: Any


def aws_clients(region: str | None) -> AwsClients:
    """Clients for `region`, or for the region the environment or AWS profile configures."""
    session = boto3.Session(region_name=region)
    if not session.region_name:
        raise AwsRefusedError("configuration", "NoRegion", "pass --region or set AWS_REGION")
    return AwsClients(
        region=session.region_name,
        cloudformation=session.client("cloudformation"),
        s3=session.client("s3"),
        cloudfront=session.client("cloudfront"),
    )


def read_exports(cloudformation: CloudFormationClient) -> dict[str, str]:
    """Every CloudFormation export of the account in the client's region, by name."""
    exports: dict[str, str] = {}
    with aws_call("cloudformation:ListExports"):
        for page in cloudformation.get_paginator("list_exports").paginate():
            exports.update({item["Name"]: item["Value"] for item in page.get("Exports", [])})
    return exports


class S3SiteBucket:
    def __init__(self, s3: S3Client, bucket: str) -> None:
        self.s3 = s3
        self.bucket = bucket

    def list_keys(self) -> list[str]:
        keys: list[str] = []
        with aws_call("s3:ListObjectsV2"):
            for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
                keys.extend(item["Key"] for item in page.get("Contents", []))
        return keys

    def read(self, key: str) -> bytes | None:
        try:
            response = self.s3.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NoSuchKey":
                return None
            raise AwsRefusedError(f"s3:GetObject {key}", *_code_and_message(exc)) from exc
        body: bytes = response["Body"].read()
        return body

    def put(self, obj: SiteObject) -> None:
        with aws_call(f"s3:PutObject {obj.key}"):
            self.s3.put_object(
                Bucket=self.bucket,
                Key=obj.key,
                Body=obj.body,
                ContentType=obj.content_type,
                CacheControl=obj.cache_control,
            )

    def delete(self, keys: Sequence[str]) -> None:
        for start in range(0, len(keys), DELETE_BATCH):
            batch = keys[start : start + DELETE_BATCH]
            with aws_call("s3:DeleteObjects"):
                response = self.s3.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
                )
            if errors := response.get("Errors"):
                first = errors[0]
                raise AwsRefusedError(
                    f"s3:DeleteObjects {first.get('Key', '')}",
                    first.get("Code", ""),
                    first.get("Message", ""),
                )


class CloudFrontDistribution:
    def __init__(self, cloudfront: Any, distribution_id: str) -> None:
        self.cloudfront = cloudfront
        self.distribution_id = distribution_id

    def invalidate(self, paths: Sequence[str], reference: str) -> str:
        with aws_call("cloudfront:CreateInvalidation"):
            response = self.cloudfront.create_invalidation(
                DistributionId=self.distribution_id,
                InvalidationBatch={
                    "Paths": {"Quantity": len(paths), "Items": list(paths)},
                    "CallerReference": reference,
                },
            )
        return str(response["Invalidation"]["Id"])
