"""What moto's CloudFormation lacks for IAM:
- a role's inline policy kept as its JSON text, as IAM's PutRolePolicy keeps it (moto kept the
  template's dict, which its access control cannot read: KeyError 'policy_document', a 500 for
  every call made with the role's credentials);
- a managed policy's update (moto has none: the stack lost the policy);
- the whole of a role's update (moto changed its description only, so a changed trust policy,
  inline policy, managed policy or boundary was never enforced);
- a role's deletion with managed policies attached (moto refused it: DeleteConflict)."""

import json
from collections.abc import Callable
from typing import Any

from moto.iam.models import ManagedPolicy, Role, iam_backends
from moto.utilities.utils import get_partition

MANAGED_POLICY_VERSIONS = 5  # IAM keeps at most five versions of a managed policy


def _update_managed_policy(
    cls: type[ManagedPolicy],
    original_resource: ManagedPolicy,
    new_resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
) -> ManagedPolicy:
    """As CloudFormation changes a managed policy's document: a new default version, the
    oldest other version deleted first when the policy has IAM's five."""
    policy = original_resource
    if len(policy.versions) >= MANAGED_POLICY_VERSIONS:
        oldest = next(v for v in policy.versions if v.version_id != policy.default_version_id)
        policy.backend.delete_policy_version(policy.arn, oldest.version_id)
    document = json.dumps(cloudformation_json["Properties"]["PolicyDocument"])
    policy.backend.create_policy_version(policy.arn, document, set_as_default=True)
    return policy


def _document_text(document: Any) -> str:
    return document if isinstance(document, str) else json.dumps(document)


def _inline_policies_as_documents(put: Callable[[Role, str, str], None]) -> Callable[..., None]:
    def wrapper(self: Role, policy_name: str, policy: Any) -> None:
        put(self, policy_name, _document_text(policy))

    return wrapper


def _update_role(
    cls: type[Role],
    original_resource: Role,
    new_resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
) -> Role:
    """The role's trust policy, inline policies, managed policies and boundary made what the
    template now says, as IAM's own calls would."""
    backend = iam_backends[account_id][get_partition(region_name)]
    role = original_resource
    properties = cloudformation_json["Properties"]
    role.assume_role_policy_document = _document_text(properties["AssumeRolePolicyDocument"])
    role.description = properties.get("Description", "")
    inline = {
        policy["PolicyName"]: policy["PolicyDocument"] for policy in properties.get("Policies", [])
    }
    for name in set(role.policies) - set(inline):
        role.delete_policy(name)
    for name, document in inline.items():
        role.put_policy(name, document)  # as text: _inline_policies_as_documents
    wanted = set(properties.get("ManagedPolicyArns", []))
    for arn in set(role.managed_policies) - wanted:
        backend.detach_role_policy(arn, role.name)
    for arn in wanted - set(role.managed_policies):
        backend.attach_role_policy(arn, role.name)
    boundary = properties.get("PermissionsBoundary")
    if boundary:
        backend.put_role_permissions_boundary(role.name, boundary)
    elif role.permissions_boundary:
        backend.delete_role_permissions_boundary(role.name)
    return role


def _delete_role(delete: Any) -> Any:
    """The role's managed policies detached first, as CloudFormation's role handler does."""

    def wrapper(
        cls: type[Role],
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> None:
        backend = iam_backends[account_id][get_partition(region_name)]
        for role in [role for role in backend.roles.values() if role.name == resource_name]:
            for arn in list(role.managed_policies):
                backend.detach_role_policy(arn, role.name)
        delete(resource_name, cloudformation_json, account_id, region_name)

    return wrapper


def install() -> None:
    Role.put_policy = _inline_policies_as_documents(Role.put_policy)  # type: ignore[method-assign]
    Role.delete_from_cloudformation_json = classmethod(  # type: ignore[method-assign,assignment]
        _delete_role(Role.delete_from_cloudformation_json)
    )
    ManagedPolicy.update_from_cloudformation_json = classmethod(_update_managed_policy)  # type: ignore[method-assign,assignment]
    Role.update_from_cloudformation_json = classmethod(_update_role)  # type: ignore[method-assign,assignment]
