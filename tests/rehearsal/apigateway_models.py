"""AWS::ApiGateway::UsagePlan for the rehearsal: moto's CloudFormation cannot create one (it
would be a stand-in, so a change to a plan would change nothing); it is created, changed in
place (same id, as CloudFormation does) and deleted in moto's API Gateway. Ref is its id.
And the account setting's role, cleared as API Gateway clears it."""

from collections.abc import Callable
from typing import Any

from moto.apigateway.models import Account, UsagePlan, apigateway_backends
from moto.core.common_models import CloudFormationModel


def _backend(account_id: str, region_name: str) -> Any:
    return apigateway_backends[account_id][region_name]


def _plan_fields(properties: dict[str, Any]) -> dict[str, Any]:
    """The plan as API Gateway's own API has it, from the resource's properties (numbers
    arrive as CloudFormation's parameter strings)."""
    throttle = properties.get("Throttle", {})
    quota = properties.get("Quota", {})
    return {
        "name": properties.get("UsagePlanName"),
        "description": properties.get("Description"),
        "apiStages": [
            {"apiId": stage["ApiId"], "stage": stage["Stage"]}
            for stage in properties.get("ApiStages", [])
        ],
        "throttle": {
            key: cast(throttle[name])
            for key, name, cast in (
                ("rateLimit", "RateLimit", float),
                ("burstLimit", "BurstLimit", int),
            )
            if name in throttle
        },
        "quota": {
            key: cast(quota[name])
            for key, name, cast in (("limit", "Limit", int), ("period", "Period", str))
            if name in quota
        },
    }


class UsagePlanModel(CloudFormationModel):
    def __init__(self, plan: UsagePlan) -> None:
        self.plan = plan

    @property
    def physical_resource_id(self) -> str:
        return str(self.plan.id)

    @staticmethod
    def cloudformation_name_type() -> str:
        return "UsagePlanName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGateway::UsagePlan"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Id"

    def get_cfn_attribute(self, attribute_name: str) -> str:
        return self.physical_resource_id

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> "UsagePlanModel":
        fields = _plan_fields(cloudformation_json["Properties"])
        return cls(_backend(account_id, region_name).create_usage_plan(fields))

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: "UsagePlanModel",
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> "UsagePlanModel":
        fields = _plan_fields(cloudformation_json["Properties"])
        plan = original_resource.plan
        plan.name, plan.description = fields["name"], fields["description"]
        plan.api_stages, plan.throttle, plan.quota = (
            fields["apiStages"],
            fields["throttle"],
            fields["quota"],
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
        # (resource_name: the plan's id, its physical id)
        _backend(account_id, region_name).delete_usage_plan(resource_name)

    def is_created(self) -> bool:
        return True


def _replace_without_value_clears_the_role(
    apply: Callable[[Account, list[dict[str, Any]]], Account],
) -> Callable[[Account, list[dict[str, Any]]], Account]:
    """UpdateAccount's `replace` of /cloudwatchRoleArn with no value clears the setting (what
    deploy_everything.sh --destroy sends for the region's last stage); moto failed on the
    missing value with a 500."""

    def wrapper(self: Account, operations: list[dict[str, Any]]) -> Account:
        return apply(self, [{"value": None, **operation} for operation in operations])

    return wrapper


def install() -> None:
    Account.apply_patch_operations = _replace_without_value_clears_the_role(  # type: ignore[method-assign]
        Account.apply_patch_operations
    )
