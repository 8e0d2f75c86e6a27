"""CloudFront's distributions, policies and tags as CloudFront keeps them.

moto's CloudFront is not faithful enough for the vault (measured with moto 5.2.5): the ETag
never changes, `IfMatch` is ignored, deleting an enabled distribution succeeds, a second
distribution may take an alias already used, and `GetDistributionConfig` drops
`OriginAccessControlId`, `S3OriginConfig` and function associations while inventing legacy
fields. Here each configuration is kept exactly as put (a deep copy of what the request
held), every update has a new ETag, and CloudFront's refusals are CloudFront's:
`PreconditionFailed` (IfMatch is not the current ETag), `InvalidIfMatchVersion` (no IfMatch),
`DistributionNotDisabled` (deleting an enabled or not yet deployed distribution),
`CNAMEAlreadyExists` (an alias another distribution holds), `IllegalUpdate` (a changed
`CallerReference`), `DistributionAlreadyExists` (a reused `CallerReference`),
`NoSuchOrigin` (a behavior aiming at no origin), `NoSuchDistribution`, and the missing
cache, origin request and response headers policies.
"""

import copy
import secrets
import string
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

ACCOUNT_ID = "123456789012"
# AWS's managed policies, present in every account (their ids are documented and fixed).
MANAGED_CACHE_POLICIES = frozenset(
    {
        "658327ea-f89d-4fab-a63d-7e88639e58f6",  # CachingOptimized
        "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",  # CachingDisabled
        "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",  # CachingOptimizedForUncompressedObjects
        "08627262-05a9-4f76-9ded-b50ca2e3a84f",  # Elemental-MediaPackage
        "83da9c7e-98b4-4e11-a168-04f0df8e2c65",  # UseOriginCacheControlHeaders
    }
)
MANAGED_ORIGIN_REQUEST_POLICIES = frozenset(
    {
        "216adef6-5c7f-47e4-b989-5492eafa07d3",  # AllViewer
        "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",  # CORS-S3Origin
        "b689b0a8-53d0-40ab-baf2-68738e2966ac",  # AllViewerExceptHostHeader
    }
)
MANAGED_RESPONSE_HEADERS_POLICIES = frozenset(
    {
        "67f7725c-6f97-4210-82d7-5512b31e9d03",  # SecurityHeadersPolicy
        "60669652-455b-4ae9-85a4-c4c02393f86c",  # SimpleCORS
    }
)
POLICY_KINDS = ("cache", "origin-request", "response-headers")
_ID_ALPHABET = string.ascii_uppercase + string.digits


class CloudFrontError(Exception):
    """An error as CloudFront answers it: its code, message and HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def _new_id(length: int = 14) -> str:
    return "E" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length - 1))


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Distribution:
    distribution_id: str
    config: dict[str, Any]
    etag: str
    domain_name: str
    last_modified: datetime
    # InProgress until read once after the change (CloudFront takes minutes; nobody waits here).
    deployed: bool = False
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        return f"arn:aws:cloudfront::{ACCOUNT_ID}:distribution/{self.distribution_id}"

    def described(self) -> dict[str, Any]:
        """A `Distribution` of the API's output; then it counts as deployed."""
        status = "Deployed" if self.deployed else "InProgress"
        self.deployed = True
        return {
            "Id": self.distribution_id,
            "ARN": self.arn,
            "Status": status,
            "LastModifiedTime": self.last_modified,
            "InProgressInvalidationBatches": 0,
            "DomainName": self.domain_name,
            "ActiveTrustedSigners": {"Enabled": False, "Quantity": 0},
            "ActiveTrustedKeyGroups": {"Enabled": False, "Quantity": 0},
            "DistributionConfig": copy.deepcopy(self.config),
        }

    def summary(self) -> dict[str, Any]:
        """A `DistributionSummary` of ListDistributions."""
        config = self.config
        return {
            "Id": self.distribution_id,
            "ARN": self.arn,
            "Status": "Deployed" if self.deployed else "InProgress",
            "LastModifiedTime": self.last_modified,
            "DomainName": self.domain_name,
            **{
                key: copy.deepcopy(config[key])
                for key in (
                    "Aliases",
                    "Origins",
                    "OriginGroups",
                    "DefaultCacheBehavior",
                    "CacheBehaviors",
                    "CustomErrorResponses",
                    "Comment",
                    "PriceClass",
                    "Enabled",
                    "ViewerCertificate",
                    "Restrictions",
                    "WebACLId",
                    "HttpVersion",
                    "IsIPV6Enabled",
                    "Staging",
                )
                if key in config
            },
        }


class Distributions:
    """The account's distributions, their tags and the policies they may name."""

    def __init__(self) -> None:
        self._distributions: dict[str, _Distribution] = {}
        self._policies: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in POLICY_KINDS}
        self._lock = threading.Lock()

    def snapshot(self) -> dict[str, Any]:
        """The store's state as plain data (what `--persist` saves): every distribution as it
        is (configuration, ETag, status, tags) and the policies."""
        with self._lock:
            return {
                "distributions": [asdict(d) for d in self._distributions.values()],
                "policies": copy.deepcopy(self._policies),
            }

    def restore(self, snapshot: Mapping[str, Any]) -> None:
        """The state of a `snapshot`, in place of the store's."""
        with self._lock:
            self._distributions = {
                kept["distribution_id"]: _Distribution(**copy.deepcopy(kept))
                for kept in snapshot["distributions"]
            }
            self._policies = {
                kind: copy.deepcopy(snapshot["policies"].get(kind, {})) for kind in POLICY_KINDS
            }

    def reset(self) -> None:
        with self._lock:
            self._distributions.clear()
            for policies in self._policies.values():
                policies.clear()

    def create(
        self, config: Mapping[str, Any], tags: Mapping[str, str] | None = None
    ) -> tuple[dict[str, Any], str]:
        with self._lock:
            kept = copy.deepcopy(dict(config))
            reference = kept.get("CallerReference")
            for existing in self._distributions.values():
                if existing.config.get("CallerReference") == reference:
                    raise CloudFrontError(
                        "DistributionAlreadyExists",
                        f"The caller reference that you are using to create a distribution is"
                        f" associated with another distribution: {existing.distribution_id}",
                        409,
                    )
            self._check(kept, None)
            distribution = _Distribution(
                distribution_id=_new_id(),
                config=kept,
                etag=_new_id(),
                domain_name=f"{secrets.token_hex(7)}.cloudfront.net",
                last_modified=_now(),
                tags=dict(tags or {}),
            )
            self._distributions[distribution.distribution_id] = distribution
            return distribution.described(), distribution.etag

    def get(self, distribution_id: str) -> tuple[dict[str, Any], str]:
        with self._lock:
            distribution = self._find(distribution_id)
            return distribution.described(), distribution.etag

    def get_config(self, distribution_id: str) -> tuple[dict[str, Any], str]:
        with self._lock:
            distribution = self._find(distribution_id)
            return copy.deepcopy(distribution.config), distribution.etag

    def update(
        self, distribution_id: str, config: Mapping[str, Any], if_match: str | None
    ) -> tuple[dict[str, Any], str]:
        with self._lock:
            distribution = self._find(distribution_id)
            self._check_if_match(distribution, if_match)
            kept = copy.deepcopy(dict(config))
            if kept.get("CallerReference") != distribution.config.get("CallerReference"):
                raise CloudFrontError(
                    "IllegalUpdate", "The CallerReference of a distribution cannot change."
                )
            self._check(kept, distribution_id)
            distribution.config = kept
            distribution.etag = _new_id()
            distribution.last_modified = _now()
            distribution.deployed = False
            return distribution.described(), distribution.etag

    def delete(self, distribution_id: str, if_match: str | None) -> None:
        with self._lock:
            distribution = self._find(distribution_id)
            self._check_if_match(distribution, if_match)
            if distribution.config.get("Enabled") or not distribution.deployed:
                raise CloudFrontError(
                    "DistributionNotDisabled",
                    "The distribution you are trying to delete has not been disabled.",
                    409,
                )
            del self._distributions[distribution_id]

    def listing(self, marker: str | None, max_items: int | None) -> dict[str, Any]:
        """A `DistributionList`, by id, from after `marker`."""
        with self._lock:
            ordered = sorted(self._distributions.values(), key=lambda d: d.distribution_id)
            after = [d for d in ordered if not marker or d.distribution_id > marker]
            size = max_items or 100
            page, rest = after[:size], after[size:]
            listing: dict[str, Any] = {
                "Marker": marker or "",
                "MaxItems": size,
                "IsTruncated": bool(rest),
                "Quantity": len(page),
            }
            if page:
                listing["Items"] = [d.summary() for d in page]
            if rest:
                listing["NextMarker"] = page[-1].distribution_id
            return listing

    def tags(self, arn: str) -> dict[str, str]:
        with self._lock:
            return dict(self._by_arn(arn).tags)

    def tag(self, arn: str, tags: Mapping[str, str]) -> None:
        with self._lock:
            self._by_arn(arn).tags.update(tags)

    def untag(self, arn: str, keys: list[str]) -> None:
        with self._lock:
            distribution = self._by_arn(arn)
            for key in keys:
                distribution.tags.pop(key, None)

    def create_policy(self, kind: str, config: Mapping[str, Any]) -> tuple[str, str]:
        """A cache, origin request or response headers policy: its id and ETag."""
        with self._lock:
            policy_id = secrets.token_hex(16)
            policy_id = "-".join(
                (policy_id[:8], policy_id[8:12], policy_id[12:16], policy_id[16:20], policy_id[20:])
            )
            self._policies[kind][policy_id] = copy.deepcopy(dict(config))
            return policy_id, _new_id()

    def get_policy(self, kind: str, policy_id: str) -> dict[str, Any] | None:
        """The policy's configuration; None if there is no such policy (a managed one: {})."""
        with self._lock:
            if policy_id in _managed(kind):
                return {}
            policy = self._policies[kind].get(policy_id)
            return copy.deepcopy(policy) if policy is not None else None

    def custom_policies(self, kind: str) -> dict[str, dict[str, Any]]:
        """The account's own policies of `kind` (not AWS's managed ones), by id."""
        with self._lock:
            return copy.deepcopy(self._policies[kind])

    def delete_policy(self, kind: str, policy_id: str) -> bool:
        with self._lock:
            return self._policies[kind].pop(policy_id, None) is not None

    def _find(self, distribution_id: str) -> _Distribution:
        distribution = self._distributions.get(distribution_id)
        if distribution is None:
            raise CloudFrontError(
                "NoSuchDistribution", "The specified distribution does not exist.", 404
            )
        return distribution

    def _by_arn(self, arn: str) -> _Distribution:
        for distribution in self._distributions.values():
            if distribution.arn == arn:
                return distribution
        raise CloudFrontError(
            "NoSuchResource", f"The specified resource {arn} does not exist.", 404
        )

    @staticmethod
    def _check_if_match(distribution: _Distribution, if_match: str | None) -> None:
        if not if_match:
            raise CloudFrontError(
                "InvalidIfMatchVersion", "The If-Match version is missing or not valid."
            )
        if if_match != distribution.etag:
            raise CloudFrontError(
                "PreconditionFailed",
                "The precondition given in one or more of the request header fields evaluated"
                " to false.",
                412,
            )

    def _check(self, config: Mapping[str, Any], distribution_id: str | None) -> None:
        """What CloudFront refuses in any configuration it is given."""
        aliases = set(_items(config.get("Aliases")))
        for other in self._distributions.values():
            if other.distribution_id == distribution_id:
                continue
            taken = aliases & set(_items(other.config.get("Aliases")))
            if taken:
                raise CloudFrontError(
                    "CNAMEAlreadyExists",
                    f"One or more of the CNAMEs you provided are already associated with a"
                    f" different resource: {', '.join(sorted(taken))}",
                    409,
                )
        origins = {origin["Id"] for origin in _items(config.get("Origins"))}
        behaviors = [config.get("DefaultCacheBehavior") or {}]
        behaviors += _items(config.get("CacheBehaviors"))
        for behavior in behaviors:
            if behavior.get("TargetOriginId") not in origins:
                raise CloudFrontError(
                    "NoSuchOrigin",
                    f"One or more of your origins or origin groups do not exist:"
                    f" {behavior.get('TargetOriginId')}",
                    404,
                )
            self._check_policies(behavior)

    def _check_policies(self, behavior: Mapping[str, Any]) -> None:
        named = {
            "cache": ("CachePolicyId", "NoSuchCachePolicy"),
            "origin-request": ("OriginRequestPolicyId", "NoSuchOriginRequestPolicy"),
            "response-headers": ("ResponseHeadersPolicyId", "NoSuchResponseHeadersPolicy"),
        }
        for kind, (key, code) in named.items():
            policy_id = behavior.get(key)
            if (
                policy_id
                and policy_id not in _managed(kind)
                and policy_id not in self._policies[kind]
            ):
                raise CloudFrontError(code, f"The {kind} policy {policy_id} does not exist.", 404)


def _managed(kind: str) -> frozenset[str]:
    return {
        "cache": MANAGED_CACHE_POLICIES,
        "origin-request": MANAGED_ORIGIN_REQUEST_POLICIES,
        "response-headers": MANAGED_RESPONSE_HEADERS_POLICIES,
    }[kind]


def _items(wrapper: Mapping[str, Any] | None) -> list[Any]:
    return list((wrapper or {}).get("Items") or [])
