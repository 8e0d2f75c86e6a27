"""One stage cannot reach another: each role evaluated with iam-ape on resources, not names.

For every resource of every stack a pipeline deploys, as the SAM transform expands it, the
create, update and delete handler permissions of its type (the resource provider schemas
cfn-lint ships) are evaluated against that resource's own ARN and tags: the stage's
CloudFormation role must be allowed them on the resource in its stage and refused them on
the same resource in the other stage. The same for what each deploy role does to its stacks,
and for the permissions boundary against what the functions' own policies grant. Then each
cross-stage step of a push to main, one by one.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

import pytest

from tests.builders.deployment import (
    PIPELINE_TEMPLATE,
    SHARED_ZONE,
    STACKS,
    STAGES,
    SUFFIX,
    DeployedStack,
    Stack,
    api_domain,
    artifact_bucket,
    boundary_arn,
    bounded_by,
    cloudformation_role,
    deploy_role,
    deployed,
    domain_names,
    other_stage,
    pipeline_cloudformation_role_arn,
    stage_exports,
    stage_tags,
    web_domain,
)
from tests.builders.handler_permissions import handler_permissions, iam_action_exists, unneeded
from tests.builders.iam import ACCOUNT_ID, REGION, Principal, Scope, resolve

# Handler permissions that name no resource of a stage: account-wide lookups, and the parts of
# a distribution that take no tag (a stack acts only on those it declares).
ACCOUNT_WIDE = {
    ("AWS::Logs::LogGroup", "logs:DescribeLogGroups"): "lists the region's log groups by name",
    ("AWS::Logs::LogGroup", "logs:DescribeResourcePolicies"): "lists the account's policies",
    ("AWS::Logs::LogGroup", "logs:DescribeIndexPolicies"): "lists the account's policies",
    ("AWS::Cognito::UserPoolDomain", "cognito-idp:DescribeUserPoolDomain"): "by domain name",
    ("AWS::CloudFront::OriginAccessControl", "*"): "takes no tag",
    ("AWS::CloudFront::ResponseHeadersPolicy", "*"): "takes no tag",
    ("AWS::Route53::RecordSet", "route53:ListHostedZones"): "lists the account's zones",
    ("AWS::Route53::RecordSet", "route53:GetHostedZone"): "reads a zone the stages may share",
    ("AWS::Route53::RecordSet", "route53:ListResourceRecordSets"): "reads a shared zone",
}
# Handler permissions of a type's own service that act on another resource, checked there.
ON_ANOTHER_RESOURCE = {
    ("AWS::Lambda::Function", "lambda:GetLayerVersion"): "the layer (its LayerVersion)",
    ("AWS::Route53::RecordSet", "route53:GetChange"): "the change Route 53 answers with",
}
_SERVICES = {
    "Lambda": "lambda",
    "IAM": "iam",
    "Logs": "logs",
    "DynamoDB": "dynamodb",
    "S3": "s3",
    "Cognito": "cognito-idp",
    "CloudFront": "cloudfront",
    "ApiGateway": "apigateway",
    "WAFv2": "wafv2",
    "ECR": "ecr",
    "SQS": "sqs",
    "Events": "events",
    "Scheduler": "scheduler",
    "CertificateManager": "acm",
    "Route53": "route53",
}
_COGNITO_CHILDREN = (
    "AWS::Cognito::UserPoolClient",
    "AWS::Cognito::UserPoolDomain",
    "AWS::Cognito::UserPoolGroup",
    "AWS::Cognito::UserPoolUser",
    "AWS::Cognito::UserPoolUserToGroupAttachment",
)


@dataclass(frozen=True)
class Request:
    """One handler permission on one resource as deployed in one stage."""

    logical_id: str
    resource_type: str
    action: str
    resource: str
    context: Mapping[str, str]

    def __str__(self) -> str:
        return f"{self.logical_id} ({self.resource_type}) {self.action} on {self.resource}"


def _service(resource_type: str) -> str:
    return _SERVICES[resource_type.split("::")[1]]


def _target(stack_in_stage: DeployedStack, logical_id: str, resource: dict[str, Any]) -> str:
    """The ARN the resource's own service authorizes its handlers' calls on."""
    kind = resource["Type"]
    properties = resource.get("Properties", {})
    exports = stage_exports(stack_in_stage.stage)
    scope = stack_in_stage.scope(exports)
    arns = stack_in_stage.arns
    if logical_id in arns:
        return arns[logical_id]
    if kind in ("AWS::Lambda::Version", "AWS::Lambda::Permission"):
        name = resolve(properties["FunctionName"], scope)
        return name if name.startswith("arn:") else f"{arns[properties['FunctionName']['Ref']]}"
    if kind == "AWS::Logs::LogGroup":
        name = resolve(properties.get("LogGroupName"), scope) or stack_in_stage.refs[logical_id]
        return f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:{name}"
    if kind == "AWS::S3::BucketPolicy":
        return f"arn:aws:s3:::{resolve(properties['Bucket'], scope)}"
    if kind in _COGNITO_CHILDREN:
        pool = resolve(properties["UserPoolId"], scope)
        return f"arn:aws:cognito-idp:{REGION}:{ACCOUNT_ID}:userpool/{pool}"
    if kind in ("AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment"):
        api = resolve(properties["RestApiId"], scope)
        child = "stages" if kind.endswith("Stage") else "deployments"
        return f"arn:aws:apigateway:{REGION}::/restapis/{api}/{child}/{stack_in_stage.stage}"
    if kind in ("AWS::ApiGateway::DomainName", "AWS::ApiGateway::BasePathMapping"):
        name = resolve(properties["DomainName"], scope)
        child = "/basepathmappings/(none)" if kind.endswith("Mapping") else ""
        return f"arn:aws:apigateway:{REGION}::/domainnames/{name}{child}"
    if kind == "AWS::CertificateManager::Certificate":
        return f"arn:aws:acm:{REGION}:{ACCOUNT_ID}:certificate/{logical_id}"
    if kind == "AWS::Route53::RecordSet":  # records are authorized on their hosted zone
        zone = resolve(properties["HostedZoneId"], scope) or logical_id
        return f"arn:aws:route53:::hostedzone/{zone}"
    if kind == "AWS::WAFv2::WebACLAssociation":  # WAF's side: the web ACL
        return str(resolve(properties["WebACLArn"], scope))
    return f"arn:aws:{_service(kind)}:{REGION}:{ACCOUNT_ID}:{kind}/{logical_id}"


def _context(stack_in_stage: DeployedStack, resource: dict[str, Any]) -> dict[str, str]:
    """What the request carries: the stack's tags, and what the resource type's calls add."""
    stage = stack_in_stage.stage
    context = stage_tags(stage, stack_in_stage.stack.component)
    properties = resource.get("Properties", {})
    if resource["Type"] == "AWS::IAM::Role":
        scope = stack_in_stage.scope(stage_exports(stage))
        context["iam:PermissionsBoundary"] = resolve(properties["PermissionsBoundary"], scope)
        managed = resolve(properties.get("ManagedPolicyArns", []), scope)
        context.update({"iam:PolicyARN": managed[0]} if managed else {})
    if resource["Type"] == "AWS::Route53::RecordSet":
        scope = stack_in_stage.scope(stage_exports(stage))
        name = str(resolve(properties["Name"], scope)).lower().rstrip(".")
        context["route53:ChangeResourceRecordSetsRecordTypes"] = properties["Type"]
        context["route53:ChangeResourceRecordSetsNormalizedRecordNames"] = name
    if resource["Type"] == "AWS::Lambda::Permission":
        context["lambda:Principal"] = properties["Principal"]
    if resource["Type"] == "AWS::Lambda::EventSourceMapping":
        scope = stack_in_stage.scope(stage_exports(stage))
        context["lambda:FunctionArn"] = resolve(properties["FunctionName"], scope)
    return context


def handler_requests(stack: Stack, stage: str) -> Iterator[Request]:
    """Each create, update and delete handler permission of each resource of the stack in
    `stage`, on the resource's own ARN (permissions of other services are on other resources:
    the packages, the keys, the roles passed; test_cloudformation_roles checks them)."""
    stack_in_stage = deployed(stack, stage)
    for logical_id, resource in stack_in_stage.template["Resources"].items():
        kind = resource["Type"]
        permissions = handler_permissions(kind)
        for operation in ("create", "update", "delete"):
            for action in permissions[operation]:
                if not _applies(kind, action) or _unused(resource, action):
                    continue
                target = _target(stack_in_stage, logical_id, resource)
                yield Request(logical_id, kind, action, target, _context(stack_in_stage, resource))


def _unused(resource: dict[str, Any], action: str) -> bool:
    """A handler permission the resource's properties never call for: a role without managed
    policies (a schedule's, made by SAM) has none attached."""
    properties = resource.get("Properties", {})
    return action == "iam:AttachRolePolicy" and not properties.get("ManagedPolicyArns")


def _applies(kind: str, action: str) -> bool:
    service = action.split(":", 1)[0].lower()
    if service != _service(kind) or not iam_action_exists(action) or unneeded(kind, action):
        return False
    skipped = ACCOUNT_WIDE.keys() | ON_ANOTHER_RESOURCE.keys()
    return (kind, action) not in skipped and (kind, "*") not in skipped


def refused(role: Principal, requests: Iterator[Request], expect_allowed: bool) -> list[str]:
    return sorted(
        {
            str(request)
            for request in requests
            if role.allows(request.action, request.resource, request.context) is not expect_allowed
        }
    )


@pytest.fixture(params=STACKS, ids=lambda stack: stack.config_env)
def stack(request: pytest.FixtureRequest) -> Stack:
    stack_: Stack = request.param
    return stack_


# ---------------------------------------------------------------- every resource, both stages
@pytest.mark.parametrize("stage", STAGES)
def test_cloudformation_may_create_update_and_delete_every_resource_of_its_stage(
    stack: Stack, stage: str
) -> None:
    # Given the stage's CloudFormation role of the stack's component
    role = cloudformation_role(stack.component, stage)
    # When each handler permission of each resource is asked on the resource in that stage
    # Then none is refused
    assert refused(role, handler_requests(stack, stage), expect_allowed=True) == []


@pytest.mark.parametrize("stage", STAGES)
def test_cloudformation_may_touch_no_resource_of_the_other_stage(stack: Stack, stage: str) -> None:
    # Given the stage's CloudFormation role of the stack's component
    role = cloudformation_role(stack.component, stage)
    # When each handler permission is asked on the same resource in the other stage
    requests = handler_requests(stack, other_stage(stage))
    # Then every one is refused (a record in a zone the stages share: by its name)
    assert refused(role, requests, expect_allowed=False) == []


def deploy_requests(stack: Stack, stage: str) -> list[tuple[str, str, dict[str, str]]]:
    """What `deploy_everything.sh --only <component>` does to a stack of its component:
    upload the packages, make and run a change set, clear a failed creation, finish a failed
    rollback, hand the work to the component's CloudFormation role."""
    stack_arn = f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/{stack.name(stage)}/id"
    package = f"arn:aws:s3:::{artifact_bucket(stage)}/{stack.component}/package"
    to_cloudformation = {"iam:PassedToService": "cloudformation.amazonaws.com"}
    return [
        ("s3:PutObject", package, {}),
        *[
            (f"cloudformation:{action}", stack_arn, {})
            for action in (
                "CreateChangeSet",
                "ExecuteChangeSet",
                "DescribeStacks",
                "DeleteStack",
                "ContinueUpdateRollback",
            )
        ],
        (
            "iam:PassRole",
            pipeline_cloudformation_role_arn(stack.component, stage),
            to_cloudformation,
        ),
    ]


@pytest.mark.parametrize("stage", STAGES)
def test_a_deploy_role_deploys_clears_and_recovers_its_stacks_in_its_stage_only(
    stack: Stack, stage: str
) -> None:
    # Given the stage's deploy role of the stack's component
    role = deploy_role(stack.component, stage)
    # Then each step is allowed on the stack in its stage and refused in the other
    for action, resource, context in deploy_requests(stack, stage):
        assert role.allows(action, resource, context), (action, resource)
    for action, resource, context in deploy_requests(stack, other_stage(stage)):
        assert not role.allows(action, resource, context), (action, resource)


@pytest.mark.parametrize("component", sorted({stack.component for stack in STACKS}))
def test_no_deploy_role_can_import_a_resource_into_its_stack(component: str) -> None:
    # Given a change set importing prod's response headers policy (the site's CSP) into a
    # dev stack, whose CloudFormation role may change such policies (they take no tag)
    role = deploy_role(component, "dev")
    stack_arn = f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/shop-dev-{component}/id"
    importing = {"cloudformation:ImportResourceTypes": "AWS::CloudFront::ResponseHeadersPolicy"}
    # Then it is refused, and an ordinary change set is not
    assert not role.allows("cloudformation:CreateChangeSet", stack_arn, importing)
    assert role.allows("cloudformation:CreateChangeSet", stack_arn)


def function_grants(
    stack_in_stage: DeployedStack,
) -> Iterator[tuple[str, str, str, dict[str, str]]]:
    """(function ARN, action, resource, the request's own condition values) of every statement
    the functions' own policies allow: a statement allowing only under `StringEquals` (a role
    passed to one service) is used as it allows, with those values."""
    scope = stack_in_stage.scope(stage_exports(stack_in_stage.stage))
    resources = stack_in_stage.template["Resources"]
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        role = resources[resource["Properties"]["Role"]["Fn::GetAtt"][0]]
        for policy in role["Properties"].get("Policies", []):
            for statement in resolve(policy["PolicyDocument"], scope)["Statement"]:
                assert statement["Effect"] == "Allow"
                required = statement.get("Condition", {}).get("StringEquals", {})
                for action in _listed(statement["Action"]):
                    for target in _listed(statement["Resource"]):
                        yield stack_in_stage.arns[logical_id], action, target, required


def _listed(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


# The functions' grants that name no stage (action, resource pattern): the plans' names and
# limits (no key), X-Ray, and the shop's sending identity in SES (a domain of the account,
# which both stages may send as).
SAME_IN_EVERY_STAGE = [
    ("apigateway:GET", f"arn:aws:apigateway:{REGION}::/usageplans"),
    ("xray:*", "*"),
    ("ses:SendEmail", f"arn:aws:ses:{REGION}:{ACCOUNT_ID}:identity/*"),
    # The config vault keeps every distribution of the account, whichever stage runs it;
    # CloudFront's resources, and the certificates and Lambda@Edge versions they name (in
    # us-east-1), belong to no stage.
    ("cloudfront:*", f"arn:aws:cloudfront::{ACCOUNT_ID}:*"),
    ("cloudfront:ListDistributions", "*"),
    ("lambda:GetFunction", f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:*"),
    ("acm:DescribeCertificate", f"arn:aws:acm:us-east-1:{ACCOUNT_ID}:certificate/*"),
]


def same_in_every_stage(action: str, resource: str) -> bool:
    return any(
        fnmatchcase(action, action_pattern) and fnmatchcase(resource, resource_pattern)
        for action_pattern, resource_pattern in SAME_IN_EVERY_STAGE
    )


@pytest.mark.parametrize("stage", STAGES)
def test_the_boundary_lets_each_function_do_what_its_policy_grants_in_its_stage_only(
    stack: Stack, stage: str
) -> None:
    # Given a role that allows everything, capped by the stage's boundary
    bounded = bounded_by(stage)
    own, other = deployed(stack, stage), deployed(stack, other_stage(stage))
    component = stack.component
    refused_own, allowed_other = [], []
    for (function, action, resource, required), (_, _, other_resource, _) in zip(
        function_grants(own), function_grants(other), strict=True
    ):
        # When a function of the stage uses its grant on its stage's resource
        context = {
            "lambda:SourceFunctionArn": function,
            **stage_tags(stage, component),
            **required,
        }
        if not bounded.allows(action, resource, context):
            refused_own.append((action, resource))
        # and on the same resource of the other stage
        other_context = {**context, **stage_tags(other_stage(stage), component)}
        if not same_in_every_stage(action, other_resource) and bounded.allows(
            action, other_resource, other_context
        ):
            allowed_other.append((action, other_resource))
    # Then every grant works in its stage, and none reaches the other
    assert (refused_own, allowed_other) == ([], [])


# ---------------------------------------------------------------- each cross-stage step
def dev_function(component: str) -> dict[str, str]:
    """The context of a call a dev function makes."""
    function = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:shop-dev-{component}-Fn-{SUFFIX}"
    return {"lambda:SourceFunctionArn": function}


def on(stage: str, component: str = "bootstrap") -> dict[str, str]:
    """The context of a request on a resource tagged with `stage` by `component`'s stack."""
    return {"aws:ResourceTag/stage": stage, "aws:ResourceTag/component": component}


def pool(stage: str) -> str:
    pool_id = stage_exports(stage)[f"shop-{stage}-UserPoolId"]
    return f"arn:aws:cognito-idp:{REGION}:{ACCOUNT_ID}:userpool/{pool_id}"


APIGATEWAY = f"arn:aws:apigateway:{REGION}::"


def test_a_dev_function_cannot_list_prods_shoppers() -> None:
    bounded = bounded_by("dev")
    assert bounded.allows("cognito-idp:ListUsers", pool("dev"), dev_function("orders") | on("dev"))
    for action in ("cognito-idp:ListUsers", "cognito-idp:AdminGetUser"):
        assert not bounded.allows(action, pool("prod"), dev_function("orders") | on("prod"))


def test_a_dev_function_cannot_read_delete_or_move_prods_partner_keys() -> None:
    bounded = bounded_by("dev")
    partners = dev_function("partners")
    # Its own stage's keys and plans: yes
    assert bounded.allows("apigateway:GET", f"{APIGATEWAY}/apikeys/k1", partners | on("dev", "api"))
    assert bounded.allows("apigateway:DELETE", f"{APIGATEWAY}/apikeys/k1", partners | on("dev"))
    # Prod's: reading a key (its value), listing every key of the region, deleting or disabling
    # one, reading a prod plan's keys (their values), moving a key in or out of a prod plan,
    # changing the plan
    prod = partners | on("prod", "api")
    for action, resource, context in [
        ("apigateway:GET", f"{APIGATEWAY}/apikeys/k1", prod),
        ("apigateway:GET", f"{APIGATEWAY}/apikeys", partners),
        ("apigateway:DELETE", f"{APIGATEWAY}/apikeys/k1", prod),
        ("apigateway:PATCH", f"{APIGATEWAY}/apikeys/k1", prod),
        ("apigateway:GET", f"{APIGATEWAY}/usageplans/p1/keys", prod),
        ("apigateway:POST", f"{APIGATEWAY}/usageplans/p1/keys", prod),
        ("apigateway:DELETE", f"{APIGATEWAY}/usageplans/p1/keys/k1", prod),
        ("apigateway:PATCH", f"{APIGATEWAY}/usageplans/p1", prod),
        ("apigateway:PUT", f"{APIGATEWAY}/tags/{APIGATEWAY}/apikeys/k1", prod),
    ]:
        assert not bounded.allows(action, resource, context), (action, resource)
    # Nor create a key tagged for prod
    tagged_prod = partners | {"aws:RequestTag/stage": "prod"}
    assert not bounded.allows("apigateway:POST", f"{APIGATEWAY}/apikeys", tagged_prod)
    assert bounded.allows(
        "apigateway:POST", f"{APIGATEWAY}/apikeys", partners | {"aws:RequestTag/stage": "dev"}
    )


def test_a_role_trusting_another_account_reads_no_log_group_and_no_data() -> None:
    # Given a role a dev commit declares, trusting another account: its calls come from no
    # function, so they carry no lambda:SourceFunctionArn
    bounded = bounded_by("dev")
    for stage in STAGES:
        group = f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:/aws/lambda/shop-{stage}-orders-X"
        for action in ("logs:GetLogEvents", "logs:FilterLogEvents", "logs:DescribeLogStreams"):
            assert not bounded.allows(action, group), (action, stage)
    every_group = f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:*"
    assert not bounded.allows("logs:DescribeLogGroups", every_group)
    table = stage_exports("dev")["shop-dev-OrdersTableArn"]
    assert not bounded.allows("dynamodb:Scan", table)
    assert not bounded.allows("cognito-idp:ListUsers", pool("dev"), on("dev"))
    # And even a dev function writes only dev's logs
    prod_group = f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:/aws/lambda/shop-prod-orders-X"
    assert not bounded.allows("logs:PutLogEvents", prod_group, dev_function("orders"))


def test_the_product_pictures_are_reachable_in_the_stages_bucket_only() -> None:
    bounded = bounded_by("dev")
    for stage in STAGES:
        bucket = stage_exports(stage)[f"shop-{stage}-ProductImagesBucketArn"]
        for action in ("s3:PutObject", "s3:GetObject"):
            picture = f"{bucket}/images/p1.png"
            assert bounded.allows(action, picture, dev_function("products")) is (stage == "dev")
        assert not bounded.allows(
            "s3:PutObject", f"{bucket}/not-images/x", dev_function("products")
        )
    artifacts = f"arn:aws:s3:::{artifact_bucket('dev')}/orders/package"
    assert not bounded.allows("s3:GetObject", artifacts, dev_function("products"))


def test_a_dev_bootstrap_commit_cannot_reach_prods_identity_site_or_data() -> None:
    role = cloudformation_role("bootstrap", "dev")
    prod_distribution = f"arn:aws:cloudfront::{ACCOUNT_ID}:distribution/PRODWEBDIS"
    prod_bucket = stage_exports("prod")["shop-prod-ProductImagesBucketArn"]
    dev_table = stage_exports("dev")["shop-dev-OrdersTableArn"]
    prod = on("prod")
    for action, resource, context in [
        # a UserPoolUser (an admin) in prod's pool, through an import of its id
        ("cognito-idp:AdminCreateUser", pool("prod"), prod),
        ("cognito-idp:AdminAddUserToGroup", pool("prod"), prod),
        ("cognito-idp:UpdateUserPool", pool("prod"), prod),
        ("cloudfront:UpdateDistribution", prod_distribution, prod),
        # claiming prod's distribution by tagging it as dev's
        (
            "cloudfront:TagResource",
            prod_distribution,
            prod | {"aws:RequestTag/stage": "dev", "aws:RequestTag/component": "bootstrap"},
        ),
        ("s3:PutBucketPolicy", prod_bucket, {}),
        # opening anything to the public or to another account
        ("s3:PutBucketAcl", f"arn:aws:s3:::shop-dev-bootstrap-webbucket-{SUFFIX.lower()}", {}),
        ("s3:PutAccountPublicAccessBlock", "*", {}),
        ("dynamodb:PutResourcePolicy", dev_table, {}),
        ("dynamodb:DeleteResourcePolicy", dev_table, {}),
    ]:
        assert not role.allows(action, resource, context), action


def test_turning_on_ses_may_create_cognitos_email_role_only() -> None:
    role = cloudformation_role("bootstrap", "dev")
    service = "email.cognito-idp.amazonaws.com"
    role_name = "AWSServiceRoleForAmazonCognitoIdpEmailService"
    linked = f"arn:aws:iam::{ACCOUNT_ID}:role/aws-service-role/{service}/{role_name}"
    cognito = {"iam:AWSServiceName": service}
    assert role.allows("iam:CreateServiceLinkedRole", linked, cognito)
    assert not role.allows(
        "iam:CreateServiceLinkedRole", linked, {"iam:AWSServiceName": "ec2.amazonaws.com"}
    )
    other = f"arn:aws:iam::{ACCOUNT_ID}:role/aws-service-role/ops.apigateway.amazonaws.com/X"
    assert not role.allows(
        "iam:CreateServiceLinkedRole", other, {"iam:AWSServiceName": "ops.apigateway.amazonaws.com"}
    )


def test_an_api_commit_lets_only_api_gateway_invoke_only_its_stages_functions() -> None:
    role = cloudformation_role("api", "dev")
    for stage in STAGES:
        function = stage_exports(stage)[f"shop-{stage}-UpsertOrderFunctionArn"]
        for principal in ("apigateway.amazonaws.com", "210987654321", "*", "s3.amazonaws.com"):
            allowed = stage == "dev" and principal == "apigateway.amazonaws.com"
            context = {"lambda:Principal": principal}
            assert role.allows("lambda:AddPermission", function, context) is allowed, (
                stage,
                principal,
            )
    # a grant without a principal key (no such call exists) is refused, not waved through
    dev_function_arn = stage_exports("dev")["shop-dev-UpsertOrderFunctionArn"]
    assert not role.allows("lambda:AddPermission", dev_function_arn, {})


def test_the_api_manages_its_usage_plans_and_never_prods() -> None:
    role = cloudformation_role("api", "dev")
    create = stage_tags("dev", "api")
    assert role.allows("apigateway:POST", f"{APIGATEWAY}/usageplans", create)
    for action in ("apigateway:GET", "apigateway:PATCH", "apigateway:DELETE"):
        assert role.allows(action, f"{APIGATEWAY}/usageplans/p1", on("dev", "api")), action
        assert not role.allows(action, f"{APIGATEWAY}/usageplans/p1", on("prod", "api")), action
    assert not role.allows("apigateway:POST", f"{APIGATEWAY}/usageplans", stage_tags("prod", "api"))


RECORD_CHANGE = "route53:ChangeResourceRecordSets"
RECORD_TYPES = "route53:ChangeResourceRecordSetsRecordTypes"
RECORD_NAMES = "route53:ChangeResourceRecordSetsNormalizedRecordNames"
ZONE = f"arn:aws:route53:::hostedzone/{SHARED_ZONE}"


def _record(kind: str, name: str) -> dict[str, str]:
    return {RECORD_TYPES: kind, RECORD_NAMES: name}


@pytest.mark.parametrize("component", ["bootstrap", "api"])
def test_a_domain_commit_writes_only_address_records_of_its_own_names(component: str) -> None:
    # Given the dev role of a stack that may name its domain in a hosted zone
    role = cloudformation_role(component, "dev")
    own, validation = (
        domain_names(component, "dev")[0],
        f"_0a1b2c.{domain_names(component, 'dev')[0]}",
    )
    # Then it may write its alias records and DNS validation's CNAME
    for kind in ("A", "AAAA"):
        assert role.allows(RECORD_CHANGE, ZONE, _record(kind, own)), kind
    assert role.allows(RECORD_CHANGE, ZONE, _record("CNAME", validation))
    # And never the zone's delegation or mail
    for kind in ("NS", "SOA", "MX", "TXT"):
        assert not role.allows(RECORD_CHANGE, ZONE, _record(kind, own)), kind


@pytest.mark.parametrize("component", ["bootstrap", "api"])
def test_a_domain_commit_writes_no_record_of_the_other_stages_names(component: str) -> None:
    # Given the dev role, in a hosted zone prod shares
    role = cloudformation_role(component, "dev")
    # Then prod's site and API names, and the zone's apex, are refused
    for name in (web_domain("prod"), api_domain("prod"), "example.com"):
        assert not role.allows(RECORD_CHANGE, ZONE, _record("A", name)), name


def test_a_stage_without_a_custom_domain_writes_no_record() -> None:
    # Given bootstrap's dev role deployed with no custom domain (DomainNames left empty)
    scope = Scope(
        {"Stage": "dev", "Component": "bootstrap", "DomainNames": [""]},
        PIPELINE_TEMPLATE["Conditions"],
    )
    # Then its records statement is left out
    assert not scope.holds("WritesDomainRecords")


# ---------------------------------------------------------------- the account's, no stage's
ACCOUNT_STACK = f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/shop-apigateway-account/id"
ACCOUNT_ROLE = (
    f"arn:aws:iam::{ACCOUNT_ID}:role/shop-apigateway-account-ApiGatewayCloudWatchRole-{SUFFIX}"
)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("component", sorted({stack.component for stack in STACKS}))
def test_no_pipeline_touches_api_gateways_cloudwatch_role_or_setting(
    component: str, stage: str
) -> None:
    # Given the role every stage's API logs with, in a stack of the account and region that the
    # person running deploy_everything.sh deploys, and API Gateway's setting naming it
    deployer = deploy_role(component, stage)
    cloudformation = cloudformation_role(component, stage)
    contexts = [{}, {"iam:PermissionsBoundary": boundary_arn(stage)}, stage_tags(stage, component)]
    # Then no pipeline's deploy role deploys, deletes or recovers that stack
    for action in ("CreateChangeSet", "ExecuteChangeSet", "DeleteStack", "ContinueUpdateRollback"):
        assert not deployer.allows(f"cloudformation:{action}", ACCOUNT_STACK), action
    # And no pipeline's CloudFormation role changes, deletes or passes the role, or changes
    # the setting
    for action, resource in [
        *(
            (f"iam:{action}", ACCOUNT_ROLE)
            for action in (
                "DeleteRole",
                "UpdateAssumeRolePolicy",
                "AttachRolePolicy",
                "DetachRolePolicy",
                "PutRolePolicy",
                "DeleteRolePermissionsBoundary",
                "PutRolePermissionsBoundary",
                "PassRole",
            )
        ),
        ("apigateway:PATCH", f"{APIGATEWAY}/account"),
    ]:
        for context in contexts:
            assert not cloudformation.allows(action, resource, context), (action, context)
