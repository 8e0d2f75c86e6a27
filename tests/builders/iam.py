"""IAM policies of our templates, made concrete and evaluated with iam-ape.

`resolve` turns a template fragment into the JSON IAM receives for one stage, component and
account: Fn::Sub, Ref, Fn::GetAtt (the stack's resources, as given), Fn::Join, Fn::Split,
Fn::Select, Fn::If (with the template's conditions), Fn::ImportValue (from the exports given)
and AWS::NoValue.
`Principal` computes a role's effective permissions with iam-ape (wildcard actions expanded
against AWS's action list, explicit denies removed, the permissions boundary applied) and
answers whether one request is allowed: iam-ape keeps each permission's conditions as data,
which `condition_holds` evaluates against the request's context with IAM's operator rules
(an operator it does not know fails the test). iam-ape 1.1.6 lists a statement with two
condition operators as two permissions, one per operator; `allows` joins them again by
statement, as IAM requires both.
"""

import fnmatch
import io
import json
import re
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import cfnlint
from iam_ape.evaluator import AuthorizationDetails, EffectivePolicyEvaluator
from iam_ape.expand_policy import PolicyExpander, actions_json_location
from iam_ape.helper_classes import PermissionsContainer
from iam_ape.helper_types import EntityType

ACCOUNT_ID = "123456789012"
REGION = "eu-west-1"
PARTITION = "aws"


# ---------------------------------------------------------------- templates made concrete
@dataclass(frozen=True)
class Scope:
    """The values a template's intrinsic functions resolve to in one deployment."""

    parameters: Mapping[str, str | list[str]]  # a CommaDelimitedList's value is a list
    conditions: Mapping[str, Any]
    exports: Mapping[str, str] = field(default_factory=dict)
    # The stack's own resources: logical id -> Ref value, and "<logical id>.<attribute>".
    resources: Mapping[str, str] = field(default_factory=dict)

    @property
    def variables(self) -> dict[str, str | list[str]]:
        return {
            **self.resources,
            **self.parameters,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Region": REGION,
            "AWS::Partition": PARTITION,
            "AWS::URLSuffix": "amazonaws.com",
        }

    def holds(self, condition: Any) -> bool:
        if isinstance(condition, str):
            return self.holds(self.conditions[condition])
        ((function, arguments),) = condition.items()
        if function == "Condition":
            return self.holds(arguments)
        if function == "Fn::Equals":
            left, right = (resolve(argument, self) for argument in arguments)
            return bool(left == right)
        if function == "Fn::Not":
            return not self.holds(arguments[0])
        if function == "Fn::Or":
            return any(self.holds(item) for item in arguments)
        if function == "Fn::And":
            return all(self.holds(item) for item in arguments)
        raise ValueError(f"unsupported condition {condition!r}")


class _NoValue:
    pass


NO_VALUE = _NoValue()


def _substitute(text: str, variables: Mapping[str, Any]) -> str:
    return re.sub(r"\$\{([^}!]+)\}", lambda match: str(variables[match.group(1)]), text)


def resolve(node: Any, scope: Scope) -> Any:
    """`node` with every intrinsic function replaced by its value in `scope`."""
    if isinstance(node, list):
        return [item for item in (resolve(value, scope) for value in node) if item is not NO_VALUE]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        ((key, value),) = node.items()
        if key == "Ref":
            return NO_VALUE if value == "AWS::NoValue" else scope.variables[value]
        if key == "Fn::Sub":
            text, extra = (value, {}) if isinstance(value, str) else value
            local = {name: resolve(item, scope) for name, item in extra.items()}
            return _substitute(text, {**scope.variables, **local})
        if key == "Fn::If":
            condition, when_true, when_false = value
            return resolve(when_true if scope.holds(condition) else when_false, scope)
        if key == "Fn::ImportValue":
            return scope.exports[resolve(value, scope)]
        if key == "Fn::GetAtt":
            return scope.variables[value if isinstance(value, str) else ".".join(value)]
        if key == "Fn::Split":
            delimiter, text = value
            return str(resolve(text, scope)).split(delimiter)
        if key == "Fn::Select":
            index, items = value
            return resolve(items, scope)[int(index)]
        if key == "Fn::Join":
            delimiter, items = value
            return delimiter.join(str(item) for item in resolve(items, scope))
    resolved = {key: resolve(value, scope) for key, value in node.items()}
    return {key: value for key, value in resolved.items() if value is not NO_VALUE}


# ---------------------------------------------------------------- conditions
def _values(value: Any) -> list[str]:
    return [str(item) for item in (value if isinstance(value, list) else [value])]


def _like(pattern: str, value: str) -> bool:
    return fnmatch.fnmatchcase(value, pattern)


_OPERATORS = {
    "StringEquals": lambda expected, actual: actual == expected,
    "StringLike": _like,
    "ArnEquals": lambda expected, actual: actual == expected,
    "ArnLike": _like,
}


def condition_holds(condition: Mapping[str, Any] | None, context: Mapping[str, str]) -> bool:
    """IAM's rules: every operator and key must match; a key absent from the request fails
    the condition, except with an ...IfExists operator; a negated operator (StringNotEquals)
    holds on an absent key; Null tests whether the key is absent. ForAllValues: every value
    of the request's key must match (an absent key holds), ForAnyValue: one of them."""
    for qualified, tests in (condition or {}).items():
        qualifier, _, operator = qualified.rpartition(":")
        if operator == "Null":
            if not all(_null_holds(key, expected, context) for key, expected in tests.items()):
                return False
            continue
        base = operator.removesuffix("IfExists")
        negated = "Not" in base
        compare = _OPERATORS.get(base.replace("Not", ""))
        if compare is None:
            raise ValueError(f"condition operator {qualified} is not evaluated here")
        for key, expected in tests.items():
            actual = {name.lower(): value for name, value in context.items()}.get(key.lower())
            if actual is None:
                if qualifier == "ForAllValues" or operator.endswith("IfExists") or negated:
                    continue
                return False
            hits = [
                any(compare(item, one) for item in _values(expected)) for one in _values(actual)
            ]
            matched = all(hits) if qualifier == "ForAllValues" else any(hits)
            if matched == negated:
                return False
    return True


def _null_holds(key: str, expected: Any, context: Mapping[str, str]) -> bool:
    """Null: "true" holds when the request lacks the key, "false" when it has it."""
    absent = key.lower() not in {name.lower() for name in context}
    return any((value.lower() == "true") == absent for value in _values(expected))


# ---------------------------------------------------------------- principals
@dataclass(frozen=True)
class Principal:
    """A role's effective permissions (iam-ape), and requests checked against them."""

    permissions: PermissionsContainer

    @classmethod
    def role(
        cls,
        managed_policies: Mapping[str, dict[str, Any]],
        inline_policies: Mapping[str, dict[str, Any]] | None = None,
        boundary: tuple[str, dict[str, Any]] | None = None,
    ) -> "Principal":
        """A role with the given managed policies (ARN -> document), inline policies (name ->
        document) and permissions boundary (ARN, document)."""
        documents = dict(managed_policies)
        role: dict[str, Any] = {
            "Arn": f"arn:aws:iam::{ACCOUNT_ID}:role/under-test",
            "RoleName": "under-test",
            "RolePolicyList": [
                {"PolicyName": name, "PolicyDocument": document}
                for name, document in (inline_policies or {}).items()
            ],
            "AttachedManagedPolicies": [{"PolicyArn": arn} for arn in managed_policies],
        }
        if boundary is not None:
            documents[boundary[0]] = boundary[1]
            role["PermissionsBoundary"] = {"PermissionsBoundaryArn": boundary[0]}
        details = {
            "RoleDetailList": [role],
            "Policies": [
                {
                    "Arn": arn,
                    "PolicyName": arn.rsplit("/", 1)[-1],
                    "PolicyVersionList": [
                        {"Document": document, "VersionId": "v1", "IsDefaultVersion": True}
                    ],
                }
                for arn, document in documents.items()
            ],
        }
        evaluator = EffectivePolicyEvaluator(AuthorizationDetails(details), None, _expander())
        return cls(evaluator.evaluate(role["Arn"], EntityType.role))

    def actions(self) -> set[str]:
        """Every action allowed on some resource under some condition, lower case."""
        return {action.lower() for action in self.permissions.allowed_permissions}

    def allows(self, action: str, resource: str, context: Mapping[str, str] | None = None) -> bool:
        grants = {
            name.lower(): entries for name, entries in self.permissions.allowed_permissions.items()
        }.get(action.lower(), set())
        by_statement: dict[tuple[str, Any, Any], dict[str, Any]] = defaultdict(dict)
        for grant in grants:
            if _resource_matches(grant.resource, grant.not_resource, resource):
                by_statement[(grant.source, grant.resource, grant.not_resource)].update(
                    grant.condition or {}
                )
        return any(condition_holds(joined, context or {}) for joined in by_statement.values())


@cache
def _expander() -> PolicyExpander:
    """iam-ape with AWS's action list as it ships it, plus the actions added since that cfn-lint
    (a newer list) knows: iam-ape ignores an action it does not know, even in an Allow."""
    with tarfile.open(actions_json_location) as shipped:
        member = shipped.extractfile("actions.json")
        assert member is not None
        actions: dict[str, dict[str, Any]] = json.load(member)
    newer = json.loads(
        (Path(cfnlint.__file__).parent / "data/AdditionalSpecs/Policies.json").read_text()
    )
    for service, spec in newer.items():
        known = {name.lower() for name in actions.setdefault(service, {})}
        for name in spec.get("Actions", {}):
            if name.lower() not in known:
                actions[service][name] = {"description": "", "access": "Unknown"}
    content = json.dumps(actions).encode()
    path = Path(tempfile.mkdtemp(prefix="iam-actions-")) / "actions.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("actions.json")
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
    return PolicyExpander(str(path))


def _resource_matches(pattern: Any, not_pattern: Any, resource: str) -> bool:
    if not_pattern:
        return not any(_like(item, resource) for item in _values(not_pattern))
    return any(_like(item, resource) for item in _values(pattern or "*"))
