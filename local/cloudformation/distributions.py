"""The bootstrap stack's CloudFront resources in the emulated CloudFront (local/cloudfront):
its origin access control, response headers policy and web distribution, from their
resources in the template, as CloudFormation would create them (the distribution tagged with
its stack and logical id, which is how the config vault knows a stack owns it). On a restored
state (`--persist`) they are found again, as CloudFormation finds its stack's resources: the
origin access control and the policy by name, the distribution by its stack's tags.

CloudFormation's `DistributionConfig` writes lists as lists; CloudFront's API wraps each as
`{"Quantity": n, "Items": [...]}` and names a few fields otherwise: `api_distribution_config`
turns one into the other.
"""

from collections.abc import Mapping
from typing import Any

import boto3

from local.cloudformation.stack import LocalCloud
from stacks.intrinsics import resolve
from stacks.templates import BOOTSTRAP_TEMPLATE, load_template, resources_of_type

CLOUDFRONT_REGION = "us-east-1"
# CloudFormation's names for the API's.
_RENAMED = {
    "IPV6Enabled": "IsIPV6Enabled",
    "OriginCustomHeaders": "CustomHeaders",
    "OriginSSLProtocols": "OriginSslProtocols",
    "Locations": "Items",
}
# Lists CloudFront's API wraps as {Quantity, Items} (under their API names).
_WRAPPED = frozenset(
    {
        "Aliases",
        "Origins",
        "CacheBehaviors",
        "CustomErrorResponses",
        "FunctionAssociations",
        "LambdaFunctionAssociations",
        "CustomHeaders",
        "OriginSslProtocols",
        "TrustedSigners",
        "TrustedKeyGroups",
    }
)
# The API's string fields CloudFormation writes as numbers.
_STRINGS = frozenset({"ResponseCode"})


def create_cloudfront_resources(
    cloud: LocalCloud, references: dict[str, str], attributes: dict[str, str]
) -> None:
    """Create (or find, on a restored state) the bootstrap template's origin access controls,
    response headers policies and distributions; record their ids."""
    template = load_template(BOOTSTRAP_TEMPLATE)
    cloudfront = boto3.client("cloudfront", region_name=CLOUDFRONT_REGION)
    stack = f"shop-{cloud.stage}-bootstrap"

    def properties(resource: Mapping[str, Any]) -> dict[str, Any]:
        scope = cloud.scope(BOOTSTRAP_TEMPLATE, references, attributes)
        resolved: dict[str, Any] = resolve(resource.get("Properties", {}), scope)
        return resolved

    def record(logical_id: str, physical_id: str) -> None:
        references[logical_id] = attributes[f"{logical_id}.Id"] = physical_id

    for logical_id, control in resources_of_type(
        template, "AWS::CloudFront::OriginAccessControl"
    ).items():
        request = properties(control)
        listed = cloudfront.list_origin_access_controls()["OriginAccessControlList"]
        record(
            logical_id,
            _named(listed.get("Items", []), request["OriginAccessControlConfig"]["Name"])
            or cloudfront.create_origin_access_control(**request)["OriginAccessControl"]["Id"],
        )
    for logical_id, policy in resources_of_type(
        template, "AWS::CloudFront::ResponseHeadersPolicy"
    ).items():
        request = properties(policy)
        listed = cloudfront.list_response_headers_policies(Type="custom")
        summaries = listed["ResponseHeadersPolicyList"].get("Items", [])
        record(
            logical_id,
            _named(
                [summary["ResponseHeadersPolicy"] for summary in summaries],
                request["ResponseHeadersPolicyConfig"]["Name"],
                "ResponseHeadersPolicyConfig",
            )
            or cloudfront.create_response_headers_policy(**request)["ResponseHeadersPolicy"]["Id"],
        )
    for logical_id, distribution in resources_of_type(
        template, "AWS::CloudFront::Distribution"
    ).items():
        tags = {"aws:cloudformation:stack-name": stack, "aws:cloudformation:logical-id": logical_id}
        references[logical_id] = _tagged_distribution(cloudfront, tags) or _create_distribution(
            cloudfront,
            api_distribution_config(
                properties(distribution)["DistributionConfig"], f"{stack}-{logical_id}"
            ),
            tags,
        )


def _named(items: list[dict[str, Any]], name: str, config_key: str | None = None) -> str | None:
    """The id of the item named `name` (in its `config_key` when the name is there)."""
    for item in items:
        if (item[config_key] if config_key else item)["Name"] == name:
            return str(item["Id"])
    return None


def _tagged_distribution(cloudfront: Any, tags: Mapping[str, str]) -> str | None:
    """The distribution carrying all of `tags` (its stack's and logical id's), if any: how a
    restored state's distribution is found again rather than created twice."""
    for page in cloudfront.get_paginator("list_distributions").paginate():
        for summary in page["DistributionList"].get("Items", []):
            listed = cloudfront.list_tags_for_resource(Resource=summary["ARN"])["Tags"]
            held = {tag["Key"]: tag.get("Value") for tag in listed.get("Items", [])}
            if tags.items() <= held.items():
                return str(summary["Id"])
    return None


def _create_distribution(cloudfront: Any, config: dict[str, Any], tags: Mapping[str, str]) -> str:
    created = cloudfront.create_distribution_with_tags(
        DistributionConfigWithTags={
            "DistributionConfig": config,
            "Tags": {"Items": [{"Key": key, "Value": value} for key, value in tags.items()]},
        }
    )
    return str(created["Distribution"]["Id"])


def api_distribution_config(properties: Mapping[str, Any], caller_reference: str) -> dict[str, Any]:
    """CloudFormation's `DistributionConfig` as CloudFront's API takes it."""
    config: dict[str, Any] = _api_shape(properties)
    behaviors = [config["DefaultCacheBehavior"], *config.get("CacheBehaviors", {}).get("Items", [])]
    for behavior in behaviors:
        _methods(behavior)
    return {"CallerReference": caller_reference, "Comment": "", **config}


def _api_shape(value: Any) -> Any:
    if isinstance(value, Mapping):
        shaped: dict[str, Any] = {}
        for key, item in value.items():
            name = _RENAMED.get(str(key), str(key))
            item = _api_shape(item)
            if name in _STRINGS:
                item = str(item)
            if name in _WRAPPED and isinstance(item, list):
                item = {"Quantity": len(item), "Items": item} if item else {"Quantity": 0}
            shaped[name] = item
        if "Items" in shaped and "RestrictionType" in shaped:  # a GeoRestriction's locations
            shaped["Quantity"] = len(shaped["Items"])
        return shaped
    if isinstance(value, list):
        return [_api_shape(item) for item in value]
    return value


def _methods(behavior: dict[str, Any]) -> None:
    """CloudFormation's `AllowedMethods` and `CachedMethods` lists as the API's one field."""
    allowed = behavior.pop("AllowedMethods", ["GET", "HEAD"])
    cached = behavior.pop("CachedMethods", ["GET", "HEAD"])
    behavior["AllowedMethods"] = {
        "Quantity": len(allowed),
        "Items": allowed,
        "CachedMethods": {"Quantity": len(cached), "Items": cached},
    }
