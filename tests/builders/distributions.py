"""CloudFront DistributionConfigs as boto3 takes and returns them, for the vault's tests."""

from typing import Any


def s3_origin(origin_id: str, domain: str, control: str | None = None) -> dict[str, Any]:
    origin: dict[str, Any] = {
        "Id": origin_id,
        "DomainName": domain,
        "OriginPath": "",
        "CustomHeaders": {"Quantity": 0},
        "S3OriginConfig": {"OriginAccessIdentity": ""},
        "ConnectionAttempts": 3,
        "ConnectionTimeout": 10,
    }
    if control:
        origin["OriginAccessControlId"] = control
    return origin


def behavior(target: str, path: str | None = None, **extra: Any) -> dict[str, Any]:
    shaped: dict[str, Any] = {
        "TargetOriginId": target,
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": {
            "Quantity": 2,
            "Items": ["GET", "HEAD"],
            "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
        },
        "Compress": True,
        "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        **extra,
    }
    if path is not None:
        shaped["PathPattern"] = path
    return shaped


def distribution_config(
    reference: str = "ref-1",
    *,
    comment: str = "sample",
    aliases: tuple[str, ...] = (),
    origins: tuple[dict[str, Any], ...] | None = None,
    behaviors: tuple[dict[str, Any], ...] = (),
    error_codes: tuple[int, ...] = (),
    enabled: bool = True,
) -> dict[str, Any]:
    """A complete DistributionConfig with one S3 origin unless `origins` says otherwise."""
    origins = origins or (s3_origin("site", "site.s3.eu-west-1.amazonaws.com"),)
    config: dict[str, Any] = {
        "CallerReference": reference,
        "Aliases": {"Quantity": len(aliases), **({"Items": list(aliases)} if aliases else {})},
        "DefaultRootObject": "index.html",
        "Origins": {"Quantity": len(origins), "Items": list(origins)},
        "DefaultCacheBehavior": behavior(origins[0]["Id"]),
        "CacheBehaviors": {
            "Quantity": len(behaviors),
            **({"Items": list(behaviors)} if behaviors else {}),
        },
        "CustomErrorResponses": {
            "Quantity": len(error_codes),
            **(
                {
                    "Items": [
                        {
                            "ErrorCode": code,
                            "ResponseCode": "200",
                            "ResponsePagePath": "/index.html",
                        }
                        for code in error_codes
                    ]
                }
                if error_codes
                else {}
            ),
        },
        "Comment": comment,
        "PriceClass": "PriceClass_100",
        "Enabled": enabled,
        "ViewerCertificate": {"CloudFrontDefaultCertificate": True},
        "HttpVersion": "http2and3",
        "IsIPV6Enabled": True,
    }
    return config


def console_change(console: Any, distribution_id: str, **fields: Any) -> str:
    """An edit as the console makes it (the configuration read, changed, written with its
    ETag) through a boto3 CloudFront client: the new ETag."""
    current = console.get_distribution_config(Id=distribution_id)
    updated = console.update_distribution(
        Id=distribution_id,
        IfMatch=current["ETag"],
        DistributionConfig={**current["DistributionConfig"], **fields},
    )
    etag: str = updated["ETag"]
    return etag
