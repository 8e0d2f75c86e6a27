"""The local stand-in for CloudFormation: each template's parameters, references and exports.

Every `shop-<stage>-<Name>` export gets its local value from the outputs of the templates
themselves (tables, pool, functions), so function environments and API integrations are
resolved exactly as they are in the cloud, with only the values local.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from local.lambda_.functions import FunctionConfig
from stacks.environment import lambda_environment
from stacks.intrinsics import Scope, UnresolvableError, resolve
from stacks.templates import FunctionSpec, load_template, parameter_defaults

ACCOUNT_ID = "123456789012"  # moto's default account


@dataclass
class LocalCloud:
    """One local deployment: its stage, region, parameter overrides and the exports so far."""

    stage: str
    region: str
    parameter_overrides: Mapping[str, str] = field(default_factory=dict)
    exports: dict[str, Any] = field(default_factory=dict)

    def export_name(self, name: str) -> str:
        return f"shop-{self.stage}-{name}"

    def function_name(self, logical_id: str) -> str:
        return f"shop-{self.stage}-{logical_id}"

    def function_arn(self, logical_id: str) -> str:
        return (
            f"arn:aws:lambda:{self.region}:{ACCOUNT_ID}:function:{self.function_name(logical_id)}"
        )

    def scope(
        self,
        template_path: Path,
        resources: Mapping[str, Any],
        attributes: Mapping[str, Any] | None = None,
    ) -> Scope:
        """How intrinsic functions resolve in `template_path`, given its local resources."""
        template = load_template(template_path)
        declared = template.get("Parameters", {})
        parameters = {
            **parameter_defaults(template),
            "Stage": self.stage,
            **{name: value for name, value in self.parameter_overrides.items() if name in declared},
        }
        pseudo = {
            "AWS::Region": self.region,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": f"shop-{self.stage}-{template_path.parent.name}",
            "AWS::NoValue": None,
        }
        return Scope(
            references={**pseudo, **parameters, **resources},
            attributes=dict(attributes or {}),
            exports=self.exports,
            conditions=template.get("Conditions", {}),
        )

    def publish_outputs(
        self, template_path: Path, scope: Scope, local_values: Mapping[str, Any] | None = None
    ) -> None:
        """Export the template's outputs; `local_values` (by short name) replace cloud-only ones.

        An output that names something not emulated locally (a CloudFront domain...) and has
        no local value is left out: importing it fails with a clear message.
        """
        overrides = dict(local_values or {})
        for output in load_template(template_path).get("Outputs", {}).values():
            if "Export" not in output:
                continue
            name = str(resolve(output["Export"]["Name"], scope))
            short_name = name.removeprefix(self.export_name(""))
            if short_name in overrides:
                self.exports[name] = overrides[short_name]
                continue
            try:
                self.exports[name] = resolve(output["Value"], scope)
            except UnresolvableError:
                continue

    def invoked_arn(self, spec: FunctionSpec) -> str:
        """The ARN callers invoke: its alias's (`<arn>:<alias>`) when the template publishes
        versions behind one (`AutoPublishAlias`), else the function's."""
        arn = self.function_arn(spec.logical_id)
        alias = spec.properties.get("AutoPublishAlias")
        return f"{arn}:{alias}" if alias else arn

    def function_scope(self, template_path: Path, functions: Mapping[str, FunctionSpec]) -> Scope:
        return self.scope(
            template_path,
            resources={
                **{logical_id: self.function_name(logical_id) for logical_id in functions},
                # SAM's `!Ref <Function>.Alias`: the alias's ARN.
                **{
                    f"{logical_id}.Alias": self.invoked_arn(spec)
                    for logical_id, spec in functions.items()
                },
            },
            attributes={
                **{f"{logical_id}.Arn": self.function_arn(logical_id) for logical_id in functions},
                # A role's ARN names it, as CloudFormation would (<stack>-<LogicalId>).
                **{
                    f"{logical_id}.Arn": f"arn:aws:iam::{ACCOUNT_ID}:role/"
                    f"shop-{self.stage}-{template_path.parent.name}-{logical_id}"
                    for logical_id, resource in load_template(template_path)
                    .get("Resources", {})
                    .items()
                    if resource.get("Type") == "AWS::IAM::Role"
                },
            },
        )

    def function_config(
        self, spec: FunctionSpec, scope: Scope, emulator: Mapping[str, str]
    ) -> FunctionConfig:
        """How a function's workers start: its code, layers and limits from the template, and
        its whole environment: its template's variables resolved in `scope`, Lambda's own,
        and `emulator` (credentials, what points it at the emulator)."""
        name = self.function_name(spec.logical_id)
        return FunctionConfig(
            name=name,
            arn=self.invoked_arn(spec),
            handler=spec.handler,
            task_root=spec.code_dir,
            layers=tuple(spec.layer_dirs),
            environment=lambda_environment(
                name,
                handler=spec.handler,
                task_root=spec.code_dir,
                memory_mb=spec.memory_mb,
                region=self.region,
                template_variables=resolved_environment(spec, scope),
                emulator=emulator,
            ),
            timeout_seconds=spec.timeout_seconds,
            memory_mb=spec.memory_mb,
        )


def resolved_environment(spec: FunctionSpec, scope: Scope) -> dict[str, str]:
    """A function's Environment.Variables as Lambda would see them (all strings)."""
    variables = resolve(spec.environment, scope)
    return {name: _as_env_value(value) for name, value in variables.items() if value is not None}


def _as_env_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
