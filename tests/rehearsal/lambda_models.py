"""What moto's CloudFormation lacks for the functions' published versions and aliases (SAM's
AutoPublishAlias): a version answers Ref (its ARN) and Fn::GetAtt, and an alias is created,
moved and deleted in moto's Lambda; and for layer versions, which CloudFormation replaces
(a layer version is immutable) and moto could neither replace, delete nor Ref."""

from contextlib import suppress
from typing import Any

from moto.awslambda.exceptions import UnknownFunctionException
from moto.awslambda.models import LambdaVersion, LayerVersion, lambda_backends
from moto.awslambda.utils import split_layer_arn
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

    def delete(self, account_id: str, region_name: str) -> None:
        """Deleted by what it was made with (the template's FunctionName is a `Ref`, which a
        stack's deletion does not resolve); an alias goes with its function."""
        with suppress(UnknownFunctionException):
            self.backend.delete_alias(self.name, self.function_name)

    def is_created(self) -> bool:
        return True


def _delete_version(arn: str, account_id: str, region_name: str) -> None:
    layer = split_layer_arn(arn)
    lambda_backends[account_id][region_name].delete_layer_version(layer.layer_name, layer.version)


def _delete_layer_version(
    cls: type[LayerVersion],
    resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
) -> None:
    """The version by its ARN (its physical id), unless the resource says to retain it (moto
    deleted nothing; and it ignores Retain on a resource an update removes from a template)."""
    if cloudformation_json.get("DeletionPolicy") != "Retain":
        _delete_version(resource_name, account_id, region_name)


def _replace_layer_version(
    cls: type[LayerVersion],
    original_resource: LayerVersion,
    new_resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
) -> LayerVersion:
    """A new version of the layer, then the old one deleted unless UpdateReplacePolicy keeps
    it: every property of a layer version requires replacement."""
    replacement: LayerVersion = cls.create_from_cloudformation_json(
        new_resource_name, cloudformation_json, account_id, region_name
    )
    if cloudformation_json.get("UpdateReplacePolicy") != "Retain":
        _delete_version(original_resource.arn, account_id, region_name)
    return replacement


def _layer_versions_are_replaced() -> None:
    """Ref is the version's ARN (moto's Ref gave the model object, which a function's Layers
    then failed on); the name is the LayerName property (moto named it after the stack)."""
    LayerVersion.physical_resource_id = property(lambda self: self.arn)  # type: ignore[attr-defined]
    LayerVersion.cloudformation_name_type = staticmethod(lambda: "LayerName")  # type: ignore[method-assign]
    LayerVersion.update_from_cloudformation_json = classmethod(_replace_layer_version)  # type: ignore[method-assign,assignment]
    LayerVersion.delete_from_cloudformation_json = classmethod(_delete_layer_version)  # type: ignore[method-assign,assignment]


def install() -> None:
    _versions_answer_ref_and_getatt()
    _layer_versions_are_replaced()
