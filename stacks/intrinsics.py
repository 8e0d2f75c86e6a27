"""CloudFormation intrinsic functions, evaluated against local values.

The local stack reads the templates as data (stacks/templates.py); this turns the parts it
needs (function environments, integration URIs, stage settings, outputs) into plain values,
with `Ref`, `Fn::GetAtt` and `Fn::ImportValue` answered by what the local stack created.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class UnresolvableError(LookupError):
    """A reference the local stack has no value for (a cloud-only resource or export)."""


@dataclass(frozen=True)
class Scope:
    """What `Ref`, `Fn::GetAtt`, `Fn::ImportValue` and conditions mean in one template."""

    references: Mapping[str, Any]  # parameters, pseudo parameters and resources by name
    attributes: Mapping[str, Any] = field(default_factory=dict)  # "Logical.Attribute"
    exports: Mapping[str, Any] = field(default_factory=dict)
    conditions: Mapping[str, Any] = field(default_factory=dict)  # raw condition expressions

    def ref(self, name: str) -> Any:
        if name not in self.references:
            raise UnresolvableError(f"no local value for Ref {name}")
        return self.references[name]

    def get_att(self, name: str) -> Any:
        if name not in self.attributes:
            raise UnresolvableError(f"no local value for Fn::GetAtt {name}")
        return self.attributes[name]

    def import_value(self, name: str) -> Any:
        if name not in self.exports:
            raise UnresolvableError(f"no local value for the export {name}")
        return self.exports[name]

    def condition(self, name: str) -> bool:
        return bool(resolve(self.conditions[name], self))


def resolve(node: Any, scope: Scope) -> Any:
    """`node` with every intrinsic function replaced by its value."""
    if isinstance(node, list):
        return [resolve(item, scope) for item in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        (name, argument), *_ = node.items()
        function = _FUNCTIONS.get(name)
        if function is not None:
            return function(argument, scope)
    return {key: resolve(value, scope) for key, value in node.items()}


def _ref(argument: Any, scope: Scope) -> Any:
    return scope.ref(str(argument))


def _get_att(argument: Any, scope: Scope) -> Any:
    parts = argument.split(".", 1) if isinstance(argument, str) else resolve(argument, scope)
    return scope.get_att(".".join(str(part) for part in parts))


def _sub(argument: Any, scope: Scope) -> str:
    if isinstance(argument, list):
        text, variables = argument[0], resolve(argument[1], scope)
    else:
        text, variables = argument, {}

    def value_of(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name in variables:
            return str(variables[name])
        if "." in name:
            return str(scope.get_att(name))
        return str(scope.ref(name))

    return _SUB_VARIABLE.sub(value_of, str(text))


def _join(argument: Any, scope: Scope) -> str:
    delimiter, items = argument
    return str(delimiter).join(str(item) for item in resolve(items, scope))


def _split(argument: Any, scope: Scope) -> list[str]:
    delimiter, text = argument
    return str(resolve(text, scope)).split(str(delimiter))


def _select(argument: Any, scope: Scope) -> Any:
    index, items = argument
    return resolve(items, scope)[int(resolve(index, scope))]


def _import_value(argument: Any, scope: Scope) -> Any:
    return scope.import_value(str(resolve(argument, scope)))


def _if(argument: Any, scope: Scope) -> Any:
    condition, when_true, when_false = argument
    return resolve(when_true if scope.condition(condition) else when_false, scope)


def _equals(argument: Any, scope: Scope) -> bool:
    left, right = resolve(argument, scope)
    return bool(left == right)


def _not(argument: Any, scope: Scope) -> bool:
    return not resolve(argument[0], scope)


def _and(argument: Any, scope: Scope) -> bool:
    return all(resolve(item, scope) for item in argument)


def _or(argument: Any, scope: Scope) -> bool:
    return any(resolve(item, scope) for item in argument)


def _condition(argument: Any, scope: Scope) -> bool:
    return scope.condition(str(argument))


_FUNCTIONS = {
    "Ref": _ref,
    "Fn::GetAtt": _get_att,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::Split": _split,
    "Fn::Select": _select,
    "Fn::ImportValue": _import_value,
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::Not": _not,
    "Fn::And": _and,
    "Fn::Or": _or,
    "Condition": _condition,
}
