"""A stack update in CloudFormation's order, which moto's lacks: moto created every added
resource, then changed every modified one, then (first of all) deleted the removed ones.
CloudFormation adds and changes resources in dependency order and deletes the removed ones
last. So SAM's new function version (an added `AWS::Lambda::Version` naming the function) was
published before its function's new code was in place: moto published nothing new, and the
alias stayed on the old code. And where moto's change of a resource failed, CloudFormation's
holds: a resource whose condition did not hold is left out until it does (moto changed it with
no original: Route 53's RecordSet failed, `'NoneType' object has no attribute 'name'`), and one
moto has no update for is kept (moto put nothing in its place, and the next `Fn::GetAtt` to it
failed: `references undefined resource AccessLogGroup`).
"""

import re
from collections.abc import Callable, Iterable
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.parsing import MAX_UPDATE_ATTEMPTS, ResourceMap

# ${Name} or ${Name.Attribute} in Fn::Sub; ${!Literal} is not a reference.
_SUBSTITUTION = re.compile(r"\$\{(?!!)([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")


def references(node: Any) -> set[str]:
    """The logical ids (and parameters) a piece of template names: Ref, Fn::GetAtt, Fn::Sub,
    DependsOn."""
    if isinstance(node, list):
        return set().union(*(references(item) for item in node))
    if not isinstance(node, dict):
        return set()
    found: set[str] = set()
    for key, value in node.items():
        if key == "Ref" and isinstance(value, str):
            found.add(value)
        elif key == "Fn::GetAtt":
            found.add(value[0] if isinstance(value, list) else value.split(".", 1)[0])
        elif key == "Fn::Sub":
            text, variables = (value, {}) if isinstance(value, str) else value
            found |= set(_SUBSTITUTION.findall(text)) - set(variables) | references(variables)
        elif key == "DependsOn":
            found |= {value} if isinstance(value, str) else set(value)
        else:
            found |= references(value)
    return found


def dependency_order(names: Iterable[str], resources: dict[str, Any]) -> list[str]:
    """The names, each after those of them it refers to (a cycle, which CloudFormation
    refuses, keeps the given order)."""
    pending = list(names)
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in visiting:
            return
        visiting.add(name)
        for dependency in sorted(references(resources[name]) & set(pending)):
            visit(dependency)
        ordered.append(name)

    for name in pending:
        visit(name)
    return ordered


def _in_passes(names: list[str], step: Callable[[str], None]) -> None:
    """Each name's step, in order; a failed one is tried again in the next pass, as moto does
    (a dependency it does not see may be met by then)."""
    remaining = list(names)
    failure: Exception | None = None
    for _ in range(MAX_UPDATE_ATTEMPTS):
        for name in list(remaining):
            try:
                step(name)
            except Exception as error:  # any resource's failure, retried
                failure = error
            else:
                remaining.remove(name)
        if not remaining:
            return
    assert failure is not None
    raise failure


def _has_no_update(resource_type: str) -> bool:
    """A log group, a table, a function's permission: CloudFormation changes them in place,
    moto's models of them cannot be changed."""
    model = parsing.resource_class_from_type(resource_type)
    return model is not None and hasattr(
        model.update_from_cloudformation_json, "__isabstractmethod__"
    )


def update(self: ResourceMap, template: dict[str, Any], parameters: Any = None) -> None:
    actions = self.build_resource_diff(template, parameters)
    previous = self._resource_json_map
    self._template = template
    if parameters:
        self.input_parameters = parameters
    self.load_mapping()
    self.load_parameters()
    self.load_conditions()
    self._resource_json_map = template["Resources"]
    added = set(actions["Add"])

    def add_or_change(name: str) -> None:
        if name in added or self._parsed_resources.get(name) is None:
            # Added, or never created as its condition did not hold (CloudFormation creates
            # it once the condition holds, and leaves it out otherwise; moto updated it with no
            # original). moto creates a resource, and what it refers to, on first access.
            self._parsed_resources.pop(name, None)
            self[name]
            return
        if _has_no_update(self._resource_json_map[name]["Type"]):
            return  # kept as it was (docs/ARCHITECTURE.md): moto put nothing in its place
        self._parsed_resources[name] = parsing.parse_and_update_resource(
            name,
            self._resource_json_map[name],
            self,
            account_id=self._account_id,
            region_name=self._region_name,
        )

    def remove(name: str) -> None:
        resource = self._parsed_resources.get(name)
        if resource is not None:  # None: its condition did not hold, never created
            self._delete_resource(resource, previous[name])
        self._parsed_resources.pop(name, None)

    _in_passes(
        dependency_order(actions["Add"] + actions["Modify"], self._resource_json_map),
        add_or_change,
    )
    _in_passes(actions["Remove"], remove)


def install() -> None:
    ResourceMap.update = update  # type: ignore[method-assign]
