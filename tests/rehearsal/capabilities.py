"""The capability CloudFormation asks of a template before it creates IAM resources."""

from typing import Any

# The IAM resource types CloudFormation asks a capability for, and the property naming each.
IAM_NAME_PROPERTIES = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
    "AWS::IAM::Policy": None,
    "AWS::IAM::AccessKey": None,
    "AWS::IAM::UserToGroupAddition": None,
}


def required_capability(template: dict[str, Any]) -> str | None:
    """The capability CloudFormation asks of a template's IAM resources, None if it has none."""
    needed = None
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") not in IAM_NAME_PROPERTIES:
            continue
        name_property = IAM_NAME_PROPERTIES[resource["Type"]]
        if name_property and name_property in resource.get("Properties", {}):
            return "CAPABILITY_NAMED_IAM"
        needed = "CAPABILITY_IAM"
    return needed
