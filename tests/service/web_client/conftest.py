"""The stage the web client is published to, in moto: exports, bucket and distribution."""

import json
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

REGION = "eu-west-1"
STAGE = "dev"
API_URL = "https://abc123.execute-api.eu-west-1.amazonaws.com/dev"
USER_POOL_ID = "eu-west-1_AbCdEf123"
USER_POOL_CLIENT_ID = "1example23456789"
# Enough exports of other stacks that ours are not all on ListExports' first page (100).
OTHER_EXPORTS = 120


@dataclass(frozen=True)
class Stage:
    bucket: str
    distribution_id: str
    s3: Any
    cloudfront: Any


def _distribution(cloudfront: Any) -> str:
    origin = {
        "Id": "web",
        "DomainName": "web.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    response = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "web-client-tests",
            "Comment": "web client",
            "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [origin]},
            "DefaultCacheBehavior": {"TargetOriginId": "web", "ViewerProtocolPolicy": "https-only"},
        }
    )
    return str(response["Distribution"]["Id"])


def _output(value: Any, export: str) -> dict[str, Any]:
    return {"Value": value, "Export": {"Name": export}}


def deploy_stage_stacks(cloudformation: Any, distribution_id: str) -> None:
    """A stack exporting what bootstrap and api export, created after unrelated exports."""
    others = {
        f"Other{n}": _output(f"value-{n}", f"other-stack-Value{n}") for n in range(OTHER_EXPORTS)
    }
    other_template = {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}, "Outputs": others}
    cloudformation.create_stack(StackName="other-stack", TemplateBody=json.dumps(other_template))
    prefix = f"shop-{STAGE}-"
    template = {
        "Resources": {"WebBucket": {"Type": "AWS::S3::Bucket"}},
        "Outputs": {
            "WebBucketName": _output({"Ref": "WebBucket"}, f"{prefix}WebBucketName"),
            "WebDistributionId": _output(distribution_id, f"{prefix}WebDistributionId"),
            "ApiUrl": _output(API_URL, f"{prefix}ApiUrl"),
            "UserPoolId": _output(USER_POOL_ID, f"{prefix}UserPoolId"),
            "UserPoolClientId": _output(USER_POOL_CLIENT_ID, f"{prefix}UserPoolClientId"),
            "Currency": _output("EUR", f"{prefix}Currency"),
        },
    }
    cloudformation.create_stack(StackName=f"shop-{STAGE}", TemplateBody=json.dumps(template))


@pytest.fixture
def stage(aws: None) -> Stage:
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    cloudfront = boto3.client("cloudfront", region_name=REGION)
    distribution_id = _distribution(cloudfront)
    deploy_stage_stacks(cloudformation, distribution_id)
    resources = cloudformation.describe_stack_resources(StackName=f"shop-{STAGE}")
    bucket = resources["StackResources"][0]["PhysicalResourceId"]
    return Stage(bucket, distribution_id, boto3.client("s3", region_name=REGION), cloudfront)
