"""The deploy rehearsal (`make rehearse`): deploy_everything.sh and the pipelines' deploy
commands run with the real SAM CLI and AWS CLI against moto, with IAM enforced.

The steps run once, in order, as module fixtures: a first deploy of dev then prod into one
account and region, a re-run of dev that changes nothing, an update of a function and a usage
plan, each pipeline's deploy commands as its own role, then --destroy of both stages. Each test
checks one outcome of one step; a failed step fails the tests that need it.
"""

import io
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from stacks.templates import REPO_ROOT, load_template
from tests.builders.bytecode import modules_without_bytecode
from tests.builders.deployment import COMPONENTS, STACKS, STAGES
from tests.rehearsal.shop import (
    Deployer,
    Emulator,
    copy_of_the_shop,
    emulator,
    exports,
    live_stacks,
)

pytestmark = pytest.mark.rehearsal

# What moto's CloudFormation cannot create: the rehearsal stands in for each (a physical id
# that answers Ref and Fn::GetAtt, nothing behind it). docs/ARCHITECTURE.md names them.
STAND_IN_TYPES = {
    "AWS::ApiGateway::BasePathMapping",
    "AWS::ApiGateway::DomainName",
    "AWS::ApiGateway::Stage",
    "AWS::CertificateManager::Certificate",
    "AWS::CloudFormation::GuardHook",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::ResponseHeadersPolicy",
    "AWS::CodeBuild::Project",
    "AWS::CodeConnections::Connection",
    "AWS::CodePipeline::Pipeline",
    "AWS::Cognito::UserPool",
    "AWS::Cognito::UserPoolClient",
    "AWS::Cognito::UserPoolDomain",
    "AWS::Cognito::UserPoolGroup",
    "AWS::Cognito::UserPoolUser",
    "AWS::Cognito::UserPoolUserToGroupAttachment",
    "AWS::S3::BucketPolicy",
    "AWS::Scheduler::Schedule",
    "AWS::Scheduler::ScheduleGroup",
    "AWS::WAFv2::WebACL",
    "AWS::WAFv2::WebACLAssociation",
}


def _succeeded(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, f"exit {result.returncode}:\n{result.stderr[-4000:]}"


def expected_stacks(stage: str) -> set[str]:
    return (
        {f"shop-{stage}-artifacts", f"shop-{stage}-connection"}
        | {stack.name(stage) for stack in STACKS}
        | {f"shop-{stage}-pipeline-{component}" for component in COMPONENTS}
    )


@dataclass
class Step:
    results: dict[str, subprocess.CompletedProcess[str]]
    stacks: dict[str, str]


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    with emulator(tmp_path_factory.mktemp("emulator")) as running:
        yield running


@pytest.fixture(scope="module")
def deployer(aws: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Deployer:
    work = tmp_path_factory.mktemp("rehearsal")
    return Deployer(aws, copy_of_the_shop(work / "shop"), work)


@pytest.fixture(scope="module")
def first_deploy(deployer: Deployer, aws: Emulator) -> Step:
    results = {stage: deployer.deploy(stage) for stage in STAGES}
    return Step(results, live_stacks(aws))


@pytest.fixture(scope="module")
def rerun(first_deploy: Step, deployer: Deployer, aws: Emulator) -> Step:
    before = _last_updated(aws)
    result = deployer.deploy("dev")
    return Step({"dev": result, "before": _as_result(before)}, _last_updated(aws))


def _last_updated(aws: Emulator) -> dict[str, str]:
    stacks = aws.client("cloudformation").describe_stacks()["Stacks"]
    return {
        stack["StackName"]: f"{stack['StackStatus']} {stack.get('LastUpdatedTime', '')}"
        for stack in stacks
    }


def _as_result(snapshot: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess([], 0, repr(sorted(snapshot.items())), "")


@dataclass
class Update:
    result: subprocess.CompletedProcess[str]
    version_before: str
    version_after: str
    plan_limits_before: dict[str, int]
    plan_limits_after: dict[str, int]


PRODUCTS_HANDLER = Path("services/products/src/products/__init__.py")
UPDATED_COMMIT = "fedcba987654"


@pytest.fixture(scope="module")
def update(rerun: Step, deployer: Deployer, aws: Emulator) -> Update:
    """A commit that changes a products function and the basic plan's burst limit (samconfig's
    parameter for the stage's api stack, as the README says to change a tier)."""
    version_before = _alias_version(aws, "dev")
    limits_before = _plan_limits(aws, "dev")
    samconfig = deployer.shop / "samconfig.toml"
    samconfig.write_text(_with_basic_burst_limit(samconfig.read_text(), "dev", 11))
    handler = deployer.shop / PRODUCTS_HANDLER
    handler.write_text(handler.read_text() + "\n# changed by the deploy rehearsal's update\n")
    deployer.commit = UPDATED_COMMIT
    result = deployer.deploy("dev", "--no-pipelines")
    return Update(
        result, version_before, _alias_version(aws, "dev"), limits_before, _plan_limits(aws, "dev")
    )


def _with_basic_burst_limit(samconfig: str, stage: str, limit: int) -> str:
    """samconfig.toml with the stage's api stack given BasicBurstLimit."""
    head, found, tail = samconfig.partition(f"[{stage}-api.deploy.parameters]\n")
    assert found, f"samconfig.toml has no [{stage}-api.deploy.parameters]"
    overrides = f'parameter_overrides = "Stage={stage}"'
    assert overrides in tail, "the api stack's parameter_overrides are no longer Stage alone"
    given = f'parameter_overrides = "Stage={stage} BasicBurstLimit={limit}"'
    return head + found + tail.replace(overrides, given, 1)


def _products_function(aws: Emulator, stage: str) -> str:
    resources = aws.client("cloudformation").list_stack_resources(
        StackName=f"shop-{stage}-products"
    )["StackResourceSummaries"]
    return next(
        resource["PhysicalResourceId"]
        for resource in resources
        if resource["ResourceType"] == "AWS::Lambda::Function"
    )


def _alias_version(aws: Emulator, stage: str) -> str:
    aliases = aws.client("lambda").list_aliases(FunctionName=_products_function(aws, stage))
    return str(aliases["Aliases"][0]["FunctionVersion"])


def _plan_limits(aws: Emulator, stage: str) -> dict[str, int]:
    plans = aws.client("apigateway").get_usage_plans()["items"]
    return {
        plan["name"]: plan.get("throttle", {}).get("burstLimit", 0)
        for plan in plans
        if plan["name"].startswith(f"shop-{stage}-")
    }


@pytest.fixture(scope="module")
def pipelines(update: Update, deployer: Deployer) -> dict[str, subprocess.CompletedProcess[str]]:
    return {component: deployer.pipeline_deploy("dev", component) for component in COMPONENTS}


@dataclass
class Destroy:
    results: dict[str, subprocess.CompletedProcess[str]]
    stacks: dict[str, str]
    retained: set[tuple[str, str]]


@pytest.fixture(scope="module")
def destroy(pipelines: object, deployer: Deployer, aws: Emulator) -> Destroy:
    retained = _retained_tables_and_buckets(aws)
    results = {stage: deployer.destroy(stage) for stage in STAGES}
    return Destroy(results, live_stacks(aws), retained)


KEPT_TYPES = ("AWS::DynamoDB::Table", "AWS::S3::Bucket")


def _retained_tables_and_buckets(aws: Emulator) -> set[tuple[str, str]]:
    """(type, physical id) of each table and bucket of the stages' bootstrap stacks that its
    template retains when the stack is deleted (the shop's data)."""
    template = load_template(REPO_ROOT / "bootstrap" / "template.yaml")
    retained = {
        name
        for name, resource in template["Resources"].items()
        if resource.get("DeletionPolicy") == "Retain" and resource["Type"] in KEPT_TYPES
    }
    cloudformation = aws.client("cloudformation")
    return {
        (resource["ResourceType"], resource["PhysicalResourceId"])
        for stage in STAGES
        for resource in cloudformation.list_stack_resources(StackName=f"shop-{stage}-bootstrap")[
            "StackResourceSummaries"
        ]
        if resource["LogicalResourceId"] in retained
    }


def _tables_and_buckets(aws: Emulator) -> set[tuple[str, str]]:
    tables = aws.client("dynamodb").list_tables()["TableNames"]
    buckets = [bucket["Name"] for bucket in aws.client("s3").list_buckets()["Buckets"]]
    return {(KEPT_TYPES[0], table) for table in tables} | {
        (KEPT_TYPES[1], bucket) for bucket in buckets
    }


# ---------------------------------------------------------------- the first deploy
@pytest.mark.parametrize("stage", STAGES)
def test_a_first_deploy_of_each_stage_succeeds(first_deploy: Step, stage: str) -> None:
    _succeeded(first_deploy.results[stage])


@pytest.mark.parametrize("stage", STAGES)
def test_a_first_deploy_creates_every_stack_of_the_stage(first_deploy: Step, stage: str) -> None:
    created = {name: status for name, status in first_deploy.stacks.items() if f"-{stage}-" in name}
    assert set(created) == expected_stacks(stage)
    assert set(created.values()) <= {"CREATE_COMPLETE", "UPDATE_COMPLETE"}


def test_each_stage_exports_its_own_values_under_its_own_names(
    first_deploy: Step, aws: Emulator
) -> None:
    exported = exports(aws)
    dev = {
        name.removeprefix("shop-dev-"): value
        for name, value in exported.items()
        if name.startswith("shop-dev-")
    }
    prod = {
        name.removeprefix("shop-prod-"): value
        for name, value in exported.items()
        if name.startswith("shop-prod-")
    }
    assert set(dev) == set(prod)
    assert {"ArtifactBucketName", "UserPoolId", "WebOrigin", "PartnerImageRepositoryUri"} <= set(
        dev
    )
    assert all(dev[name] != prod[name] for name in dev if name != "Currency")


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_has_its_artifact_and_web_buckets(
    first_deploy: Step, aws: Emulator, stage: str
) -> None:
    buckets = {bucket["Name"] for bucket in aws.client("s3").list_buckets()["Buckets"]}
    exported = exports(aws)
    assert exported[f"shop-{stage}-ArtifactBucketName"] in buckets
    assert exported[f"shop-{stage}-WebBucketName"] in buckets


@pytest.mark.parametrize("stage", STAGES)
def test_the_partners_stack_names_the_image_pushed_for_the_commit_by_its_digest(
    first_deploy: Step, aws: Emulator, stage: str
) -> None:
    exported = exports(aws)
    image = aws.client("ecr").describe_images(
        repositoryName=exported[f"shop-{stage}-PartnerImageRepositoryName"],
        imageIds=[{"imageTag": "0123456789ab"}],
    )["imageDetails"][0]
    stack = aws.client("cloudformation").describe_stacks(StackName=f"shop-{stage}-partners")
    parameters = {
        parameter["ParameterKey"]: parameter["ParameterValue"]
        for parameter in stack["Stacks"][0]["Parameters"]
    }
    assert parameters["PartnerImageUri"] == (
        f"{exported[f'shop-{stage}-PartnerImageRepositoryUri']}@{image['imageDigest']}"
    )


def test_each_code_package_deployed_ships_its_modules_compiled(
    first_deploy: Step, aws: Emulator
) -> None:
    # Given the products stack's packages as sam deploy uploaded them (its functions' code and
    # the common layer: boto3, Powertools, pydantic)
    packages = _code_packages(aws, "shop-dev-products")
    assert "GetProductsFunction" in packages
    assert any(name.startswith("CommonLayer") for name in packages)
    # Then every module has its bytecode (Lambda cannot write it), hash-based and unchecked
    for name, archive in packages.items():
        assert modules_without_bytecode(archive) == [], name


def _code_packages(aws: Emulator, stack: str) -> dict[str, zipfile.ZipFile]:
    """Each function's and layer's zip, by logical id, as the stack's processed template names
    it (`Code` or `Content`: S3Bucket and S3Key; SAM's transform suffixes a layer's id)."""
    body = aws.client("cloudformation").get_template(StackName=stack, TemplateStage="Processed")
    template = body["TemplateBody"]
    s3 = aws.client("s3")
    packages = {}
    for name, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        location = properties.get("Code") or properties.get("Content")
        if isinstance(location, dict) and "S3Key" in location:
            content = s3.get_object(Bucket=location["S3Bucket"], Key=location["S3Key"])["Body"]
            packages[name] = zipfile.ZipFile(io.BytesIO(content.read()))
    return packages


def test_only_the_named_stand_ins_are_not_created_by_moto(
    first_deploy: Step, aws: Emulator
) -> None:
    assert aws.unsupported_types() == STAND_IN_TYPES


def test_api_gateway_logs_with_the_role_of_the_accounts_own_stack(
    first_deploy: Step, aws: Emulator
) -> None:
    # Given both stages deployed: the role is in a stack no stage owns, deployed once
    assert first_deploy.stacks["shop-apigateway-account"] in {"CREATE_COMPLETE", "UPDATE_COMPLETE"}
    stack = aws.client("cloudformation").describe_stacks(StackName="shop-apigateway-account")
    [role] = [
        output["OutputValue"]
        for output in stack["Stacks"][0]["Outputs"]
        if output["OutputKey"] == "ApiGatewayCloudWatchRoleArn"
    ]
    # Then API Gateway's account setting names it, and it exists
    assert aws.client("apigateway").get_account()["cloudwatchRoleArn"] == role
    assert aws.client("iam").get_role(RoleName=role.rsplit("/", 1)[1])["Role"]["Arn"] == role


# ---------------------------------------------------------------- a re-run
def test_a_re_run_succeeds(rerun: Step) -> None:
    _succeeded(rerun.results["dev"])


def test_a_re_run_changes_no_stack(rerun: Step) -> None:
    assert repr(sorted(rerun.stacks.items())) == rerun.results["before"].stdout


# ---------------------------------------------------------------- an update
def test_an_update_succeeds(update: Update) -> None:
    _succeeded(update.result)


def test_an_update_publishes_the_changed_function_behind_its_alias(update: Update) -> None:
    assert int(update.version_after) == int(update.version_before) + 1


def test_an_update_changes_the_usage_plan_it_names_and_no_other(update: Update) -> None:
    assert update.plan_limits_after["shop-dev-partners-basic"] == 11
    assert update.plan_limits_before["shop-dev-partners-basic"] != 11
    assert (
        update.plan_limits_after["shop-dev-partners-pro"]
        == update.plan_limits_before["shop-dev-partners-pro"]
    )


# ---------------------------------------------------------------- the pipelines' deploy stage
@pytest.mark.parametrize("component", COMPONENTS)
def test_a_pipelines_deploy_stage_deploys_with_its_own_roles(
    pipelines: dict[str, subprocess.CompletedProcess[str]], component: str
) -> None:
    _succeeded(pipelines[component])


# ---------------------------------------------------------------- --destroy
@pytest.mark.parametrize("stage", STAGES)
def test_destroy_succeeds(destroy: Destroy, stage: str) -> None:
    _succeeded(destroy.results[stage])


def test_destroy_leaves_no_stack_and_no_export(destroy: Destroy, aws: Emulator) -> None:
    assert destroy.stacks == {}
    assert exports(aws) == {}


def test_destroy_deletes_the_artifact_buckets(destroy: Destroy, aws: Emulator) -> None:
    buckets = {bucket["Name"] for bucket in aws.client("s3").list_buckets()["Buckets"]}
    assert not any("artifactbucket" in bucket for bucket in buckets)


def test_destroy_keeps_the_tables_and_buckets_the_bootstrap_template_retains(
    destroy: Destroy, aws: Emulator
) -> None:
    assert {kind for kind, _ in destroy.retained} == set(KEPT_TYPES)
    assert destroy.retained <= _tables_and_buckets(aws)
