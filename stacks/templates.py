"""The stack templates, read as data: the single source of truth for tables and functions.

Tests and the local stack build their DynamoDB tables, Cognito pool and function
environments from here instead of repeating the definitions.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cfnlint.decode import decode_str

from stacks.container_image import ImageDefinition, read_image

REPO_ROOT = Path(__file__).resolve().parent.parent
BOOTSTRAP_TEMPLATE = REPO_ROOT / "bootstrap" / "template.yaml"
SERVICE_TEMPLATES = {
    "products": REPO_ROOT / "services" / "products" / "template.yaml",
    "orders": REPO_ROOT / "services" / "orders" / "template.yaml",
    "partners": REPO_ROOT / "services" / "partners" / "template.yaml",
    "vault": REPO_ROOT / "services" / "vault" / "template.yaml",
}
AUTH_TEMPLATE = REPO_ROOT / "auth_lambda" / "template.yaml"
API_TEMPLATE = REPO_ROOT / "api_gateway" / "template.yaml"
# The stacks that hold Lambda functions (the API stack holds none).
FUNCTION_TEMPLATES = (AUTH_TEMPLATE, *SERVICE_TEMPLATES.values())
OPENAPI = REPO_ROOT / "api_gateway" / "openapi.yaml"
# Folders that hold no stack of ours: tools, caches and build output.
_NOT_STACKS = {".venv", ".venv-tools", ".aws-sam", ".git", "node_modules"}
# The methods of routes (OPTIONS is each path's CORS preflight).
_ROUTE_METHODS = ("get", "put", "post", "delete", "patch", "head")

# Properties of AWS::DynamoDB::Table that CreateTable takes as they are.
_CREATE_TABLE_KEYS = (
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
    "BillingMode",
    "StreamSpecification",
)


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


def all_templates() -> list[Path]:
    """Every stack template in the repository: `template.yaml` and `*.template.yaml` files."""
    found = []
    for directory, subdirectories, files in REPO_ROOT.walk():
        subdirectories[:] = [name for name in subdirectories if name not in _NOT_STACKS]
        found += [
            directory / name
            for name in files
            if name == "template.yaml" or name.endswith(".template.yaml")
        ]
    return sorted(found)


def load_openapi() -> dict[str, Any]:
    """The API contract, intrinsic functions (inside its API Gateway extensions) as data."""
    return load_template(OPENAPI)


def export_name_text(name: Any) -> str:
    """An export name as templates write it: `shop-${Stage}-<Name>` (a string or `Fn::Sub`)."""
    if isinstance(name, dict) and isinstance(name.get("Fn::Sub"), str) and len(name) == 1:
        return str(name["Fn::Sub"])
    if isinstance(name, str):
        return name
    raise ValueError(f"export name {name!r} is neither a string nor an Fn::Sub text")


def function_exports(path: Path) -> dict[str, str]:
    """The function ARNs a template exports (the function's, or its alias's: SAM's
    `!Ref <Function>.Alias`): export name text -> the function's logical id."""
    template = load_template(path)
    functions = resources_of_type(template, "AWS::Serverless::Function")
    exports = {}
    for output in template.get("Outputs", {}).values():
        match output:
            case {"Value": {"Fn::GetAtt": [str(logical_id), "Arn"]}, "Export": {"Name": name}}:
                pass
            case {"Value": {"Ref": str(reference)}, "Export": {"Name": name}} if reference.endswith(
                ".Alias"
            ):
                logical_id = reference.removesuffix(".Alias")
            case _:
                continue
        if logical_id in functions:
            exports[export_name_text(name)] = logical_id
    return exports


def imported_exports(node: Any) -> list[str]:
    """The export names (as written) that the `Fn::ImportValue`s inside `node` import."""
    if isinstance(node, list):
        return [name for item in node for name in imported_exports(item)]
    if not isinstance(node, dict):
        return []
    if "Fn::ImportValue" in node:
        return [export_name_text(node["Fn::ImportValue"])]
    return [name for value in node.values() for name in imported_exports(value)]


def api_operations() -> dict[str, dict[str, Any]]:
    """The contract's operations, CORS preflights aside: `METHOD /path` -> operation."""
    return {
        f"{method.upper()} {path}": operation
        for path, item in load_openapi()["paths"].items()
        for method, operation in item.items()
        if method in _ROUTE_METHODS
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
        if "StreamSpecification" in request:  # CloudFormation's has no StreamEnabled
            request["StreamSpecification"] = {
                **request["StreamSpecification"],
                "StreamEnabled": True,
            }
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


def parameter_defaults(template: dict[str, Any]) -> dict[str, Any]:
    """Each parameter's default (a CommaDelimitedList's as a list), as `sam deploy` would use."""
    defaults: dict[str, Any] = {}
    for name, parameter in template.get("Parameters", {}).items():
        if "Default" not in parameter:
            continue
        default = parameter["Default"]
        if parameter.get("Type") == "CommaDelimitedList" and isinstance(default, str):
            default = default.split(",") if default else []
        defaults[name] = default
    return defaults


@dataclass(frozen=True)
class FunctionSpec:
    """An `AWS::Serverless::Function` with the template's `Globals.Function` applied."""

    logical_id: str
    template_path: Path
    properties: dict[str, Any]
    metadata: dict[str, Any]

    @property
    def image(self) -> ImageDefinition | None:
        """A container image function's image, from the Dockerfile its Metadata names."""
        if self.properties.get("PackageType") != "Image":
            return None
        folder = self.template_path.parent
        context = (folder / str(self.metadata["DockerContext"])).resolve()
        return read_image(folder / str(self.metadata["Dockerfile"]), context)

    @property
    def handler(self) -> str:
        """`Handler`, or an image's command (its function's own, else the Dockerfile's)."""
        image = self.image
        if image is None:
            return str(self.properties["Handler"])
        command = (self.properties.get("ImageConfig") or {}).get("Command") or image.command
        return str(command[0])

    @property
    def code_dir(self) -> Path:
        """The function's code folder (Lambda's task root): its CodeUri, or for an image the
        source folder its Dockerfile copies the handler's package from."""
        image = self.image
        if image is None:
            return (self.template_path.parent / str(self.properties["CodeUri"])).resolve()
        package = self.handler.split(".")[0]
        [root] = [root for root in image.code_roots() if (root / package).is_dir()]
        return root

    @property
    def timeout_seconds(self) -> int:
        return int(self.properties.get("Timeout", 3))  # SAM's default

    @property
    def memory_mb(self) -> int:
        return int(self.properties.get("MemorySize", 128))  # SAM's default

    @property
    def environment(self) -> dict[str, Any]:
        """Environment.Variables, intrinsic functions unresolved."""
        return dict((self.properties.get("Environment") or {}).get("Variables") or {})

    @property
    def layer_dirs(self) -> list[Path]:
        """The content folders of the layers this template builds (`!Ref <Layer>`); for an
        image, the other source folders its Dockerfile copies (all in its task root there)."""
        image = self.image
        if image is not None:
            return [root for root in image.code_roots() if root != self.code_dir]
        layers = resources_of_type(
            load_template(self.template_path), "AWS::Serverless::LayerVersion"
        )
        dirs = []
        for layer in self.properties.get("Layers", []):
            name = layer.get("Ref") if isinstance(layer, dict) else None
            if name in layers:
                content = layers[name]["Properties"]["ContentUri"]
                dirs.append((self.template_path.parent / str(content)).resolve())
        return dirs


def serverless_functions(path: Path) -> dict[str, FunctionSpec]:
    """The template's functions by logical id, Globals merged as SAM merges them."""
    template = load_template(path)
    globals_ = template.get("Globals", {}).get("Function", {})
    functions = {}
    for logical_id, resource in resources_of_type(template, "AWS::Serverless::Function").items():
        own = resource.get("Properties", {})
        merged = {**globals_, **own}
        variables = {
            **((globals_.get("Environment") or {}).get("Variables") or {}),
            **((own.get("Environment") or {}).get("Variables") or {}),
        }
        merged["Environment"] = {"Variables": variables}
        merged["Layers"] = [*globals_.get("Layers", []), *own.get("Layers", [])]
        functions[logical_id] = FunctionSpec(
            logical_id, path, merged, dict(resource.get("Metadata") or {})
        )
    return functions
