"""The pipelines' CloudFormation roles and the permissions boundary, evaluated with iam-ape.

Each component's role is its pipeline template's managed policies made concrete for one
stage; iam-ape computes its effective permissions, and each test asks whether one request
(action, resource, context keys) is allowed. The escalation steps of a push to main must be
denied; what CloudFormation needs to create, update, roll back and delete each resource type
(the handler permissions of the resource schemas cfn-lint ships) must be allowed.
"""

import pytest

from tests.builders.deployment import (
    STACK_COMPONENTS,
    Stack,
    artifact_bucket,
    bounded_by,
    cloudformation_role,
    expanded_template,
)
from tests.builders.handler_permissions import (
    UNNEEDED,
    handler_permissions,
    iam_action_exists,
    unneeded,
)
from tests.builders.iam import ACCOUNT_ID, REGION

# Only the function stacks create roles (their functions'); API Gateway's logging role is in
# the artifacts stack, which no pipeline deploys.
FUNCTION_COMPONENTS = [name for name in STACK_COMPONENTS if name not in ("bootstrap", "api")]
STAGE = "dev"
BOUNDARY = f"arn:aws:iam::{ACCOUNT_ID}:policy/shop-{STAGE}-permissions-boundary"
OTHER_BOUNDARY = f"arn:aws:iam::{ACCOUNT_ID}:policy/anything-else"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def role_arn(component: str, name: str = "SomeFunctionRole-ABC", stage: str = STAGE) -> str:
    return f"arn:aws:iam::{ACCOUNT_ID}:role/shop-{stage}-{component}-{name}"


def function_arn(component: str, stage: str = STAGE) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:shop-{stage}-{component}-Fn-ABC"


def creating_role(boundary: str | None = BOUNDARY) -> dict[str, str]:
    """The context of an IAM request on a role that carries (or is given) `boundary`."""
    return {} if boundary is None else {"iam:PermissionsBoundary": boundary}


# ---------------------------------------------------------------- item 1: escalation denied
@pytest.mark.parametrize("component", FUNCTION_COMPONENTS)
def test_a_role_without_the_boundary_cannot_be_created(component: str) -> None:
    role = cloudformation_role(component)
    target = role_arn(component)
    assert role.allows("iam:CreateRole", target, creating_role(BOUNDARY))
    assert not role.allows("iam:CreateRole", target, creating_role(None))
    assert not role.allows("iam:CreateRole", target, creating_role(OTHER_BOUNDARY))


@pytest.mark.parametrize("component", FUNCTION_COMPONENTS)
def test_administrator_access_cannot_be_attached(component: str) -> None:
    role = cloudformation_role(component)
    target = role_arn(component)
    admin = {**creating_role(), "iam:PolicyARN": ADMIN}
    assert not role.allows("iam:AttachRolePolicy", target, admin)
    assert not role.allows("iam:AttachRolePolicy", target, {"iam:PolicyARN": ADMIN})


@pytest.mark.parametrize("component", FUNCTION_COMPONENTS)
def test_an_inline_policy_goes_only_on_a_role_that_carries_the_boundary(component: str) -> None:
    role = cloudformation_role(component)
    assert not role.allows("iam:PutRolePolicy", role_arn(component), creating_role(None))
    assert not role.allows("iam:PutRolePolicy", role_arn(component), creating_role(OTHER_BOUNDARY))
    assert role.allows("iam:PutRolePolicy", role_arn(component), creating_role())
    # nor on another component's or another stage's role
    for other in ("orders" if component != "orders" else "products", "pipeline"):
        assert not role.allows("iam:PutRolePolicy", role_arn(other), creating_role())
    assert not role.allows("iam:PutRolePolicy", role_arn(component, stage="prod"), creating_role())


def test_an_inline_star_policy_is_capped_by_the_boundary() -> None:
    # Given a role a commit declares with "Action": "*" and the boundary it must carry
    role = bounded_by(STAGE)
    table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/shop-{STAGE}-bootstrap-OrdersTable-X"
    from_function = {"lambda:SourceFunctionArn": function_arn("orders")}

    # Then it can do nothing to IAM, STS, S3 or other stages' data
    for action, resource in [
        ("iam:CreateRole", "*"),
        ("iam:AttachRolePolicy", role_arn("orders")),
        ("sts:AssumeRole", "*"),
        ("s3:GetObject", "arn:aws:s3:::any-bucket/key"),
        ("lambda:AddPermission", function_arn("products")),
        ("dynamodb:Scan", table.replace(f"shop-{STAGE}-", "shop-prod-")),
    ]:
        assert not role.allows(action, resource, from_function), action
    # And the shop's data only from the shop's own functions, not from whoever the role trusts
    assert role.allows("dynamodb:Scan", table, from_function)
    assert not role.allows("dynamodb:Scan", table, {})


@pytest.mark.parametrize("component", STACK_COMPONENTS)
def test_no_trust_policy_can_be_changed_and_the_boundary_cannot_be_removed(component: str) -> None:
    role = cloudformation_role(component)
    for action, resource in [
        ("iam:UpdateAssumeRolePolicy", role_arn(component)),
        ("iam:DeleteRolePermissionsBoundary", role_arn(component)),
        ("iam:CreatePolicyVersion", BOUNDARY),
        ("iam:SetDefaultPolicyVersion", BOUNDARY),
        ("iam:DeletePolicy", BOUNDARY),
        ("iam:DetachRolePolicy", role_arn("pipeline-orders-CloudFormationRole-X")),
    ]:
        assert not role.allows(action, resource, creating_role()), action
    replaced = creating_role(OTHER_BOUNDARY)
    assert not role.allows("iam:PutRolePermissionsBoundary", role_arn(component), replaced)


@pytest.mark.parametrize("component", FUNCTION_COMPONENTS)
def test_roles_are_passed_only_to_the_service_that_uses_them(component: str) -> None:
    role = cloudformation_role(component)
    lambda_ = {"iam:PassedToService": "lambda.amazonaws.com"}
    assert role.allows("iam:PassRole", role_arn(component), lambda_)
    for other in ("ec2.amazonaws.com", "cloudformation.amazonaws.com", "apigateway.amazonaws.com"):
        assert not role.allows("iam:PassRole", role_arn(component), {"iam:PassedToService": other})


@pytest.mark.parametrize("component", FUNCTION_COMPONENTS)
def test_a_function_stack_cannot_grant_anyone_its_or_another_components_functions(
    component: str,
) -> None:
    role = cloudformation_role(component)
    for target in FUNCTION_COMPONENTS:
        gateway = {"lambda:Principal": "apigateway.amazonaws.com"}
        assert not role.allows("lambda:AddPermission", function_arn(target), gateway)
        assert role.allows("lambda:UpdateFunctionCode", function_arn(target)) is (
            target == component
        )


def test_the_api_grants_only_api_gateway_and_only_on_the_stages_integrated_functions() -> None:
    role = cloudformation_role("api")
    gateway = {"lambda:Principal": "apigateway.amazonaws.com"}
    for component in FUNCTION_COMPONENTS:
        assert role.allows("lambda:AddPermission", function_arn(component), gateway)
        stranger = {"lambda:Principal": "210987654321"}
        assert not role.allows("lambda:AddPermission", function_arn(component), stranger)
        assert not role.allows("lambda:AddPermission", function_arn(component, "prod"), gateway)
    assert not role.allows("lambda:AddPermission", function_arn("pipeline"), gateway)


def test_the_api_changes_only_its_own_rest_api() -> None:
    role = cloudformation_role("api")
    api = f"arn:aws:apigateway:{REGION}::/restapis/a1b2c3/stages/dev"
    own = {"aws:ResourceTag/component": "api", "aws:ResourceTag/stage": STAGE}
    assert role.allows("apigateway:PATCH", api, own)
    assert role.allows(
        "apigateway:POST",
        f"arn:aws:apigateway:{REGION}::/restapis",
        {"aws:RequestTag/component": "api", "aws:RequestTag/stage": STAGE},
    )
    for tags in ({}, {**own, "aws:ResourceTag/stage": "prod"}, {"aws:ResourceTag/component": "x"}):
        assert not role.allows("apigateway:PATCH", api, tags)
        assert not role.allows("apigateway:DELETE", api, tags)
    assert not role.allows("apigateway:POST", f"arn:aws:apigateway:{REGION}::/restapis", {})


# ---------------------------------------------------------------- item 1: deploying allowed
@pytest.mark.parametrize("component", FUNCTION_COMPONENTS)
def test_a_function_stack_deploys_its_functions_roles_and_logs(component: str) -> None:
    role = cloudformation_role(component)
    lambda_policy = {
        **creating_role(),
        "iam:PolicyARN": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    }
    log_group = (
        f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:/aws/lambda/shop-{STAGE}-{component}-Fn-ABC"
    )
    for action, resource, context in [
        ("lambda:CreateFunction", function_arn(component), {}),
        ("lambda:DeleteFunction", function_arn(component), {}),
        ("iam:CreateRole", role_arn(component), creating_role()),
        ("iam:AttachRolePolicy", role_arn(component), lambda_policy),
        ("iam:DeleteRole", role_arn(component), {}),
        ("iam:ListAttachedRolePolicies", role_arn(component), {}),
        ("logs:CreateLogGroup", log_group, {}),
        ("s3:GetObject", f"arn:aws:s3:::{artifact_bucket(STAGE)}/{component}/abc", {}),
    ]:
        assert role.allows(action, resource, context), action


def test_the_boundary_lets_the_shops_functions_work() -> None:
    # Given a role whose own policy allows everything, capped by the boundary
    bounded = bounded_by(STAGE)
    table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/shop-{STAGE}-bootstrap-Orders-X"
    from_function = {"lambda:SourceFunctionArn": function_arn("orders")}
    log_group = f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:/aws/lambda/shop-dev-orders-Fn:*"
    # Then what the functions do is within it
    assert bounded.allows("dynamodb:Query", f"{table}/index/ByUsername", from_function)
    assert bounded.allows("logs:PutLogEvents", log_group)
    assert bounded.allows("logs:CreateLogStream", log_group)
    assert bounded.allows("xray:PutTraceSegments", "*")
    partner_key = f"arn:aws:apigateway:{REGION}::/usageplans/abc123/keys"
    from_partners = {
        "lambda:SourceFunctionArn": function_arn("partners"),
        "aws:ResourceTag/stage": STAGE,
    }
    assert bounded.allows("apigateway:POST", partner_key, from_partners)
    assert not bounded.allows("apigateway:POST", partner_key, {"aws:ResourceTag/stage": STAGE})


# ---------------------------------------------------------------- item 16: handler permissions
def deployed_resources(component: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(type, property names) of every resource CloudFormation handles for the component's
    stack: its template after the SAM transform (as `sam deploy` submits it)."""
    template = expanded_template(Stack(component, component), STAGE)
    return tuple(
        (resource["Type"], tuple(resource.get("Properties", {})))
        for resource in template["Resources"].values()
    )


@pytest.mark.parametrize("component", STACK_COMPONENTS)
def test_every_handler_permission_of_every_resource_type_is_granted_or_unneeded(
    component: str,
) -> None:
    # Given the resource types CloudFormation handles for the stack, and the role's permissions
    granted = cloudformation_role(component).actions()
    missing = set()
    for resource_type, _ in deployed_resources(component):
        # When each of the four handlers' permissions is looked for
        for operation, permissions in handler_permissions(resource_type).items():
            for permission in permissions:
                if not iam_action_exists(permission) or unneeded(resource_type, permission):
                    continue
                if permission.lower() not in granted:
                    missing.add(f"{resource_type} {operation}: {permission}")
    # Then none is missing
    assert sorted(missing) == []


@pytest.mark.parametrize("component", STACK_COMPONENTS)
def test_a_permission_left_out_is_one_the_templates_never_need(component: str) -> None:
    # Given the permissions left out because a property is unused
    for resource_type, properties in deployed_resources(component):
        for entry in UNNEEDED:
            if entry.resource_type in ("*", resource_type):
                # Then no resource of the stack sets that property
                assert not set(entry.properties) & set(properties), (resource_type, entry.reason)


def test_every_resource_type_has_schema_handlers() -> None:
    types = {kind for component in STACK_COMPONENTS for kind, _ in deployed_resources(component)}
    without = {kind for kind in types if not any(handler_permissions(kind).values())}
    assert without <= {"AWS::CloudFormation::WaitConditionHandle"}


@pytest.mark.parametrize("component", ["bootstrap", "api"])
def test_the_stacks_without_functions_create_no_role(component: str) -> None:
    role = cloudformation_role(component)
    for action in ("iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PassRole"):
        assert not role.allows(action, role_arn(component), creating_role()), action
    assert not role.allows("apigateway:PATCH", f"arn:aws:apigateway:{REGION}::/account")
