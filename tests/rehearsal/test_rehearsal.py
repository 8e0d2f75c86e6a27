"""The deploy rehearsal (`make rehearse`): deploy_everything.sh run with the real SAM CLI and
AWS CLI against moto, with IAM enforced: a first deploy of dev then prod into one account and
region, once (a module fixture); each test checks one outcome of it.
"""

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

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
