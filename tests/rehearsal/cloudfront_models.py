"""AWS::CloudFront::Distribution for the rehearsal: moto's CloudFormation cannot create one, and
the web client's publishing invalidates the distribution bootstrap exports. It is created in
moto's CloudFront with a placeholder configuration (one S3 origin), not the template's: its id
and domain name are real to moto, what it would serve is not modelled."""

from typing import Any

from moto.cloudfront.models import Distribution, cloudfront_backends
from moto.core.common_models import CloudFormationModel


def _backend(account_id: str) -> Any:
    return cloudfront_backends[account_id]["global"]


class PlaceholderDistribution(CloudFormationModel):
    def __init__(self, distribution: Distribution) -> None:
        self.distribution = distribution

    @property
    def physical_resource_id(self) -> str:
        return str(self.distribution.distribution_id)

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFront::Distribution"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in {"DomainName", "Id"}

    def get_cfn_attribute(self, attribute_name: str) -> str:
        if attribute_name == "DomainName":
            return str(self.distribution.domain_name)
        return self.physical_resource_id

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> "PlaceholderDistribution":
        config = {
            "CallerReference": resource_name,
            "Comment": "",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "placeholder",
                        "DomainName": "placeholder.s3.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "placeholder",
                "ViewerProtocolPolicy": "https-only",
            },
        }
        distribution, _, _ = _backend(account_id).create_distribution(config, [])
        return cls(distribution)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: "PlaceholderDistribution",
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> "PlaceholderDistribution":
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> None:
        _backend(account_id).distributions.pop(resource_name, None)

    def is_created(self) -> bool:
        return True
