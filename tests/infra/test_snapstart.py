"""SnapStart for the Python functions: a per-stage parameter (on in prod through
samconfig.toml, off in dev), published versions behind the alias `live`, and the alias as
what each stack exports and the API invokes.
"""

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from samcli.lib.config.samconfig import SamConfig

from stacks.templates import (
    AUTH_TEMPLATE,
    REPO_ROOT,
    SERVICE_TEMPLATES,
    function_exports,
    load_template,
    serverless_functions,
)
from tests.infra.test_exports import PLAN_OPTIONS, dry_run

ALIAS = "live"
# The stacks with SnapStart, by samconfig.toml component name (the partners stack is not
# one of them: its partner-facing functions are container images, which SnapStart does not
# take).
FUNCTION_STACKS = {
    "auth": AUTH_TEMPLATE,
    "products": SERVICE_TEMPLATES["products"],
    "orders": SERVICE_TEMPLATES["orders"],
}
SNAPSTART_BY_STAGE = {"dev": "false", "prod": "true"}
TEMPLATES = list(FUNCTION_STACKS.values())
# Every stack whose functions another stack invokes through an export.
EXPORTING_TEMPLATES = [*TEMPLATES, SERVICE_TEMPLATES["partners"]]
PARTNER_IMAGES_TEMPLATE = REPO_ROOT / "services" / "partners" / "images.template.yaml"


def template_id(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


def overrides(text: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in shlex.split(text))


def deployed_parameters(stage: str, component: str) -> dict[str, str]:
    """The parameters deploy_everything.sh deploys a stack with: the ones it passes, else
    samconfig.toml's (a --parameter-overrides on the command line replaces them all)."""
    for command in dry_run("--stage", stage, *PLAN_OPTIONS):
        if command[:2] == ["sam", "deploy"] and f"{stage}-{component}" in command:
            if "--parameter-overrides" in command:
                start = command.index("--parameter-overrides") + 1
                given = [item for item in command[start:] if "=" in item]
                return dict(item.split("=", 1) for item in given)
            config = SamConfig(str(REPO_ROOT))
            deploy = config.get_all(["deploy"], "parameters", env=f"{stage}-{component}")
            return overrides(deploy["parameter_overrides"])
    raise AssertionError(f"the plan does not deploy {stage}-{component}")


@pytest.mark.parametrize("template", TEMPLATES, ids=template_id)
def test_snapstart_is_a_parameter_off_unless_asked_for(template: Path) -> None:
    parameters = load_template(template)["Parameters"]
    assert parameters["SnapStart"]["AllowedValues"] == ["true", "false"]
    assert parameters["SnapStart"]["Default"] == "false"
    assert load_template(template)["Conditions"]["SnapStartOn"] == {
        "Fn::Equals": [{"Ref": "SnapStart"}, "true"]
    }


@pytest.mark.parametrize("template", TEMPLATES, ids=template_id)
def test_every_function_publishes_versions_behind_the_alias_with_snapstart_on_them(
    template: Path,
) -> None:
    for logical_id, function in serverless_functions(template).items():
        properties: dict[str, Any] = function.properties
        assert properties["AutoPublishAlias"] == ALIAS, logical_id
        # A new version for any change (layer, settings), so the alias never lags the code.
        assert properties["AutoPublishAliasAllProperties"] is True, logical_id
        assert properties["VersionDeletionPolicy"] == "Delete", logical_id
        assert properties["SnapStart"] == {
            "ApplyOn": {"Fn::If": ["SnapStartOn", "PublishedVersions", "None"]}
        }, logical_id


@pytest.mark.parametrize("template", EXPORTING_TEMPLATES, ids=template_id)
def test_every_function_is_exported_as_its_alias_never_as_the_function(template: Path) -> None:
    outputs = load_template(template)["Outputs"].values()
    exported = [output["Value"] for output in outputs if "Export" in output]
    # A function its own event source invokes (the Orders stream's NotifyOrder) is not
    # exported: SAM points the mapping at the alias itself.
    invoked_elsewhere = [
        logical_id
        for logical_id, function in serverless_functions(template).items()
        if not function.properties.get("Events")
    ]
    for logical_id in invoked_elsewhere:
        assert {"Ref": f"{logical_id}.Alias"} in exported
        assert {"Fn::GetAtt": [logical_id, "Arn"]} not in exported
    assert sorted(function_exports(template).values()) == sorted(invoked_elsewhere)


def test_the_partner_images_repository_never_expires_an_image_a_version_may_name() -> None:
    # Given the lifecycle rules of the partner functions' image repository
    repository = load_template(PARTNER_IMAGES_TEMPLATE)["Resources"]["PartnerImageRepository"]
    policy = repository["Properties"]["LifecyclePolicy"]["LifecyclePolicyText"]
    rules = json.loads(policy)["rules"]

    # Then every tagged image (each is its commit's, and a kept version may name it by
    # digest for a rollback) is kept: only untagged leftovers expire
    assert rules
    assert all(rule["selection"]["tagStatus"] == "untagged" for rule in rules)


@pytest.mark.parametrize("stage", sorted(SNAPSTART_BY_STAGE))
@pytest.mark.parametrize("component", sorted(FUNCTION_STACKS))
def test_samconfig_turns_snapstart_on_in_prod_only(stage: str, component: str) -> None:
    deploy = SamConfig(str(REPO_ROOT)).get_all(["deploy"], "parameters", env=f"{stage}-{component}")
    assert overrides(deploy["parameter_overrides"])["SnapStart"] == SNAPSTART_BY_STAGE[stage]


@pytest.mark.parametrize("stage", sorted(SNAPSTART_BY_STAGE))
@pytest.mark.parametrize("component", sorted(FUNCTION_STACKS))
def test_the_deploy_script_deploys_each_stage_with_its_snapstart_setting(
    stage: str, component: str
) -> None:
    parameters = deployed_parameters(stage, component)
    assert parameters["Stage"] == stage
    assert parameters["SnapStart"] == SNAPSTART_BY_STAGE[stage]
