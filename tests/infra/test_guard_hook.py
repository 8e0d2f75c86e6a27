"""The artifacts stack's Guard hook: what no IAM condition can express, refused by CloudFormation.

Its rules (pipelines/guard/stage-isolation.guard) run here with cfn-guard itself (the binary
`make setup` installs, the engine the hook runs) on every component's template after the
SAM transform, in both stages (they pass), and on the same templates with one bad change each
(they fail, naming the rule): a role trusting an account, everyone or another service; a
permission to invoke for anyone, or for an API not the stack's own; a function URL; an image
repository or a layer shared beyond the account; a bucket open to the public.
"""

import copy
import json
import platform
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stacks.templates import REPO_ROOT
from tests.builders.deployment import (
    ARTIFACTS_TEMPLATE,
    STACKS,
    STAGES,
    Stack,
    artifact_bucket,
    deploy_role,
    expanded_template,
    source_template,
)
from tests.builders.iam import Scope, resolve

RULES = REPO_ROOT / "pipelines" / "guard" / "stage-isolation.guard"
_SYSTEMS = {"Linux": "ubuntu", "Darwin": "macos"}
_MACHINES = {"x86_64": "x86_64", "AMD64": "x86_64", "arm64": "aarch64", "aarch64": "aarch64"}
CFN_GUARD = (
    REPO_ROOT
    / "pipelines/guard/node_modules/@cdklabs/cdk-validator-cfnguard/bin"
    / _SYSTEMS[platform.system()]
    / _MACHINES[platform.machine()]
    / "cfn-guard"
)
# cfn-guard validate's exit code when a rule fails.
RULE_FAILED = 19
OTHER_ACCOUNT = "210987654321"


def guard(template: dict[str, Any], folder: Path) -> tuple[bool, str]:
    """Whether every rule passes on the template, and cfn-guard's report."""
    data = folder / "template.json"
    data.write_text(json.dumps(template, default=str))
    result = subprocess.run(
        [
            str(CFN_GUARD),
            "validate",
            "--rules",
            str(RULES),
            "--data",
            str(data),
            "--show-summary",
            "fail",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, RULE_FAILED), result.stderr
    return result.returncode == 0, result.stdout


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("stack", STACKS, ids=lambda stack: stack.config_env)
def test_every_component_stack_passes_the_rules(stack: Stack, stage: str, tmp_path: Path) -> None:
    passed, report = guard(expanded_template(stack, stage), tmp_path)
    assert passed, report


@pytest.mark.parametrize("stack", STACKS, ids=lambda stack: stack.config_env)
def test_every_component_template_passes_the_rules_before_the_sam_transform(
    stack: Stack, tmp_path: Path
) -> None:
    passed, report = guard(source_template(stack), tmp_path)
    assert passed, report


def test_a_functions_own_trust_policy_is_held_to_lambda(tmp_path: Path) -> None:
    # Given the orders template, one of whose functions declares its role's trust policy
    template = source_template(Stack("orders", "orders"))
    function = next(
        resource["Properties"]
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Serverless::Function"
    )
    function["AssumeRolePolicyDocument"] = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}],
    }
    assert guard(template, tmp_path)[0]
    # When it trusts another account too  Then the rules fail
    function["AssumeRolePolicyDocument"]["Statement"].append(
        {"Effect": "Allow", "Principal": {"AWS": OTHER_ACCOUNT}, "Action": "sts:AssumeRole"}
    )
    passed, report = guard(template, tmp_path)
    assert not passed
    assert "function_roles_trust_only_lambda" in report


# ---------------------------------------------------------------- one bad change each
def first(template: dict[str, Any], resource_type: str) -> dict[str, Any]:
    """The properties of the template's first resource of that type."""
    resource = next(r for r in template["Resources"].values() if r["Type"] == resource_type)
    properties: dict[str, Any] = resource["Properties"]
    return properties


def trusted_by(principal: Any) -> Callable[[dict[str, Any]], None]:
    def change(template: dict[str, Any]) -> None:
        first(template, "AWS::IAM::Role")["AssumeRolePolicyDocument"]["Statement"].append(
            {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
        )

    return change


def permission(**properties: Any) -> Callable[[dict[str, Any]], None]:
    def change(template: dict[str, Any]) -> None:
        first(template, "AWS::Lambda::Permission").update(properties)

    return change


def without_source_arn(template: dict[str, Any]) -> None:
    del first(template, "AWS::Lambda::Permission")["SourceArn"]


def with_function_url(template: dict[str, Any]) -> None:
    template["Resources"]["OpenUrl"] = {
        "Type": "AWS::Lambda::Url",
        "Properties": {"AuthType": "NONE", "TargetFunctionArn": "x"},
    }


def public_access_allowed(template: dict[str, Any]) -> None:
    first(template, "AWS::S3::Bucket")["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] = (
        False
    )


def bucket_policy_allowing(principal: Any) -> Callable[[dict[str, Any]], None]:
    def change(template: dict[str, Any]) -> None:
        first(template, "AWS::S3::BucketPolicy")["PolicyDocument"]["Statement"].append(
            {"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": "*"}
        )

    return change


def image_pulled_by(principal: Any) -> Callable[[dict[str, Any]], None]:
    def change(template: dict[str, Any]) -> None:
        first(template, "AWS::ECR::Repository")["RepositoryPolicyText"]["Statement"].append(
            {"Effect": "Allow", "Principal": principal, "Action": "ecr:BatchGetImage"}
        )

    return change


def layer_shared(template: dict[str, Any]) -> None:
    template["Resources"]["SharedLayer"] = {
        "Type": "AWS::Lambda::LayerVersionPermission",
        "Properties": {
            "Action": "lambda:GetLayerVersion",
            "LayerVersionArn": "x",
            "Principal": "*",
        },
    }


OTHER_ACCOUNTS_API = f"arn:aws:execute-api:eu-west-1:{OTHER_ACCOUNT}:abc123/*/POST/order"
BAD_CHANGES = [
    ("orders", trusted_by({"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}), "roles_trust_only"),
    ("orders", trusted_by("*"), "roles_trust_only"),
    ("orders", trusted_by({"Service": "ec2.amazonaws.com"}), "roles_trust_only"),
    ("auth", trusted_by({"Federated": "cognito-identity.amazonaws.com"}), "roles_trust_only"),
    ("api", permission(Principal="*"), "invoke_permissions"),
    ("api", permission(Principal=OTHER_ACCOUNT), "invoke_permissions"),
    ("api", permission(SourceArn=OTHER_ACCOUNTS_API), "invoke_permissions"),
    ("api", without_source_arn, "invoke_permissions"),
    ("products", with_function_url, "no_function_urls"),
    ("partners-images", image_pulled_by("*"), "image_repositories_shared_with_lambda_only"),
    ("partners-images", image_pulled_by({"AWS": OTHER_ACCOUNT}), "image_repositories_shared"),
    ("partners", layer_shared, "no_shared_layers"),
    ("bootstrap", public_access_allowed, "buckets_block_public_access"),
    ("bootstrap", bucket_policy_allowing("*"), "bucket_policies_open_nothing"),
    ("bootstrap", bucket_policy_allowing({"AWS": OTHER_ACCOUNT}), "bucket_policies_open_nothing"),
]


@pytest.mark.parametrize(
    ("component", "change", "rule"),
    BAD_CHANGES,
    ids=[f"{component}-{rule}-{index}" for index, (component, _, rule) in enumerate(BAD_CHANGES)],
)
def test_a_template_with_a_bad_change_is_refused_by_the_rule_for_it(
    component: str, change: Callable[[dict[str, Any]], None], rule: str, tmp_path: Path
) -> None:
    # Given a component's template with one bad change
    stack = next(stack for stack in STACKS if stack.config_env == component)
    template = copy.deepcopy(expanded_template(stack, "dev"))
    change(template)
    # When the rules run  Then they fail, naming the rule it breaks
    passed, report = guard(template, tmp_path)
    assert not passed
    assert rule in report


# ---------------------------------------------------------------- the hook itself
def hook_in(stage: str) -> dict[str, Any]:
    role = "arn:aws:iam::123456789012:role/hook"
    resources = {"ArtifactBucket": artifact_bucket(stage), "StageIsolationHookRole.Arn": role}
    scope = Scope({"Stage": stage}, {}, resources=resources)
    properties: dict[str, Any] = resolve(
        ARTIFACTS_TEMPLATE["Resources"]["StageIsolationHook"]["Properties"], scope
    )
    return properties


@pytest.mark.parametrize("stage", STAGES)
def test_the_hook_refuses_every_component_stack_of_its_stage_that_breaks_a_rule(stage: str) -> None:
    hook = hook_in(stage)
    assert (hook["HookStatus"], hook["FailureMode"], hook["TargetOperations"]) == (
        "ENABLED",
        "FAIL",
        ["STACK"],
    )
    stacks = {stack.name(stage) for stack in STACKS}
    assert set(hook["StackFilters"]["StackNames"]["Include"]) == stacks
    assert hook["RuleLocation"]["Uri"] == f"s3://{artifact_bucket(stage)}/guard/{RULES.name}"


@pytest.mark.parametrize("component", sorted({stack.component for stack in STACKS}))
def test_no_pipeline_can_rewrite_the_rules(component: str) -> None:
    role = deploy_role(component)
    rules = f"arn:aws:s3:::{artifact_bucket('dev')}/guard/{RULES.name}"
    assert not role.allows("s3:PutObject", rules)
    assert role.allows("s3:PutObject", f"arn:aws:s3:::{artifact_bucket('dev')}/{component}/x")
