"""Two sample distributions `make run` creates beside the shop's own, as the console would
create them, so that the config vault has something to keep from the first minute."""

from typing import Any

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"


def _behavior(origin: str, cache_policy: str, path: str | None = None) -> dict[str, Any]:
    behavior: dict[str, Any] = {
        "TargetOriginId": origin,
        "ViewerProtocolPolicy": "redirect-to-https",
        "AllowedMethods": {
            "Quantity": 2,
            "Items": ["GET", "HEAD"],
            "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
        },
        "Compress": True,
        "CachePolicyId": cache_policy,
    }
    if path is not None:
        behavior["PathPattern"] = path
    return behavior


def sample_distributions(stage: str) -> list[dict[str, Any]]:
    """The samples' DistributionConfigs (a documentation site on S3, an API's edge)."""
    docs = {
        "CallerReference": f"shop-{stage}-sample-docs",
        "Comment": "Sample: documentation site",
        "Enabled": True,
        "Aliases": {"Quantity": 1, "Items": [f"docs.{stage}.shop.example"]},
        "DefaultRootObject": "index.html",
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "docs-bucket",
                    "DomainName": f"shop-{stage}-docs.s3.eu-west-1.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": _behavior("docs-bucket", CACHING_OPTIMIZED),
        "CustomErrorResponses": {
            "Quantity": 1,
            "Items": [{"ErrorCode": 404, "ResponseCode": "404", "ResponsePagePath": "/404.html"}],
        },
        "PriceClass": "PriceClass_100",
    }
    api = _behavior("api", CACHING_DISABLED, "/api/*")
    api["OriginRequestPolicyId"] = ALL_VIEWER
    edge = {
        "CallerReference": f"shop-{stage}-sample-edge",
        "Comment": "Sample: an API behind the edge",
        "Enabled": True,
        "Aliases": {"Quantity": 1, "Items": [f"edge.{stage}.shop.example"]},
        "Origins": {
            "Quantity": 2,
            "Items": [
                {
                    "Id": "api",
                    "DomainName": f"api.{stage}.shop.example",
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "https-only",
                    },
                },
                {
                    "Id": "static",
                    "DomainName": f"shop-{stage}-static.s3.eu-west-1.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                },
            ],
        },
        "DefaultCacheBehavior": _behavior("static", CACHING_OPTIMIZED),
        "CacheBehaviors": {"Quantity": 1, "Items": [api]},
        "PriceClass": "PriceClass_All",
    }
    return [docs, edge]
