"""deploy_everything.sh run with stand-in `sam`, `aws` and `python3.13` (tests/builders/standins),
for what the deploy rehearsal (tests/rehearsal, the real tools against moto) cannot show: the
plan, option checks, failed creations, the teardown order CloudFormation's roles impose
(moto's CloudFormation acts with no role), data deletion and IAM propagation. A first deploy,
a re-run and the partner image by digest are the rehearsal's.

The stand-ins refuse what AWS refuses (an import of an export no stack has yet, deleting a
stack whose export is in use or whose bucket holds objects, an unchanged `sam deploy` that
should fail), so a run that succeeds proves its order as well as its commands.
"""

import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from stacks.templates import REPO_ROOT
from tests.builders.standins import CREDENTIALS_VARIABLE, StandinAccount, install_standins

SCRIPT = REPO_ROOT / "deploy_everything.sh"
REGION = "eu-west-1"
ADMIN_EMAIL = "admin@example.com"
REPOSITORY = "example/shop"
FULL_DEPLOY = ("--region", REGION, "--admin-email", ADMIN_EMAIL, "--github-repo", REPOSITORY)
APP_STACKS = [
    "bootstrap",
    "auth",
    "products",
    "orders",
    "partners-images",
    "partners",
    "vault",
    "api",
]
PIPELINES = ["bootstrap", "auth", "products", "orders", "partners", "vault", "api", "web"]
# API Gateway's CloudWatch role: one stack for the account and region, which no stage owns.
ACCOUNT_STACK = "shop-apigateway-account"
# What the script deploys before any component stack, and no pipeline deploys.
FOUNDATION = [ACCOUNT_STACK, "shop-dev-artifacts"]
DEPLOY_ORDER = [
    *FOUNDATION,
    *(f"shop-dev-{name}" for name in APP_STACKS),
    "shop-dev-connection",
    *(f"shop-dev-pipeline-{name}" for name in PIPELINES),
]
# A first deploy comes back to bootstrap once the API exists (its CSP names the API's origin).
FIRST_DEPLOY_ORDER = [
    *DEPLOY_ORDER[: len(FOUNDATION) + len(APP_STACKS)],
    "shop-dev-bootstrap",
    *DEPLOY_ORDER[len(FOUNDATION) + len(APP_STACKS) :],
]

# Each component's stack before its pipeline (bound to the pipeline's CloudFormation role once
# the pipeline deployed it); the web pipeline, which imports bootstrap's exports, before it.
TEARDOWN_ORDER = [
    "shop-dev-pipeline-web",
    "shop-dev-api",
    "shop-dev-pipeline-api",
    "shop-dev-vault",
    "shop-dev-pipeline-vault",
    "shop-dev-partners",
    "shop-dev-partners-images",
    "shop-dev-pipeline-partners",
    *(
        stack
        for name in ("orders", "products", "auth")
        for stack in (f"shop-dev-{name}", f"shop-dev-pipeline-{name}")
    ),
    "shop-dev-bootstrap",
    "shop-dev-pipeline-bootstrap",
    "shop-dev-connection",
    ACCOUNT_STACK,  # with the region's last stage only
    "shop-dev-artifacts",
]
# The stacks a pipeline deploys (partners-images is deployed by the partners pipeline).
PIPELINE_STACKS = [name for name in PIPELINES if name in APP_STACKS]

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def account(tmp_path: Path) -> StandinAccount:
    return install_standins(tmp_path)


@pytest.fixture
def run_script(account: StandinAccount) -> Run:
    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(SCRIPT), *args],
            env=account.env(**env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


def succeeded(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


def deploy_parameters(account: StandinAccount, stack: str) -> dict[str, str]:
    parameters: dict[str, str] = account.state["stacks"][stack]["parameters"]
    return parameters


def test_each_stack_receives_the_parameters_and_exports_it_needs(
    account: StandinAccount, run_script: Run
) -> None:
    # Given an empty account
    # When everything is deployed
    succeeded(run_script(*FULL_DEPLOY))

    # Then bootstrap got the admin, the pipelines the connection the script created
    exports = {
        name: value
        for stack in account.state["stacks"].values()
        for name, value in stack["exports"].items()
    }
    assert deploy_parameters(account, "shop-dev-bootstrap")["AdminEmail"] == ADMIN_EMAIL
    for name in PIPELINES:
        parameters = deploy_parameters(account, f"shop-dev-pipeline-{name}")
        assert parameters["Component"] == name
        assert parameters["ConnectionArn"] == exports["shop-dev-GitHubConnectionArn"]
        assert parameters["RepositoryId"] == REPOSITORY
        assert parameters["BranchName"] == "main"
    # And every package went to the artifact bucket the artifacts stack exports
    sam_deploys = [call for call in account.calls() if call.command == ("sam", "deploy")]
    bucket = exports["shop-dev-ArtifactBucketName"]
    components = [call for call in sam_deploys if call.option("--stack-name") not in FOUNDATION]
    assert {call.option("--s3-bucket") for call in components} == {bucket}
    assert all(call.option("--region") == REGION for call in sam_deploys)


def test_the_web_clients_csp_names_the_api_origin_once_the_api_exists(
    account: StandinAccount, run_script: Run
) -> None:
    # Given an empty account
    # When everything is deployed
    succeeded(run_script(*FULL_DEPLOY))

    # Then bootstrap, first deployed before the API, now names the API's origin (no path)
    api_url = account.state["stacks"]["shop-dev-api"]["exports"]["shop-dev-ApiUrl"]
    origin = deploy_parameters(account, "shop-dev-bootstrap")["ApiOrigin"]
    assert api_url.startswith(origin)
    assert origin.startswith("https://")
    assert "/" not in origin.removeprefix("https://")


def test_an_existing_connection_is_used_instead_of_creating_one(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a connection made beforehand
    connection = (
        "arn:aws:codestar-connections:eu-west-1:123456789012:"
        "connection/0a1b2c3d-0000-1111-2222-333344445555"
    )

    # When everything is deployed with it
    succeeded(run_script(*FULL_DEPLOY, "--connection-arn", connection))

    # Then no connection stack exists and every pipeline uses that connection
    assert "shop-dev-connection" not in account.deployed_stacks()
    for name in PIPELINES:
        assert (
            deploy_parameters(account, f"shop-dev-pipeline-{name}")["ConnectionArn"] == connection
        )


def test_dry_run_prints_the_plan_and_runs_nothing(account: StandinAccount, run_script: Run) -> None:
    # Given an empty account
    # When the plan is asked for
    result = succeeded(run_script(*FULL_DEPLOY, "--dry-run"))

    # Then no command ran, and stdout holds only commands, in the order of a real run
    assert account.calls() == []
    assert result.stderr == ""
    plan = [shlex.split(line) for line in result.stdout.splitlines()]
    # (ecr_login is the script's own: `aws ecr get-login-password | docker login`)
    assert {command[0] for command in plan} == {"sam", "aws", "python3.13", "docker", "ecr_login"}
    deploys = [command for command in plan if command[:2] == ["sam", "deploy"]]
    stacks = [stack_of(command) for command in deploys]
    assert stacks == FIRST_DEPLOY_ORDER


def stack_of(command: list[str]) -> str:
    """The stack a planned `sam deploy` deploys: --stack-name, else its samconfig environment's."""
    if "--stack-name" in command:
        return command[command.index("--stack-name") + 1]
    environment = command[command.index("--config-env") + 1]
    stage, name = environment.split("-", 1)
    return f"shop-{stage}-{name}"


def test_destroy_deletes_everything_in_reverse_order_and_keeps_the_data(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a deployed shop whose web bucket holds the published site
    succeeded(run_script(*FULL_DEPLOY))

    # When it is destroyed
    result = succeeded(run_script("--region", REGION, "--destroy"))

    # Then the stacks went in the reverse order, each component's before its pipeline (the
    # stand-in refuses to delete a stack whose exports are imported, or whose bucket is not
    # empty), and the retained data stayed
    assert account.deleted_stacks() == TEARDOWN_ORDER
    assert account.state["stacks"] == {}
    retained_types = sorted(item["type"] for item in account.state["retained"].values())
    assert retained_types == [
        "AWS::Cognito::UserPool",
        *["AWS::DynamoDB::Table"] * 4,
        "AWS::ECR::Repository",
        *["AWS::S3::Bucket"] * 2,
    ]
    assert "--delete-data deletes them" in result.stderr


def test_destroy_with_delete_data_also_deletes_the_retained_tables_and_user_pool(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a deployed shop
    succeeded(run_script(*FULL_DEPLOY))

    # When it is destroyed with its data
    succeeded(run_script("--region", REGION, "--destroy", "--delete-data"))

    # Then nothing is left (deletion protection was lifted first: the stand-in refuses otherwise)
    assert account.state["stacks"] == {}
    assert account.state["retained"] == {}


def test_destroy_of_nothing_succeeds(account: StandinAccount, run_script: Run) -> None:
    # Given an empty account
    # When a teardown runs
    succeeded(run_script("--region", REGION, "--destroy"))

    # Then it deleted nothing and failed on nothing
    assert account.deleted_stacks() == []


def test_only_deploys_one_component_through_the_pipelines_cloudformation_role(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a deployed shop
    succeeded(run_script(*FULL_DEPLOY))
    before = len(account.calls())
    role = "arn:aws:iam::123456789012:role/shop-dev-pipeline-orders-CloudFormationRole-X"

    # When a pipeline's deploy stage runs it for orders (no admin e-mail, no repository)
    succeeded(run_script("--region", REGION, "--only", "orders", "--cloudformation-role-arn", role))

    # Then only orders was built and deployed, with CloudFormation acting through the role
    changes = [call for call in account.calls()[before:] if call.tool == "sam"]
    assert [call.command for call in changes] == [("sam", "build"), ("sam", "deploy")]
    assert {call.option("--config-env") for call in changes} == {"dev-orders"}
    assert changes[1].option("--role-arn") == role


def test_each_stack_built_is_compiled_before_it_is_deployed(
    account: StandinAccount, run_script: Run
) -> None:
    # When the script deploys dev
    succeeded(run_script(*FULL_DEPLOY))

    # Then every build folder was compiled (Lambda cannot write bytecode) after its build and
    # before its stack was created
    events = account.events()
    builds = [name for kind, name in events if kind == "build"]
    assert builds, "nothing was built"
    for environment in builds:
        stack = f"shop-{environment}"
        build, compiled = ("build", environment), ("compile", environment)
        assert events.index(build) < events.index(compiled) < events.index(("create", stack))


def test_a_pipeline_build_tags_the_image_with_the_commit_codebuild_checked_out(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a deployed shop
    succeeded(run_script(*FULL_DEPLOY))
    commit = "0123456789abcdef0123456789abcdef01234567"

    # When the partners pipeline's deploy build runs it (its source has no .git)
    succeeded(
        run_script(
            "--region", REGION, "--only", "partners", CODEBUILD_RESOLVED_SOURCE_VERSION=commit
        )
    )

    # Then the image it pushed is tagged with that commit
    pushed = [name for kind, name in account.events() if kind == "push-image"]
    assert pushed[-1].endswith(f":{commit[:12]}")


def test_with_neither_git_nor_codebuilds_commit_no_partner_image_is_built(
    account: StandinAccount, run_script: Run, tmp_path: Path
) -> None:
    # Given a deployed shop
    succeeded(run_script(*FULL_DEPLOY))
    pushes = [kind for kind, _ in account.events()].count("push-image")

    # When the partners are deployed from a tree that is no git clone, outside a pipeline
    result = run_script(
        "--region",
        REGION,
        "--only",
        "partners",
        CODEBUILD_RESOLVED_SOURCE_VERSION="",
        GIT_DIR=str(tmp_path / "no-repository"),
    )

    # Then the script stops, saying what would tag the image, and pushed none
    assert result.returncode == 1
    assert "set CODEBUILD_RESOLVED_SOURCE_VERSION to the commit" in result.stderr
    assert [kind for kind, _ in account.events()].count("push-image") == pushes


def test_only_web_publishes_the_web_client(account: StandinAccount, run_script: Run) -> None:
    # Given a deployed shop
    succeeded(run_script(*FULL_DEPLOY))
    before = len(account.calls())

    # When the web pipeline's deploy stage runs
    succeeded(run_script("--region", REGION, "--only", "web", "--cloudformation-role-arn", ""))

    # Then the only change was the web client's publishing for that stage and region
    changes = [call for call in account.calls()[before:] if call.tool != "aws"]
    assert [call.args for call in changes] == [
        ("-m", "web_client.publish", "--stage", "dev", "--region", REGION)
    ]


@pytest.mark.parametrize(
    ("missing_tool", "message"),
    [
        ("sam", "sam not found on PATH"),
        ("aws", "aws not found on PATH"),
        ("python3.13", "python3.13 not found on PATH"),
        ("docker", "docker not found on PATH"),
    ],
)
def test_a_missing_tool_stops_it_before_any_deployment(
    account: StandinAccount, run_script: Run, missing_tool: str, message: str
) -> None:
    # Given a machine without one of the tools
    account.without(missing_tool)

    # When the script runs
    result = run_script(*FULL_DEPLOY)

    # Then it says which tool is missing and deployed nothing
    assert result.returncode != 0
    assert message in result.stderr
    assert not [
        call
        for call in account.calls()
        if call.command[:2] in {("sam", "deploy"), ("sam", "build")}
    ]


def test_missing_credentials_stop_it_before_any_deployment(
    account: StandinAccount, run_script: Run
) -> None:
    # Given no AWS credentials
    # When the script runs
    result = run_script(*FULL_DEPLOY, **{CREDENTIALS_VARIABLE: "none"})

    # Then it says so, with the AWS CLI's reason, and only asked who it is
    assert result.returncode != 0
    assert "no usable AWS credentials" in result.stderr
    assert "Unable to locate credentials" in result.stderr
    assert [call.command for call in account.calls()] == [("aws", "sts", "get-caller-identity")]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--region", REGION, "--github-repo", REPOSITORY), "missing --admin-email"),
        (("--region", REGION, "--admin-email", ADMIN_EMAIL), "missing --github-repo"),
        (("--admin-email", ADMIN_EMAIL, "--github-repo", REPOSITORY), "missing region"),
        ((*FULL_DEPLOY, "--stage", "qa"), "--stage must be dev or prod"),
        (
            (*FULL_DEPLOY, "--connection-arn", "token-123"),
            "is not a CodeConnections connection ARN",
        ),
        (
            ("--region", REGION, "--admin-email", "admin", "--no-pipelines"),
            "is not an e-mail address",
        ),
        (("--region", REGION, "--github-repo", "shop", "--admin-email", ADMIN_EMAIL), "OWNER/NAME"),
        (("--region", REGION, "--only", "everything"), "--only must be one of"),
        (("--region", REGION, "--delete-data"), "--delete-data goes with --destroy"),
        ((*FULL_DEPLOY, "--branch", "main Stage=prod"), "is not a branch name"),
        ((*FULL_DEPLOY, "--branch", "feature/../x"), "is not a branch name"),
        ((*FULL_DEPLOY, "--branch", "--dry-run"), "--branch needs a value"),
        ((*FULL_DEPLOY, "--cloudformation-role-arn", "admin"), "is not an IAM role ARN"),
        (
            ("--region", REGION, "--admin-email", 'a"b@example.com', "--no-pipelines"),
            "is not an e-mail address",
        ),
    ],
)
def test_a_missing_or_wrong_parameter_stops_it_before_anything_runs(
    account: StandinAccount, run_script: Run, options: tuple[str, ...], message: str
) -> None:
    # Given no region in the environment
    # When the script runs with a parameter missing or wrong
    result = run_script(*options)

    # Then it names the parameter, exits with a usage error, and ran no command at all
    assert result.returncode == 2
    assert message in result.stderr
    assert account.calls() == []


def test_no_pipelines_needs_no_repository_and_deploys_no_pipeline(
    account: StandinAccount, run_script: Run
) -> None:
    # Given an empty account
    # When only the shop is deployed
    succeeded(run_script("--region", REGION, "--admin-email", ADMIN_EMAIL, "--no-pipelines"))

    # Then the application stacks exist and no connection or pipeline was made
    assert account.deployed_stacks() == FIRST_DEPLOY_ORDER[: len(FOUNDATION) + len(APP_STACKS) + 1]


def test_help_describes_every_option(run_script: Run) -> None:
    # When help is asked for
    result = succeeded(run_script("--help"))

    # Then every option the script parses is described
    for option in (
        "--stage",
        "--region",
        "--admin-email",
        "--github-repo",
        "--connection-arn",
        "--branch",
        "--no-pipelines",
        "--only",
        "--cloudformation-role-arn",
        "--dry-run",
        "--destroy",
        "--delete-data",
    ):
        assert option in result.stdout


# ---------------------------------------------------------------- pipelines' roles and teardown
def cloudformation_role_of(account: StandinAccount, component: str) -> str:
    outputs: dict[str, str] = account.state["stacks"][f"shop-dev-pipeline-{component}"]["outputs"]
    return outputs["CloudFormationRoleArn"]


def test_destroy_succeeds_after_the_pipelines_deployed_the_stacks(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a shop whose every stack was then deployed by its pipeline, through the pipeline's
    # CloudFormation role (which the stack stays bound to)
    succeeded(run_script(*FULL_DEPLOY))
    for name in PIPELINE_STACKS:
        account.template_changed(f"shop-dev-{name}")
        role = cloudformation_role_of(account, name)
        succeeded(run_script("--region", REGION, "--only", name, "--cloudformation-role-arn", role))
        assert account.state["stacks"][f"shop-dev-{name}"]["role"] == role

    # When it is destroyed
    succeeded(run_script("--region", REGION, "--destroy"))

    # Then every stack went while its role still existed (the stand-in fails the deletion of
    # a stack whose role is gone), each before its pipeline
    assert account.deleted_stacks() == TEARDOWN_ORDER
    assert account.state["stacks"] == {}


def test_delete_data_waits_for_each_table_change(account: StandinAccount, run_script: Run) -> None:
    # Given a deployed shop
    succeeded(run_script(*FULL_DEPLOY))
    before = len(account.calls())

    # When it is destroyed with its data
    succeeded(run_script("--region", REGION, "--destroy", "--delete-data"))

    # Then each table was waited for after lifting its protection and after its deletion
    table_calls = [call.command[1:] for call in account.calls()[before:] if "dynamodb" in call.args]
    assert (
        table_calls
        == [
            ("dynamodb", "update-table"),
            ("dynamodb", "wait", "table-exists"),
            ("dynamodb", "delete-table"),
            ("dynamodb", "wait", "table-not-exists"),
        ]
        * 4
    )
    retained = account.state["retained"].values()
    assert [item for item in retained if item["type"] == "AWS::DynamoDB::Table"] == []


def test_the_guard_hooks_rules_are_uploaded_before_any_component_stack(
    account: StandinAccount, run_script: Run
) -> None:
    # When the script deploys dev
    succeeded(run_script(*FULL_DEPLOY))
    # Then the rules went under guard/ of dev's artifact bucket, where no pipeline writes,
    # after the artifacts stack (its hook reads them) and before bootstrap
    bucket = account.state["stacks"]["shop-dev-artifacts"]["outputs"]["ArtifactBucketName"]
    events = account.events()
    upload = ("put-object", f"{bucket}/guard/stage-isolation.guard")
    assert events.index(("create", "shop-dev-artifacts")) < events.index(upload)
    assert events.index(upload) < events.index(("create", "shop-dev-bootstrap"))


# ---------------------------------------------------------------- a failed first creation
def test_a_failed_first_creation_is_deleted_and_created_again(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a first deployment of orders that failed and rolled back
    succeeded(run_script(*FULL_DEPLOY))
    account.failed_create("shop-dev-orders")

    before = len(account.events())

    # When the script runs again
    result = succeeded(run_script(*FULL_DEPLOY))

    # Then it said so, deleted the empty stack and created it again
    assert "shop-dev-orders is in ROLLBACK_COMPLETE" in result.stderr
    events = account.events()[before:]
    assert events.index(("delete", "shop-dev-orders")) < events.index(("create", "shop-dev-orders"))
    assert account.state["stacks"]["shop-dev-orders"]["status"] == "CREATE_COMPLETE"


def test_a_rollback_that_failed_is_continued_before_the_next_deployment(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a deployed orders stack whose last update failed and could not roll back
    succeeded(run_script(*FULL_DEPLOY))
    account.failed_rollback("shop-dev-orders")
    account.template_changed("shop-dev-orders")
    before = len(account.events())

    # When the pipeline's deploy step runs for orders
    result = succeeded(run_script("--only", "orders", "--region", "eu-west-1"))

    # Then it said so, continued the rollback, then updated the stack
    assert "shop-dev-orders is in UPDATE_ROLLBACK_FAILED" in result.stderr
    events = account.events()[before:]
    assert events.index(("continue-update-rollback", "shop-dev-orders")) < events.index(
        ("update", "shop-dev-orders")
    )


def test_a_failed_first_creation_of_the_data_stack_stops_and_explains(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a first deployment of bootstrap (tables, user pool) that failed and rolled back
    account.failed_create("shop-dev-bootstrap")

    # When the script runs
    result = run_script(*FULL_DEPLOY)

    # Then it stops, explains what to check, and deletes nothing
    assert result.returncode == 1
    assert "shop-dev-bootstrap is in ROLLBACK_COMPLETE" in result.stderr
    assert "holds the shop's data" in result.stderr
    assert account.deleted_stacks() == []
    assert account.state["stacks"]["shop-dev-bootstrap"]["status"] == "ROLLBACK_COMPLETE"


# ---------------------------------------------------------------- API Gateway's CloudWatch role
ROLE_OUTPUT = "ApiGatewayCloudWatchRoleArn"
APIS = ("shop-dev-api", "shop-prod-api")
# The role the previous version's first stage held in its artifacts stack.
PREVIOUS_ROLE = "arn:aws:iam::123456789012:role/shop-dev-artifacts-ApiGatewayCloudWatchRo-1A2B3C"


def account_role(account: StandinAccount) -> str:
    role: str = account.state["stacks"][ACCOUNT_STACK]["outputs"][ROLE_OUTPUT]
    return role


def lost_roles(account: StandinAccount) -> list[str]:
    """Each role API Gateway's setting named when it was gone (no API's logs written then)."""
    return [name for kind, name in account.events() if kind == "apigateway-role-lost"]


def deploy_both_stages(run_script: Run) -> None:
    succeeded(run_script(*FULL_DEPLOY))
    succeeded(run_script(*FULL_DEPLOY, "--stage", "prod"))


def as_the_previous_version_left_it(account: StandinAccount) -> None:
    """Both stages as the previous version deployed them: the first stage's (dev's) artifacts
    stack holds the role the setting names, and no stack of the account holds one."""
    stacks = account.state["stacks"]
    del stacks[ACCOUNT_STACK]
    for stage, manages in (("dev", "true"), ("prod", "false")):
        artifacts = stacks[f"shop-{stage}-artifacts"]
        artifacts["parameters"]["ManageApiGatewayAccount"] = manages
        artifacts["digest"] = "previous version"
    stacks["shop-dev-artifacts"]["outputs"][ROLE_OUTPUT] = PREVIOUS_ROLE
    account.set(stacks=stacks, apigateway_role=PREVIOUS_ROLE)


def test_one_role_of_the_region_is_set_before_the_first_api_and_shared_by_both_stages(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a region whose API Gateway account has no CloudWatch role
    # When dev then prod are deployed
    deploy_both_stages(run_script)

    # Then the role is the account stack's, created before dev's artifacts stack, and set
    # once, before dev's API came
    role = account_role(account)
    events = account.events()
    assert account.state["apigateway_role"] == role
    assert events.index(("create", ACCOUNT_STACK)) < events.index(("create", "shop-dev-artifacts"))
    assert events.index(("apigateway-account", role)) < events.index(("create", "shop-dev-api"))
    assert [event for event in events if event[0] == "apigateway-account"] == [
        ("apigateway-account", role)
    ]
    # And prod's deployment found it and left it unchanged; no stage's stack holds a role
    assert ("unchanged", ACCOUNT_STACK) in events
    for stage in ("dev", "prod"):
        assert ROLE_OUTPUT not in account.state["stacks"][f"shop-{stage}-artifacts"]["outputs"]


@pytest.mark.parametrize(("first", "last"), [("dev", "prod"), ("prod", "dev")])
def test_the_stages_can_be_destroyed_in_either_order_and_api_logs_keep_their_role(
    account: StandinAccount, run_script: Run, first: str, last: str
) -> None:
    # Given dev and prod deployed in one account and region
    deploy_both_stages(run_script)
    role = account_role(account)

    # When one stage is destroyed
    result = succeeded(run_script("--region", REGION, "--stage", first, "--destroy"))

    # Then the other's API still logs: the setting names the role, which still exists
    assert f"shop-{last}-api" in account.state["stacks"]
    assert account.state["apigateway_role"] == role == account_role(account)
    assert lost_roles(account) == []
    assert f"kept {ACCOUNT_STACK}" in result.stderr

    # When the other is destroyed too
    result = succeeded(run_script("--region", REGION, "--stage", last, "--destroy"))

    # Then the role went with the last stage, once the setting no longer named it
    events = account.events()
    assert account.state["stacks"] == {}
    assert account.state["apigateway_role"] is None
    assert events.index(("apigateway-account", "")) < events.index(("delete", ACCOUNT_STACK))
    assert lost_roles(account) == []
    assert f"shop-{last} is the last stage in {REGION}" in result.stderr


@pytest.mark.parametrize(
    "options",
    [
        FULL_DEPLOY,
        (*FULL_DEPLOY, "--stage", "prod"),
        ("--region", REGION, "--destroy"),
    ],
    ids=["dev-deployed", "prod-deployed", "dev-destroyed"],
)
def test_the_previous_versions_stage_role_moves_to_the_accounts_stack_without_a_gap(
    account: StandinAccount, run_script: Run, options: tuple[str, ...]
) -> None:
    # Given both stages as the previous version left them (dev's artifacts stack holds the role)
    deploy_both_stages(run_script)
    as_the_previous_version_left_it(account)

    # When the new version deploys or destroys a stage
    succeeded(run_script(*options))

    # Then the setting names the account stack's role, set before dev's role could go
    role = account_role(account)
    assert account.state["apigateway_role"] == role
    assert lost_roles(account) == []
    assert any(api in account.state["stacks"] for api in APIS)
    # And the last teardown leaves nothing, the setting cleared, whichever stage remains
    for stage in ("dev", "prod"):
        succeeded(run_script("--region", REGION, "--stage", stage, "--destroy"))
    assert account.state["stacks"] == {}
    assert account.state["apigateway_role"] is None
    assert lost_roles(account) == []


def test_a_setting_naming_a_role_that_is_gone_is_replaced(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a setting left by the previous version's teardown: it names a role that is gone
    account.set(apigateway_role=PREVIOUS_ROLE)

    # When a stage is deployed
    succeeded(run_script(*FULL_DEPLOY, "--stage", "prod"))

    # Then the setting names the account stack's role, which exists
    assert account.state["apigateway_role"] == account_role(account)


def test_a_role_that_is_not_the_shops_is_left_as_it_is(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a region whose setting names another project's role
    theirs = "arn:aws:iam::123456789012:role/their-apigateway-logs"
    account.set(other_roles=[theirs], apigateway_role=theirs)

    # When a stage is deployed, then destroyed
    deployed = succeeded(run_script(*FULL_DEPLOY))
    assert ACCOUNT_STACK in account.state["stacks"]
    succeeded(run_script("--region", REGION, "--destroy"))

    # Then the setting still names their role, and the script said why it left it
    assert "not the shop's: left as it is" in deployed.stderr
    assert account.state["apigateway_role"] == theirs
    assert account.state["stacks"] == {}


def test_a_dry_run_shows_the_role_set_before_the_artifacts_stack(
    account: StandinAccount, run_script: Run
) -> None:
    # When a deployment's plan is asked for
    result = succeeded(run_script(*FULL_DEPLOY, "--dry-run"))

    # Then it deploys the account's role, waits for it and sets it, then the stage's stacks
    plan = [shlex.split(line) for line in result.stdout.splitlines()]
    steps = [
        stack_of(command) if command[:2] == ["sam", "deploy"] else " ".join(command[:3])
        for command in plan
    ]
    account_deploy = steps.index(ACCOUNT_STACK)
    waiting = steps.index("aws iam wait")
    setting = steps.index("aws apigateway update-account")
    assert account_deploy < waiting < setting < steps.index("shop-dev-artifacts")
    assert account.calls() == []


def test_a_dry_run_teardown_shows_the_setting_cleared_before_the_role_goes(
    account: StandinAccount, run_script: Run
) -> None:
    # When a teardown's plan is asked for
    result = succeeded(run_script("--region", REGION, "--destroy", "--dry-run"))

    # Then the setting is cleared, then the role's stack deleted, then the artifacts stack
    plan = [shlex.split(line) for line in result.stdout.splitlines()]
    clearing = plan.index(
        [
            "aws",
            "apigateway",
            "update-account",
            "--region",
            REGION,
            "--patch-operations",
            "op=replace,path=/cloudwatchRoleArn",
        ]
    )
    deletions = [
        command[-1] for command in plan if command[:3] == ["aws", "cloudformation", "delete-stack"]
    ]
    assert deletions[-2:] == [ACCOUNT_STACK, "shop-dev-artifacts"]
    account_deletion = plan.index(
        ["aws", "cloudformation", "delete-stack", "--region", REGION, "--stack-name", ACCOUNT_STACK]
    )
    assert clearing < account_deletion
    assert account.calls() == []


def test_the_account_setting_waits_for_the_role_to_propagate(
    account: StandinAccount, run_script: Run
) -> None:
    # Given an API Gateway that refuses a new role once (IAM has not propagated it yet)
    account.set(apigateway_refusals=1)

    # When the shop is deployed
    result = succeeded(run_script(*FULL_DEPLOY))

    # Then the script waited for the role, retried the setting, and went on
    commands = [call.command for call in account.calls()]
    first_try = commands.index(("aws", "apigateway", "update-account"))
    assert commands[first_try - 1] == ("aws", "iam", "wait", "role-exists")
    assert commands[first_try + 1] == ("aws", "apigateway", "update-account")
    assert "IAM propagation" in result.stderr
    assert account.state["apigateway_role"] is not None


# ---------------------------------------------------------------- approvals
@pytest.mark.parametrize(("stage", "approves_every_deploy"), [("dev", "false"), ("prod", "true")])
def test_in_prod_every_pipeline_waits_for_a_person(
    account: StandinAccount, run_script: Run, stage: str, approves_every_deploy: str
) -> None:
    succeeded(run_script(*FULL_DEPLOY, "--stage", stage))
    for name in PIPELINES:
        parameters = deploy_parameters(account, f"shop-{stage}-pipeline-{name}")
        assert parameters["ApproveEveryDeploy"] == approves_every_deploy


# ---------------------------------------------------------------- custom domains
def test_a_pipeline_may_write_the_records_of_its_stacks_domain_only(
    account: StandinAccount, run_script: Run
) -> None:
    # Given a stage deployed once, then its site and API given their own domains
    succeeded(run_script(*FULL_DEPLOY))
    account.deployed_with("shop-dev-bootstrap", WebDomainName="shop-dev.example.com")
    account.deployed_with("shop-dev-api", ApiDomainName="api.shop-dev.example.com")

    # When it is deployed again
    succeeded(run_script(*FULL_DEPLOY))

    # Then the bootstrap and api pipelines name their domain and the names under it, and no
    # other pipeline names any
    names = {
        name: deploy_parameters(account, f"shop-dev-pipeline-{name}")["DomainNames"]
        for name in PIPELINES
    }
    assert names.pop("bootstrap") == "shop-dev.example.com,*.shop-dev.example.com"
    assert names.pop("api") == "api.shop-dev.example.com,*.api.shop-dev.example.com"
    assert set(names.values()) == {""}


# ---------------------------------------------------------------- bash 3.2 and shellcheck
def test_the_script_is_shellcheck_clean() -> None:
    shellcheck = Path(sys.executable).parent / "shellcheck"
    result = subprocess.run(
        [str(shellcheck), str(SCRIPT), str(REPO_ROOT / ".ci" / "run")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_no_array_that_may_be_empty_is_expanded_unguarded() -> None:
    # bash before 4.4 (macOS ships 3.2) calls an empty "${name[@]}" an unbound variable under
    # `set -u`: every array that starts empty must be expanded as ${name[@]+"${name[@]}"}, and
    # `readonly NAME=(...)` is not bash 3.2 syntax.
    code = "\n".join(
        line for line in SCRIPT.read_text().splitlines() if not line.lstrip().startswith("#")
    )
    may_be_empty = set(re.findall(r"\b(\w+)=\(\)", code))
    unguarded = set(re.findall(r'(?<!\+)"\$\{(\w+)\[[@*]\]\}"', code)) & may_be_empty
    assert may_be_empty
    assert unguarded == set()
    assert not re.search(r"^\s*readonly \w+=\(", code, re.MULTILINE)
