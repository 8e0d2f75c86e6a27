"""What a configuration refers to outside itself: each must still exist before the vault
puts the configuration back, or CloudFront refuses it (or worse, serves without it)."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ReferenceKind(StrEnum):
    ORIGIN_ACCESS_CONTROL = "origin access control"
    CACHE_POLICY = "cache policy"
    ORIGIN_REQUEST_POLICY = "origin request policy"
    RESPONSE_HEADERS_POLICY = "response headers policy"
    FUNCTION = "CloudFront function"
    LAMBDA_EDGE = "Lambda@Edge function version"
    CERTIFICATE = "certificate"


@dataclass(frozen=True)
class Reference:
    kind: ReferenceKind
    # The id or ARN the configuration names.
    target: str
    # Where in the configuration (dotted, as CloudFront's fields are named).
    field: str


_BEHAVIOR_POLICIES = {
    "CachePolicyId": ReferenceKind.CACHE_POLICY,
    "OriginRequestPolicyId": ReferenceKind.ORIGIN_REQUEST_POLICY,
    "ResponseHeadersPolicyId": ReferenceKind.RESPONSE_HEADERS_POLICY,
}


def references(config: Mapping[str, Any]) -> list[Reference]:
    """Every outside resource `config` names, each with the field that names it."""
    return [*_origin_references(config), *_behavior_references(config), *_certificate(config)]


def _origin_references(config: Mapping[str, Any]) -> Iterator[Reference]:
    for index, origin in enumerate(_items(config.get("Origins"))):
        control = origin.get("OriginAccessControlId")
        if control:
            yield Reference(
                ReferenceKind.ORIGIN_ACCESS_CONTROL,
                control,
                f"Origins.Items.{index}.OriginAccessControlId",
            )


def _behavior_references(config: Mapping[str, Any]) -> Iterator[Reference]:
    behaviors = [("DefaultCacheBehavior", config.get("DefaultCacheBehavior") or {})]
    behaviors += [
        (f"CacheBehaviors.Items.{index}", behavior)
        for index, behavior in enumerate(_items(config.get("CacheBehaviors")))
    ]
    for where, behavior in behaviors:
        for field, kind in _BEHAVIOR_POLICIES.items():
            if behavior.get(field):
                yield Reference(kind, behavior[field], f"{where}.{field}")
        for index, association in enumerate(_items(behavior.get("FunctionAssociations"))):
            yield Reference(
                ReferenceKind.FUNCTION,
                association["FunctionARN"],
                f"{where}.FunctionAssociations.Items.{index}.FunctionARN",
            )
        for index, association in enumerate(_items(behavior.get("LambdaFunctionAssociations"))):
            yield Reference(
                ReferenceKind.LAMBDA_EDGE,
                association["LambdaFunctionARN"],
                f"{where}.LambdaFunctionAssociations.Items.{index}.LambdaFunctionARN",
            )


def _certificate(config: Mapping[str, Any]) -> Iterator[Reference]:
    certificate = (config.get("ViewerCertificate") or {}).get("ACMCertificateArn")
    if certificate:
        yield Reference(
            ReferenceKind.CERTIFICATE, certificate, "ViewerCertificate.ACMCertificateArn"
        )


def _items(wrapper: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    return list((wrapper or {}).get("Items") or [])
