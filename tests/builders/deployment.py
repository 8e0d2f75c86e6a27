"""The shop as CloudFormation deploys it in a stage, made concrete for the IAM tests.

Each stack's template after the SAM transform (as `sam deploy` submits it), the names and
ARNs CloudFormation gives its resources (`<stack>-<LogicalId>-<suffix>`; random ids for the
user pool, the REST API, the usage plans and the distribution, which the stage's tags then
identify), the exports each stage publishes, and the pipelines' roles and the permissions
boundary of a stage as iam-ape principals.
"""

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import boto3
from samcli.lib.config.samconfig import SamConfig
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

from stacks.templates import REPO_ROOT, load_template, parameter_defaults
from tests.builders.iam import ACCOUNT_ID, REGION, Principal, Scope, resolve

PIPELINE_TEMPLATE = load_template(REPO_ROOT / "pipelines" / "template.yaml")
ARTIFACTS_TEMPLATE = load_template(REPO_ROOT / "pipelines" / "artifacts.template.yaml")
COMPONENTS: list[str] = PIPELINE_TEMPLATE["Parameters"]["Component"]["AllowedValues"]
STACK_COMPONENTS = [name for name in COMPONENTS if name != "web"]
STAGES = ("dev", "prod")
# What CloudFormation appends to the names it makes.
SUFFIX = "A1B2C3D4E5F6"


def other_stage(stage: str) -> str:
    return "prod" if stage == "dev" else "dev"


def boundary_arn(stage: str) -> str:
    return f"arn:aws:iam::{ACCOUNT_ID}:policy/shop-{stage}-permissions-boundary"


def artifact_bucket(stage: str) -> str:
    return f"shop-{stage}-artifacts-artifactbucket-{SUFFIX.lower()}"


def stage_tags(stage: str, component: str) -> dict[str, str]:
    """The request context of a request that creates a resource with the stack's tags
    (samconfig.toml) or acts on a resource that carries them."""
    return {
        f"aws:{kind}Tag/{key}": value
        for kind in ("Request", "Resource")
        for key, value in (("stage", stage), ("component", component))
    }


# Each stage's custom domains, in one Route 53 hosted zone the stages share: the case in which
# their records must still be apart. Sibling names, as the README advises: a prod domain above
# dev's would let prod's `*.<domain>` cover dev's names.
SHARED_ZONE = "Z0123456789SHARED"


def web_domain(stage: str) -> str:
    return "shop.example.com" if stage == "prod" else f"shop-{stage}.example.com"


def api_domain(stage: str) -> str:
    return f"api.{web_domain(stage)}"


def domain_parameters(stage: str) -> dict[str, str]:
    """The custom domain parameters of the stage's bootstrap and api stacks."""
    return {
        "WebDomainName": web_domain(stage),
        "WebHostedZoneId": SHARED_ZONE,
        "ApiDomainName": api_domain(stage),
        "ApiHostedZoneId": SHARED_ZONE,
    }


def domain_names(component: str, stage: str) -> list[str]:
    """The pipeline's DomainNames, as deploy_everything.sh gives them: the component's domain
    and the names under it; [""] (the parameter's default) for a component without one."""
    domain = {"bootstrap": web_domain, "api": api_domain}.get(component)
    return [domain(stage), f"*.{domain(stage)}"] if domain else [""]


# ---------------------------------------------------------------- stacks and templates
@dataclass(frozen=True)
class Stack:
    """One stack a component's pipeline deploys (partners deploys two)."""

    component: str
    config_env: str  # samconfig.toml's environment, without the stage

    def name(self, stage: str) -> str:
        return f"shop-{stage}-{self.config_env}"


STACKS = [Stack(component, component) for component in STACK_COMPONENTS] + [
    Stack("partners", "partners-images")
]


def source_template(stack: Stack) -> dict[str, Any]:
    """The stack's template as written: what `sam deploy` submits, before the transform."""
    config = SamConfig(str(REPO_ROOT))
    environment = f"dev-{stack.config_env}"
    command = "build" if stack.config_env != "partners-images" else "deploy"
    path = config.get_all([command], "parameters", env=environment)["template_file"]
    return copy.deepcopy(load_template(REPO_ROOT / path))


@cache
def expanded_template(stack: Stack, stage: str) -> dict[str, Any]:
    """The stack's template in `stage` after the SAM transform, as CloudFormation runs it."""
    template = source_template(stack)
    for node in _walk(template):
        for key in ("CodeUri", "ContentUri"):
            if isinstance(node.get(key), str):
                node[key] = f"s3://{artifact_bucket(stage)}/{stack.component}/package"
    if "Transform" in template:
        session = boto3.session.Session(region_name=REGION)
        translator = Translator({}, Parser(), boto_session=session)
        template = translator.translate(template, parameter_values={"Stage": stage})
    return template


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


# ---------------------------------------------------------------- names and ARNs
_LOWER_CASE_NAMES = {"AWS::S3::Bucket", "AWS::ECR::Repository"}
# Types whose Ref is their ARN rather than their name.
_REF_IS_ARN = {"AWS::Lambda::Alias", "AWS::Lambda::LayerVersion", "AWS::IAM::ManagedPolicy"}


def _random_id(stage: str, logical_id: str) -> str:
    return f"{stage}{logical_id}".lower()[:10]


def physical_id(stack: Stack, stage: str, logical_id: str, resource: dict[str, Any]) -> str:
    """What CloudFormation names the resource (its Ref, for named types), or its random id."""
    kind = resource["Type"]
    if kind in ("AWS::Cognito::UserPool",):
        return f"{REGION}_{_random_id(stage, logical_id)}"
    if kind in ("AWS::ApiGateway::RestApi", "AWS::ApiGateway::UsagePlan"):
        return _random_id(stage, logical_id)
    if kind == "AWS::CloudFront::Distribution":
        return _random_id(stage, logical_id).upper()
    if kind == "AWS::ApiGateway::Stage":  # the API's stage is named after the shop's
        return stage
    name = f"{stack.name(stage)}-{logical_id}-{SUFFIX}"
    return name.lower() if kind in _LOWER_CASE_NAMES else name


@dataclass(frozen=True)
class DeployedStack:
    """A stack's resources in one stage: logical id -> Ref value and ARN."""

    stack: Stack
    stage: str
    template: dict[str, Any]
    refs: Mapping[str, str]
    arns: Mapping[str, str]

    def scope(self, exports: Mapping[str, str]) -> Scope:
        attributes = {f"{logical_id}.Arn": arn for logical_id, arn in self.arns.items()}
        defaults = {name: str(value) for name, value in parameter_defaults(self.template).items()}
        declared = self.template.get("Parameters", {})
        domains = {
            name: value for name, value in domain_parameters(self.stage).items() if name in declared
        }
        return Scope(
            {
                **defaults,
                **domains,
                "Stage": self.stage,
                "AWS::StackName": self.stack.name(self.stage),
            },
            self.template.get("Conditions", {}),
            exports,
            {**self.refs, **attributes},
        )


@cache
def deployed(stack: Stack, stage: str) -> DeployedStack:
    template = expanded_template(stack, stage)
    resources = template["Resources"]
    names = {
        logical_id: physical_id(stack, stage, logical_id, resource)
        for logical_id, resource in resources.items()
    }
    arns = {
        logical_id: arn
        for logical_id, resource in resources.items()
        if (arn := _arn(resource, names[logical_id], names, stage))
    }
    refs = {
        logical_id: arns[logical_id] if resources[logical_id]["Type"] in _REF_IS_ARN else name
        for logical_id, name in names.items()
    }
    return DeployedStack(stack, stage, template, refs, arns)


def _arn(resource: dict[str, Any], name: str, names: Mapping[str, str], stage: str) -> str | None:
    """The resource's ARN, from its name (or id) and its parent's."""
    kind = resource["Type"]
    properties = resource.get("Properties", {})
    regional = f"{REGION}:{ACCOUNT_ID}"
    if kind == "AWS::Lambda::Function":
        return f"arn:aws:lambda:{regional}:function:{name}"
    if kind == "AWS::Lambda::Alias":
        function = names[properties["FunctionName"]["Ref"]]
        return f"arn:aws:lambda:{regional}:function:{function}:{properties['Name']}"
    if kind == "AWS::Lambda::Version":
        return f"arn:aws:lambda:{regional}:function:{names[properties['FunctionName']['Ref']]}:1"
    if kind == "AWS::Lambda::LayerVersion":
        return f"arn:aws:lambda:{regional}:layer:{name.rsplit('-', 2)[0]}-common:1"
    if kind == "AWS::IAM::Role":
        return f"arn:aws:iam::{ACCOUNT_ID}:role/{name}"
    if kind == "AWS::DynamoDB::Table":
        return f"arn:aws:dynamodb:{regional}:table/{name}"
    if kind == "AWS::S3::Bucket":
        return f"arn:aws:s3:::{name}"
    if kind == "AWS::ECR::Repository":
        return f"arn:aws:ecr:{regional}:repository/{name}"
    if kind == "AWS::Cognito::UserPool":
        return f"arn:aws:cognito-idp:{regional}:userpool/{name}"
    if kind == "AWS::CloudFront::Distribution":
        return f"arn:aws:cloudfront::{ACCOUNT_ID}:distribution/{name}"
    if kind == "AWS::ApiGateway::RestApi":
        return f"arn:aws:apigateway:{REGION}::/restapis/{name}"
    if kind == "AWS::ApiGateway::UsagePlan":
        return f"arn:aws:apigateway:{REGION}::/usageplans/{name}"
    if kind == "AWS::Events::Rule":
        return f"arn:aws:events:{regional}:rule/{name}"
    if kind == "AWS::Scheduler::Schedule":
        named = properties.get("Name", {})
        schedule = named.get("Fn::Sub", name).replace("${Stage}", stage) if named else name
        return f"arn:aws:scheduler:{regional}:schedule/default/{schedule}"
    if kind == "AWS::Scheduler::ScheduleGroup":
        group = resolve(properties["Name"], Scope({"Stage": stage}, {}))
        return f"arn:aws:scheduler:{regional}:schedule-group/{group}"
    if kind == "AWS::SQS::Queue":
        return f"arn:aws:sqs:{regional}:{name}"
    if kind == "AWS::Lambda::EventSourceMapping":
        return f"arn:aws:lambda:{regional}:event-source-mapping:{name}"
    if kind == "AWS::WAFv2::WebACL":
        acl = resolve(properties["Name"], Scope({"Stage": stage}, {}))
        return f"arn:aws:wafv2:{regional}:regional/webacl/{acl}/{name}"
    return None


@cache
def stage_exports(stage: str) -> dict[str, str]:
    """Every export of the stage's stacks (those this model can name), as deployed."""
    exports: dict[str, str] = {}
    for stack in STACKS:
        stack_in_stage = deployed(stack, stage)
        scope = stack_in_stage.scope({})
        for output in stack_in_stage.template.get("Outputs", {}).values():
            if "Export" not in output:
                continue
            try:
                exports[resolve(output["Export"]["Name"], scope)] = resolve(output["Value"], scope)
            except KeyError:
                continue  # an attribute this model does not name (a domain name, a URI)
    exports[f"shop-{stage}-ArtifactBucketName"] = artifact_bucket(stage)
    exports[f"shop-{stage}-PermissionsBoundaryArn"] = boundary_arn(stage)
    return exports


# ---------------------------------------------------------------- the stage's roles
def pipeline_scope(component: str, stage: str) -> Scope:
    parameters = {
        "Stage": stage,
        "Component": component,
        "DomainNames": domain_names(component, stage),
    }
    return Scope(parameters, PIPELINE_TEMPLATE["Conditions"], stage_exports(stage))


@cache
def cloudformation_role(component: str, stage: str = "dev") -> Principal:
    """The role CloudFormation acts with for the component's stacks: its managed policies."""
    scope = pipeline_scope(component, stage)
    policies = {}
    for logical_id, resource in PIPELINE_TEMPLATE["Resources"].items():
        if resource["Type"] != "AWS::IAM::ManagedPolicy":
            continue
        if "Condition" in resource and not scope.holds(resource["Condition"]):
            continue
        assert resource["Properties"]["Roles"] == [{"Ref": "CloudFormationRole"}]
        arn = f"arn:aws:iam::{ACCOUNT_ID}:policy/{logical_id}"
        policies[arn] = resolve(resource["Properties"]["PolicyDocument"], scope)
    return Principal.role(policies)


@cache
def deploy_role(component: str, stage: str = "dev") -> Principal:
    """The role the component's deploy build runs with: its inline policy."""
    scope = pipeline_scope(component, stage)
    role = PIPELINE_TEMPLATE["Resources"]["DeployRole"]["Properties"]
    scope = Scope(
        scope.parameters,
        scope.conditions,
        scope.exports,
        {
            "DeployLogGroup.Arn": f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:deploy",
            "ArtifactBucket.Arn": f"arn:aws:s3:::shop-{stage}-pipeline-{component}-artifacts",
            "CloudFormationRole.Arn": pipeline_cloudformation_role_arn(component, stage),
        },
    )
    return Principal.role(
        {},
        {
            policy["PolicyName"]: resolve(policy["PolicyDocument"], scope)
            for policy in role["Policies"]
        },
    )


def pipeline_cloudformation_role_arn(component: str, stage: str) -> str:
    name = f"shop-{stage}-pipeline-{component}-CloudFormationRole-{SUFFIX}"
    return f"arn:aws:iam::{ACCOUNT_ID}:role/{name}"


def boundary_document(stage: str = "dev") -> dict[str, Any]:
    scope = Scope({"Stage": stage}, ARTIFACTS_TEMPLATE.get("Conditions", {}))
    resource = ARTIFACTS_TEMPLATE["Resources"]["PermissionsBoundary"]["Properties"]
    assert resource["ManagedPolicyName"] == {"Fn::Sub": "shop-${Stage}-permissions-boundary"}
    document: dict[str, Any] = resolve(resource["PolicyDocument"], scope)
    return document


STAR_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


@cache
def bounded_by(stage: str) -> Principal:
    """A role whose own policy allows everything, capped by the stage's boundary: what any
    role a commit declares can do at most."""
    return Principal.role(
        {}, {"everything": STAR_POLICY}, (boundary_arn(stage), boundary_document(stage))
    )
