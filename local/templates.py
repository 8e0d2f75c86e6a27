"""The stack templates, read as data: the single source of truth for tables and functions.

Tests and the local stack build their DynamoDB tables, Cognito pool and function
environments from here instead of repeating the definitions.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cfnlint.decode import decode_str

REPO_ROOT = Path(__file__).resolve().parent.parent
BOOTSTRAP_TEMPLATE = REPO_ROOT / "bootstrap" / "template.yaml"
SERVICE_TEMPLATES = {
    "products": REPO_ROOT / "services" / "products" / "template.yaml",
    "orders": REPO_ROOT / "services" / "orders" / "template.yaml",
}
AUTH_TEMPLATE = REPO_ROOT / "auth_lambda" / "template.yaml"
API_TEMPLATE = REPO_ROOT / "api_gateway" / "template.yaml"

# Properties of AWS::DynamoDB::Table that CreateTable takes as they are.
_CREATE_TABLE_KEYS = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")


@cache
def load_template(path: Path) -> dict[str, Any]:
    """A CloudFormation/SAM template as plain dicts, intrinsic functions as `{"Fn::X": ...}`."""
    template, problems = decode_str(path.read_text())
    if problems:
        raise ValueError(f"{path}: {problems[0].message}")
    plain: dict[str, Any] = _plain(template)
    return plain


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in template.get("Resources", {}).items()
        if resource.get("Type") == resource_type
    }


@dataclass(frozen=True)
class TableSpec:
    """A DynamoDB table as the template declares it, keyed by its logical id."""

    logical_id: str
    properties: dict[str, Any]

    def create_table_request(self, table_name: str) -> dict[str, Any]:
        """The arguments of DynamoDB CreateTable for this table under `table_name`."""
        props = self.properties
        request = {key: props[key] for key in _CREATE_TABLE_KEYS if key in props}
        return {"TableName": table_name, **request}

    @property
    def ttl_attribute(self) -> str | None:
        ttl = self.properties.get("TimeToLiveSpecification") or {}
        return str(ttl["AttributeName"]) if ttl.get("Enabled") else None


def bootstrap_tables() -> dict[str, TableSpec]:
    """The bootstrap stack's tables by logical id (`ProductsTable`, `OrdersTable`, ...)."""
    tables = resources_of_type(load_template(BOOTSTRAP_TEMPLATE), "AWS::DynamoDB::Table")
    return {
        logical_id: TableSpec(logical_id, resource["Properties"])
        for logical_id, resource in tables.items()
    }


def _plain(node: Any) -> Any:
    # cfn-lint's nodes carry line marks; plain dicts and lists are simpler to compare and copy.
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if isinstance(node, str):
        return str(node)
    return node
