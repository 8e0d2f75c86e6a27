"""The stack templates: each passes `sam validate --lint`, and the API stack wires up what
its contract (api_gateway/openapi.yaml) routes to.
"""

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from partners.models import Tier
from stacks.templates import (
    API_TEMPLATE,
    OPENAPI,
    REPO_ROOT,
    SERVICE_TEMPLATES,
    all_templates,
    api_operations,
    export_name_text,
    imported_exports,
    load_openapi,
    load_template,
    resources_of_type,
    serverless_functions,
)

SAM = Path(sys.executable).with_name("sam")
# `sam validate --lint` takes seconds per template; two at a time is what 2 cores allow.
LINT_WORKERS = 2
LINT_TIMEOUT_SECONDS = 300
EXECUTE_API_ARN = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ShopApi}"

API = load_template(API_TEMPLATE)
API_RESOURCE = resources_of_type(API, "AWS::Serverless::Api")["ShopApi"]["Properties"]
PERMISSIONS = resources_of_type(API, "AWS::Lambda::Permission")


def sam_validate(template: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SAM), "validate", "--lint", "--template-file", str(template)],
        capture_output=True,
        text=True,
        timeout=LINT_TIMEOUT_SECONDS,
        check=False,
    )


@pytest.fixture(scope="module")
def lint_runs() -> Iterator[dict[Path, Future[subprocess.CompletedProcess[str]]]]:
    with ThreadPoolExecutor(max_workers=LINT_WORKERS) as pool:
        yield {template: pool.submit(sam_validate, template) for template in all_templates()}


@pytest.mark.parametrize(
    "template", all_templates(), ids=lambda path: str(path.relative_to(REPO_ROOT))
)
def test_template_passes_sam_validate_lint(
    template: Path, lint_runs: dict[Path, Future[subprocess.CompletedProcess[str]]]
) -> None:
    # Given the template  When SAM validates it with cfn-lint  Then nothing is wrong with it
    run = lint_runs[template].result()
    assert run.returncode == 0, run.stdout + run.stderr


def imported_export(node: Any) -> str:
    [name] = imported_exports(node)
    return name


def routed_functions() -> dict[str, str]:
    """Each route's function, as the contract integrates it: export name -> `METHOD /path`."""
    return {
        imported_export(operation["x-amazon-apigateway-integration"]["uri"]): route
        for route, operation in api_operations().items()
    }


def authorizer_export() -> str:
    scheme = load_openapi()["components"]["securitySchemes"]["JwtAuthorizer"]
    return imported_export(scheme["x-amazon-apigateway-authorizer"]["authorizerUri"])


def permission_for(export: str) -> dict[str, Any]:
    permissions = [resource["Properties"] for resource in PERMISSIONS.values()]
    [permission] = [p for p in permissions if imported_export(p["FunctionName"]) == export]
    return dict(permission)


def test_the_api_is_the_openapi_contract_beside_the_template() -> None:
    include = API_RESOURCE["DefinitionBody"]["Fn::Transform"]
    assert include["Name"] == "AWS::Include"
    assert API_TEMPLATE.parent / include["Parameters"]["Location"] == OPENAPI


def test_api_gateway_may_invoke_each_routed_function_for_its_route_only() -> None:
    for export, route in routed_functions().items():
        # Given the permission on the function a route integrates
        permission = permission_for(export)
        method, path = route.split(" ")
        method_arn_path = re.sub(r"\{[^}]+\}", "*", path)
        # Then API Gateway, for this API's method and path on any stage, may invoke it
        assert permission["Principal"] == "apigateway.amazonaws.com", route
        assert permission["Action"] == "lambda:InvokeFunction", route
        assert permission["SourceArn"] == {
            "Fn::Sub": f"{EXECUTE_API_ARN}/*/{method}{method_arn_path}"
        }


def test_api_gateway_may_invoke_the_authorizer_for_this_apis_authorizers_only() -> None:
    permission = permission_for(authorizer_export())
    assert permission["Principal"] == "apigateway.amazonaws.com"
    assert permission["SourceArn"] == {"Fn::Sub": f"{EXECUTE_API_ARN}/authorizers/*"}


def test_no_function_may_be_invoked_that_the_api_does_not_call() -> None:
    permitted = {imported_export(p["Properties"]["FunctionName"]) for p in PERMISSIONS.values()}
    assert permitted == {*routed_functions(), authorizer_export()}


def test_the_stage_is_throttled_by_the_stack_parameters() -> None:
    [settings] = API_RESOURCE["MethodSettings"]
    assert (settings["ResourcePath"], settings["HttpMethod"]) == ("/*", "*")
    for limit in ("ThrottlingRateLimit", "ThrottlingBurstLimit"):
        assert settings[limit] == {"Ref": limit}
        assert API["Parameters"][limit]["Type"] == "Number"


def test_the_stage_is_traced_and_named_after_the_deployment_stage() -> None:
    assert API_RESOURCE["TracingEnabled"] is True
    assert API_RESOURCE["StageName"] == {"Ref": "Stage"}


def test_access_logs_are_json_lines_in_a_log_group_that_expires() -> None:
    # Given the access log setting
    setting = API_RESOURCE["AccessLogSetting"]
    [log_group, _] = setting["DestinationArn"]["Fn::GetAtt"]
    # When API Gateway fills in its variables
    line = setting["Format"].replace("$context.error.messageString", '"Unauthorized"')
    line = re.sub(r"\$context\.[A-Za-z.]+", "value", line)
    # Then each line is a JSON object, written to a group with a retention period
    assert isinstance(json.loads(line), dict)
    assert API["Resources"][log_group]["Type"] == "AWS::Logs::LogGroup"
    assert "RetentionInDays" in API["Resources"][log_group]["Properties"]


def test_api_gateways_cloudwatch_role_is_in_a_stack_of_the_account_and_region_alone() -> None:
    # Given the account's API Gateway stack and the artifacts stack (both deployed by
    # deploy_everything.sh, which makes the account setting once the role has propagated)
    account = load_template(REPO_ROOT / "pipelines" / "apigateway-account.template.yaml")
    artifacts = load_template(REPO_ROOT / "pipelines" / "artifacts.template.yaml")
    # Then the account's stack holds one role and takes no stage (it belongs to none), and no
    # stage's artifacts stack holds a role for API Gateway
    [(logical_id, role)] = account["Resources"].items()
    assert role["Type"] == "AWS::IAM::Role"
    assert "Parameters" not in account
    assert account["Outputs"]["ApiGatewayCloudWatchRoleArn"]["Value"] == {
        "Fn::GetAtt": [logical_id, "Arn"]
    }
    assert "Export" not in account["Outputs"]["ApiGatewayCloudWatchRoleArn"]
    trusted = [
        statement["Principal"]
        for artifact_role in resources_of_type(artifacts, "AWS::IAM::Role").values()
        for statement in artifact_role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    ]
    assert {"Service": "apigateway.amazonaws.com"} not in trusted
    # And it trusts API Gateway of this account alone, and carries no stage's boundary: it
    # writes every stage's API logs, and a boundary allows its stage's own only
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "apigateway.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    assert "PermissionsBoundary" not in role["Properties"]
    # And the API stack, which a pipeline deploys, neither creates a role nor sets the account
    kinds = {resource["Type"] for resource in API["Resources"].values()}
    assert not kinds & {"AWS::IAM::Role", "AWS::ApiGateway::Account"}


def test_the_api_url_is_exported_for_the_web_client() -> None:
    output = API["Outputs"]["ApiUrl"]
    assert export_name_text(output["Export"]["Name"]) == "shop-${Stage}-ApiUrl"
    # The API's own domain when it has one (test_identity_and_edge), else the invoke URL.
    assert output["Value"] == {
        "Fn::If": [
            "HasApiDomain",
            {"Fn::Sub": "https://${ApiDomainName}"},
            {"Fn::Sub": "https://${ShopApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}"},
        ]
    }


# ---------------------------------------------------------------- partners' usage plans
USAGE_PLANS = resources_of_type(API, "AWS::ApiGateway::UsagePlan")
# The seed's plan (shared/seeds/003): rate 10 requests/s, burst 10, 100 requests a day.
SEED_PLAN = {"rate": 10, "burst": 10, "quota": 100, "period": "DAY"}


def plan_named(tier: str) -> dict[str, Any]:
    [plan] = [
        resource["Properties"]
        for resource in USAGE_PLANS.values()
        if resource["Properties"]["UsagePlanName"]
        == {"Fn::Sub": f"shop-${{Stage}}-partners-{tier}"}
    ]
    return plan


def figures(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan's limits with the template's parameter defaults."""

    def default(node: Any) -> Any:
        return API["Parameters"][node["Ref"]]["Default"] if isinstance(node, dict) else node

    return {
        "rate": default(plan["Throttle"]["RateLimit"]),
        "burst": default(plan["Throttle"]["BurstLimit"]),
        "quota": default(plan["Quota"]["Limit"]),
        "period": plan["Quota"]["Period"],
    }


def test_the_basic_plan_carries_the_seeds_figures() -> None:
    assert figures(plan_named("basic")) == SEED_PLAN


def test_the_pro_plan_allows_more() -> None:
    assert figures(plan_named("pro")) == {
        "rate": 100,
        "burst": 200,
        "quota": 100_000,
        "period": "DAY",
    }


def test_each_tier_has_one_plan_on_the_apis_stage_with_parameters_for_its_figures() -> None:
    # Given the tiers the partners service knows
    tiers = [tier.value for tier in Tier]
    assert len(USAGE_PLANS) == len(tiers)
    for tier in tiers:
        plan = plan_named(tier)
        # Then its plan is on this API's stage, and its limits are parameters
        assert plan["ApiStages"] == [
            {"ApiId": {"Ref": "ShopApi"}, "Stage": {"Ref": "ShopApi.Stage"}}
        ]
        for limit in (plan["Throttle"]["RateLimit"], plan["Throttle"]["BurstLimit"]):
            assert API["Parameters"][limit["Ref"]]["Type"] == "Number"
        assert API["Parameters"][plan["Quota"]["Limit"]["Ref"]]["Type"] == "Number"


def test_the_admin_functions_find_the_plans_by_the_names_the_api_gives_them() -> None:
    # Given the prefix the partners template gives its admin functions
    partners = serverless_functions(SERVICE_TEMPLATES["partners"])
    prefixes = {
        str(spec.environment["USAGE_PLAN_NAME_PREFIX"]["Fn::Sub"])
        for spec in partners.values()
        if "USAGE_PLAN_NAME_PREFIX" in spec.environment
    }
    # Then prefix + tier is each plan's name, and the plans' ids are imported by no stack
    [prefix] = prefixes
    for tier in Tier:
        assert plan_named(tier.value)["UsagePlanName"] == {"Fn::Sub": f"{prefix}{tier.value}"}
    assert not any("UsagePlan" in output for output in API.get("Outputs", {}))
