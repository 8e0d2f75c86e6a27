"""What moto's CloudFormation lacks for the functions' published versions and aliases (SAM's
AutoPublishAlias): a version answers Ref (its ARN) and Fn::GetAtt, and an alias is created,
moved and deleted in moto's Lambda."""

from typing import Any

from moto.awslambda.models import LambdaVersion, lambda_backends
from moto.core.common_models import CloudFormationModel


def _versions_answer_ref_and_getatt() -> None:
    def create(
        cls: type[LambdaVersion],
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> LambdaVersion:
        backend = lambda_backends[account_id][region_name]
        function = backend.publish_version(cloudformation_json["Properties"]["FunctionName"])
        version = LambdaVersion({"Version": str(function.version)})
        version.function_arn = function.function_arn.rsplit(":", 1)[0]  # type: ignore[attr-defined]
        return version

    def attribute(self: LambdaVersion, name: str) -> str:
        return {"Version": self.version, "FunctionArn": self.physical_resource_id}[name]

    LambdaVersion.create_from_cloudformation_json = classmethod(create)  # type: ignore[method-assign,assignment]
    LambdaVersion.physical_resource_id = property(  # type: ignore[attr-defined]
        lambda self: f"{self.function_arn}:{self.version}"
    )
    LambdaVersion.get_cfn_attribute = attribute  # type: ignore[attr-defined]


class FunctionAlias(CloudFormationModel):
    """AWS::Lambda::Alias, made in moto's Lambda; Ref is the alias's ARN."""

    def __init__(self, account_id: str, region_name: str, properties: dict[str, Any]) -> None:
        self.backend = lambda_backends[account_id][region_name]
        self.name = properties["Name"]
        self.function_name = properties["FunctionName"].split(":")[-1]
        self.alias = self.backend.create_alias(
            self.name, self.function_name, properties["FunctionVersion"], "", ""
        )

    @property
    def physical_resource_id(self) -> str:
        return str(self.alias.arn)

    @staticmethod
    def cloudformation_name_type() -> str:
        return "Name"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Lambda::Alias"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> "FunctionAlias":
        return cls(account_id, region_name, cloudformation_json["Properties"])

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: "FunctionAlias",
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> "FunctionAlias":
        properties = cloudformation_json["Properties"]
        original_resource.backend.update_alias(
            original_resource.name,
            original_resource.function_name,
            properties["FunctionVersion"],
            "",
            "",
        )
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> None:
        properties = cloudformation_json["Properties"]
        lambda_backends[account_id][region_name].delete_alias(
            properties["Name"], properties["FunctionName"].split(":")[-1]
        )

    def is_created(self) -> bool:
        return True


def install() -> None:
    _versions_answer_ref_and_getatt()
