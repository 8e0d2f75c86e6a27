"""The stand-in commands: `python -m tests.builders.standins.fake sam|aws|python3.13 ARGS...`.

See the package docstring for what they emulate. Errors go to stderr with the AWS CLI's exit
codes (254 for a refused API call, 255 for a failed waiter or missing credentials) or sam's
(1), so that the script under test meets them as it would meet the real ones.
"""

import fcntl
import hashlib
import json
import os
import re
import shlex
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import jmespath
import yaml
from samcli.cli.types import CfnParameterOverridesType

from tests.builders.standins import ACCOUNT_ID, CREDENTIALS_VARIABLE, STATE_VARIABLE
from tests.rehearsal.capabilities import required_capability

FLAGS = {
    "--no-fail-on-empty-changeset",
    "--no-confirm-changeset",
    "--no-deletion-protection-enabled",
    "--fail-on-empty-changeset",
    "--force",
    "--password-stdin",
}
RETAIN = "Retain"
PIPED: list[str] = []  # this command's standard input, when it reads one


class RefusedError(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def refuse(message: str, code: int = 254) -> NoReturn:
    raise RefusedError(message, code)


# ---------------------------------------------------------------- arguments
def parse(args: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Subcommand words, then each option with the values that follow it."""
    words: list[str] = []
    options: dict[str, list[str]] = {}
    current: list[str] | None = None
    for arg in args:
        if arg.startswith("--") and (current is None or arg in FLAGS or arg[2:3].isalpha()):
            current = options.setdefault(arg, [])
            if arg in FLAGS:
                current = None
        elif current is None:
            words.append(arg)
        else:
            current.append(arg)
    return words, options


def one(options: dict[str, list[str]], name: str) -> str | None:
    values = options.get(name)
    return values[0] if values else None


# ---------------------------------------------------------------- the account
class Account:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.state: dict[str, Any] = json.loads(path.read_text())

    def save(self) -> None:
        self.path.write_text(json.dumps(self.state, indent=1))

    @property
    def stacks(self) -> dict[str, dict[str, Any]]:
        stacks: dict[str, dict[str, Any]] = self.state["stacks"]
        return stacks

    def exports(self, excluding: str | None = None) -> dict[str, str]:
        return {
            name: value
            for stack_name, stack in self.stacks.items()
            if stack_name != excluding and stack.get("status") != "DELETE_FAILED"
            for name, value in stack["exports"].items()
        }

    def event(self, kind: str, name: str) -> None:
        self.state["events"].append([kind, name])

    def role_exists(self, arn: str) -> bool:
        """A role exists while a stack has it as an output (a stack's roles go with it), or
        if something other than the shop made it (`other_roles`)."""
        return arn in self.roles()

    def roles(self) -> list[str]:
        outputs = [value for stack in self.stacks.values() for value in stack["outputs"].values()]
        return [arn for arn in [*outputs, *self.state["other_roles"]] if ":role/" in arn]

    def role_named(self, name: str) -> str | None:
        return next((arn for arn in self.roles() if arn.endswith(f":role/{name}")), None)

    def note_a_lost_apigateway_role(self) -> None:
        """API Gateway can no longer write any API's logs once the role its setting names is
        gone: recorded once, as the event `apigateway-role-lost`."""
        role = self.state["apigateway_role"]
        lost = ["apigateway-role-lost", role]
        if role and not self.role_exists(role) and lost not in self.state["events"]:
            self.state["events"].append(lost)

    def put_object(self, bucket: str, key: str) -> None:
        versions = self.state["buckets"].setdefault(bucket, [])
        versions.append({"Key": key, "VersionId": f"v{len(versions) + 1}"})


# ---------------------------------------------------------------- templates
class TemplateLoader(yaml.CSafeLoader):
    """YAML with CloudFormation's short forms (`!Sub x` is `{"Fn::Sub": x}`). stacks/templates.py
    reads templates with cfn-lint, whose import alone takes a second: too slow for a command
    the script runs dozens of times."""


def _intrinsic(loader: yaml.SafeLoader, tag: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if tag == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Ref" if tag == "Ref" else f"Fn::{tag}": value}


TemplateLoader.add_multi_constructor("!", _intrinsic)


def load_template(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(path.read_text(), Loader=TemplateLoader)  # noqa: S506
    return loaded


def walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def substitute(node: Any, variables: dict[str, str]) -> str:
    """A string or `Fn::Sub` text with ${Name} replaced; anything else is refused."""
    if isinstance(node, str):
        return node
    text = node.get("Fn::Sub") if isinstance(node, dict) else None
    if isinstance(text, str):
        return re.sub(r"\$\{([^}!]+)\}", lambda match: variables[match.group(1)], text)
    refuse(f"Template error: cannot resolve {node!r}", 1)


def imports_of(template: dict[str, Any], variables: dict[str, str]) -> set[str]:
    """The exports the stack imports: CloudFormation resolves only the branch of an Fn::If
    that its condition picks, and nothing of a resource or output whose condition is false."""
    return {
        substitute(node["Fn::ImportValue"], variables)
        for node in live_nodes(template, template, variables)
        if isinstance(node, dict) and "Fn::ImportValue" in node
    }


def live_nodes(template: dict[str, Any], node: Any, parameters: dict[str, str]) -> Iterator[Any]:
    if isinstance(node, dict) and isinstance(node.get("Fn::If"), list):
        condition, when_true, when_false = node["Fn::If"]
        chosen = when_true if condition_holds(template, condition, parameters) else when_false
        yield from live_nodes(template, chosen, parameters)
        return
    # a resource (Type) or an output (Value) that its condition leaves out
    conditional = isinstance(node, dict) and isinstance(node.get("Condition"), str)
    if (
        conditional
        and ("Type" in node or "Value" in node)
        and not condition_holds(template, node["Condition"], parameters)
    ):
        return
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        yield from live_nodes(template, child, parameters)


def has_local_artifacts(template: dict[str, Any]) -> bool:
    for node in walk(template):
        if not isinstance(node, dict):
            continue
        for key in ("CodeUri", "ContentUri"):
            if isinstance(node.get(key), str) and not node[key].startswith("s3://"):
                return True
        if node.get("Name") == "AWS::Include":
            return True
    return False


def needed_capability(template: dict[str, Any]) -> str | None:
    """CloudFormation's capability for the template's IAM resources (a SAM function makes a
    role), as the rehearsal's emulator asks it (tests/rehearsal/capabilities.py)."""
    types = {resource.get("Type", "") for resource in template.get("Resources", {}).values()}
    if "AWS::Serverless::Function" in types:
        return required_capability(template) or "CAPABILITY_IAM"
    return required_capability(template)


def has_image_function(template: dict[str, Any]) -> bool:
    return any(
        resource.get("Properties", {}).get("PackageType") == "Image"
        for resource in template.get("Resources", {}).values()
    )


def condition_holds(template: dict[str, Any], condition: Any, parameters: dict[str, str]) -> bool:
    """A template condition (Fn::Equals, Fn::Or, Fn::And, Fn::Not, Condition) for these values."""
    if isinstance(condition, str):
        return condition_holds(template, template["Conditions"][condition], parameters)
    ((function, arguments),) = condition.items()
    if function in ("Condition", "Fn::Condition"):
        return condition_holds(template, arguments, parameters)
    if function == "Fn::Equals":
        left, right = (value_of(item, parameters) for item in arguments)
        return left == right
    results = [condition_holds(template, item, parameters) for item in arguments]
    if function == "Fn::Not":
        return not results[0]
    return any(results) if function == "Fn::Or" else all(results)


def value_of(item: Any, parameters: dict[str, str]) -> str:
    """A literal, a parameter's value, or an Fn::Join of a list parameter's (as given, text)."""
    if not isinstance(item, dict):
        return str(item)
    if "Ref" in item:
        return parameters.get(item["Ref"], "")
    delimiter, listed = item["Fn::Join"]
    return str(delimiter).join(value_of(listed, parameters).split(","))


def fake_output_value(stack: str, key: str, region: str) -> str:
    """A value of the shape the real output has, so that parameter patterns accept it."""
    digest = hashlib.sha256(f"{stack}/{key}".encode()).hexdigest()
    if key.endswith("RoleArn"):
        return f"arn:aws:iam::{ACCOUNT_ID}:role/{stack}-{key.removesuffix('Arn')}-{digest[:8]}"
    if key.endswith("ConnectionArn"):
        parts = (digest[:8], digest[8:12], digest[12:16], digest[16:20], digest[20:32])
        connection_id = "-".join(parts)
        return f"arn:aws:codeconnections:{region}:{ACCOUNT_ID}:connection/{connection_id}"
    if key.endswith("Arn"):
        return f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{stack}-{key}-{digest[:8]}"
    if key.endswith("RepositoryUri"):
        name = fake_output_value(stack, key.removesuffix("Uri") + "Name", region)
        return f"{ACCOUNT_ID}.dkr.ecr.{region}.amazonaws.com/{name}"
    if key.endswith("Url") or key.endswith("Origin"):
        return f"https://{digest[:10]}.example.com"
    return f"{stack}-{key.lower()}-{digest[:8]}"


# ---------------------------------------------------------------- sam
def samconfig(environment: str, command: str) -> dict[str, Any]:
    path = Path("samconfig.toml")
    config = tomllib.loads(path.read_text()) if path.exists() else {}
    if environment != "default" and environment not in config:
        refuse(f"Error: the environment '{environment}' is not in samconfig.toml", 1)
    section = config.get(environment, {})
    return {
        **section.get("global", {}).get("parameters", {}),
        **section.get(command, {}).get("parameters", {}),
    }


def sam(account: Account, args: list[str]) -> None:
    words, options = parse(args)
    environment = one(options, "--config-env") or "default"
    if words == ["build"]:
        config = samconfig(environment, "build")
        template = one(options, "--template-file") or config.get("template_file")
        build_dir = one(options, "--build-dir") or config.get("build_dir", ".aws-sam/build")
        if not template or not Path(template).is_file():
            refuse(f"Error: Template file not found at {template}", 1)
        account.state.setdefault("builds", {})[str(Path(build_dir) / "template.yaml")] = template
        account.event("build", environment)
    elif words == ["deploy"]:
        sam_deploy(account, options, samconfig(environment, "deploy"))
    else:
        refuse(f"stand-in sam: unsupported command {args!r}", 2)


def sam_deploy(account: Account, options: dict[str, list[str]], config: dict[str, Any]) -> None:
    stack_name = one(options, "--stack-name") or config.get("stack_name")
    region = one(options, "--region") or config.get("region")
    if not stack_name or not region:
        refuse("Error: Missing option '--stack-name' or '--region'", 1)
    if config.get("confirm_changeset") and "--no-confirm-changeset" not in options:
        refuse("Error: sam would wait for a person to confirm the change set", 1)
    template_file = one(options, "--template-file") or config.get("template_file", "")
    source = account.state.get("builds", {}).get(template_file, template_file)
    if not Path(source).is_file():
        refuse(f"Error: Template file not found at {template_file}", 1)
    template = load_template(Path(source))
    bucket = one(options, "--s3-bucket") or config.get("s3_bucket")
    if has_local_artifacts(template) and not bucket:
        refuse("Error: Templates with local artifacts need --s3-bucket (or --resolve-s3)", 1)
    capabilities = options.get("--capabilities") or str(config.get("capabilities", "")).split()
    needed = needed_capability(template)
    if needed and needed not in capabilities and "CAPABILITY_NAMED_IAM" not in capabilities:
        refuse(f"Error: Requires capabilities : [{needed}]", 1)
    image_options = ("--image-repository", "--image-repositories", "--resolve-image-repos")
    if has_image_function(template) and not any(option in options for option in image_options):
        refuse(
            "Error: Missing option '--image-repositories', '--image-repository', "
            "'--resolve-image-repos'",
            2,
        )
    overrides = options.get("--parameter-overrides") or shlex.split(
        str(config.get("parameter_overrides", ""))
    )
    previous = account.stacks.get(stack_name)
    if previous and previous["status"] in ("ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED"):
        refuse(
            f"Error: Stack {stack_name} is in {previous['status']} state and can not be updated.",
            1,
        )
    # As sam reads them (its own parser: quotes taken off, a malformed override refused).
    given = CfnParameterOverridesType().convert(tuple(overrides), None, None)
    parameters = resolve_parameters(template, given, previous)
    variables = {**parameters, "AWS::Region": region, "AWS::AccountId": ACCOUNT_ID}
    variables["AWS::StackName"] = stack_name
    missing = sorted(imports_of(template, variables) - set(account.exports(excluding=stack_name)))
    if missing:
        refuse(f"Error: Failed to create/update the stack: No export named {missing[0]} found", 1)
    digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()
    if previous and previous["digest"] == digest and previous["parameters"] == parameters:
        fails_when_empty = "--no-fail-on-empty-changeset" not in options and config.get(
            "fail_on_empty_changeset", True
        )
        if fails_when_empty:
            refuse(f"Error: No changes to deploy. Stack {stack_name} is up to date", 1)
        account.event("unchanged", stack_name)
        return
    if bucket and has_local_artifacts(template):
        prefix = one(options, "--s3-prefix") or config.get("s3_prefix", stack_name)
        account.put_object(bucket, f"{prefix}/{digest[:16]}.template")
    outputs = {
        key: fake_output_value(stack_name, key, region)
        for key, output in template.get("Outputs", {}).items()
        if "Condition" not in output or condition_holds(template, output["Condition"], parameters)
    }
    account.stacks[stack_name] = {
        "template": source,
        "digest": digest,
        "parameters": parameters,
        "imports": sorted(imports_of(template, variables)),
        "outputs": outputs,
        "exports": {
            substitute(output["Export"]["Name"], variables): outputs[key]
            for key, output in template.get("Outputs", {}).items()
            if "Export" in output and key in outputs
        },
        # CloudFormation keeps acting with the role a deployment named, until another is named.
        "role": one(options, "--role-arn") or (previous or {}).get("role"),
        "retained": retained_resources(template, outputs),
        "status": "UPDATE_COMPLETE" if previous else "CREATE_COMPLETE",
    }
    for key, value in outputs.items():
        if key.endswith("BucketName"):
            account.state["buckets"].setdefault(value, [])
    account.event("update" if previous else "create", stack_name)


def resolve_parameters(
    template: dict[str, Any], overrides: dict[str, str], previous: dict[str, Any] | None
) -> dict[str, str]:
    """CloudFormation's parameter rules: new value, else the deployed one, else the default."""
    values = {}
    for name, spec in template.get("Parameters", {}).items():
        if name in overrides:
            value = overrides[name]
        elif previous and name in previous["parameters"]:
            value = previous["parameters"][name]
        elif "Default" in spec:
            value = str(spec["Default"])
        else:
            refuse(f"Error: Parameters: [{name}] must have values", 1)
        allowed = spec.get("AllowedValues")
        if allowed and value not in [str(item) for item in allowed]:
            refuse(f"Error: Parameter '{name}' must be one of AllowedValues", 1)
        pattern = spec.get("AllowedPattern")
        if pattern and not re.fullmatch(pattern, value):
            refuse(f"Error: Parameter '{name}' must match pattern {pattern}", 1)
        values[name] = value
    return values


def retained_resources(template: dict[str, Any], outputs: dict[str, str]) -> dict[str, Any]:
    """Physical names (as the outputs give them) of the resources a deletion keeps."""
    resources = template.get("Resources", {})
    retained = {}
    for key, output in template.get("Outputs", {}).items():
        value = output.get("Value")
        logical_id = value.get("Ref") if isinstance(value, dict) else None
        resource = resources.get(logical_id, {})
        if resource.get("DeletionPolicy") == RETAIN:
            properties = resource.get("Properties", {})
            protected = bool(properties.get("DeletionProtectionEnabled")) or (
                properties.get("DeletionProtection") == "ACTIVE"
            )
            retained[outputs[key]] = {"type": resource["Type"], "protected": protected}
    return retained


# ---------------------------------------------------------------- aws
def formatted(value: Any, output: str) -> str:
    if output == "json":
        return json.dumps(value, indent=4)
    return text(value)


def text(value: Any) -> str:
    """The AWS CLI's text output: scalars tab-separated on a line, one line per row."""
    if value is None:
        return "None"
    if isinstance(value, dict):
        return "\t".join(text(item) for item in value.values())
    if isinstance(value, list):
        if all(not isinstance(item, (dict, list)) for item in value):
            return "\t".join(text(item) for item in value)
        return "\n".join(text(item) for item in value)
    return str(value)


def answer(data: Any, options: dict[str, list[str]]) -> None:
    query = one(options, "--query")
    value = jmespath.search(query, data) if query else data
    output = formatted(value, one(options, "--output") or "json")
    if output:
        print(output)


def aws(account: Account, args: list[str]) -> None:
    words, options = parse(args)
    if words[0] not in ("sts", "iam") and not one(options, "--region"):
        refuse("You must specify a region.", 253)
    handlers = {
        ("sts", "get-caller-identity"): caller_identity,
        ("cloudformation", "list-exports"): list_exports,
        ("cloudformation", "describe-stacks"): describe_stacks,
        ("cloudformation", "delete-stack"): delete_stack,
        ("cloudformation", "wait", "stack-delete-complete"): wait_stack_deleted,
        ("cloudformation", "continue-update-rollback"): continue_update_rollback,
        ("cloudformation", "wait", "stack-rollback-complete"): wait_stack_rolled_back,
        ("s3api", "list-object-versions"): list_object_versions,
        ("s3api", "delete-objects"): delete_objects,
        ("s3api", "delete-bucket"): delete_bucket,
        ("s3api", "put-object"): put_object,
        ("codeconnections", "get-connection"): get_connection,
        ("dynamodb", "update-table"): unprotect,
        ("cognito-idp", "update-user-pool"): unprotect,
        ("dynamodb", "delete-table"): delete_retained,
        ("dynamodb", "wait", "table-exists"): wait_table_active,
        ("dynamodb", "wait", "table-not-exists"): wait_table_gone,
        ("cognito-idp", "delete-user-pool"): delete_retained,
        ("ecr", "describe-images"): describe_images,
        ("ecr", "get-login-password"): login_password,
        ("ecr", "delete-repository"): delete_repository,
        ("apigateway", "get-account"): get_apigateway_account,
        ("apigateway", "update-account"): update_apigateway_account,
        ("iam", "wait", "role-exists"): wait_role_exists,
        ("iam", "get-role"): get_role,
    }
    handler = handlers.get(tuple(words))
    if handler is None:
        refuse(f"stand-in aws: unsupported command {args!r}", 2)
    handler(account, options)


def caller_identity(account: Account, options: dict[str, list[str]]) -> None:
    if os.environ.get(CREDENTIALS_VARIABLE) == "none":
        refuse("Unable to locate credentials. Configure them with aws configure.", 255)
    arn = f"arn:aws:iam::{ACCOUNT_ID}:user/deployer"
    answer({"UserId": "AIDASTANDIN", "Account": ACCOUNT_ID, "Arn": arn}, options)


def list_exports(account: Account, options: dict[str, list[str]]) -> None:
    exports = [{"Name": name, "Value": value} for name, value in account.exports().items()]
    answer({"Exports": exports}, options)


def describe_stacks(account: Account, options: dict[str, list[str]]) -> None:
    name = one(options, "--stack-name") or ""
    stack = account.stacks.get(name)
    if stack is None:
        refuse(f"An error occurred (ValidationError): Stack with id {name} does not exist")
    outputs = [{"OutputKey": key, "OutputValue": value} for key, value in stack["outputs"].items()]
    parameters = [
        {"ParameterKey": key, "ParameterValue": value} for key, value in stack["parameters"].items()
    ]
    description = {
        "StackName": name,
        "StackStatus": stack["status"],
        "Outputs": outputs,
        "Parameters": parameters,
    }
    answer({"Stacks": [description]}, options)


def delete_stack(account: Account, options: dict[str, list[str]]) -> None:
    """Like CloudFormation: accepted at once, and a deletion that cannot happen fails later."""
    name = one(options, "--stack-name") or ""
    stack = account.stacks.get(name)
    if stack is None:
        return
    in_use = [
        f"Export {export} cannot be deleted as it is in use by {other}"
        for other, other_stack in account.stacks.items()
        if other != name
        for export in other_stack["imports"]
        if export in stack["exports"]
    ]
    full_buckets = [
        f"The bucket you tried to delete is not empty ({bucket})"
        for key, bucket in stack["outputs"].items()
        if key.endswith("BucketName") and account.state["buckets"].get(bucket)
    ]
    role = stack.get("role")
    lost_role = (
        [f"Role {role} is invalid or cannot be assumed"]
        if role and not account.role_exists(role)
        else []
    )
    if in_use or full_buckets or lost_role:
        stack["status"] = "DELETE_FAILED"
        stack["reason"] = "; ".join(in_use + full_buckets + lost_role)
        return
    account.state["retained"].update(stack["retained"])
    for key, bucket in stack["outputs"].items():
        if key.endswith("BucketName") and bucket not in stack["retained"]:
            account.state["buckets"].pop(bucket, None)
    del account.stacks[name]
    account.event("delete", name)


def continue_update_rollback(account: Account, options: dict[str, list[str]]) -> None:
    """Like CloudFormation: only a stack whose update rollback failed can continue it."""
    name = one(options, "--stack-name") or ""
    stack = account.stacks.get(name)
    if stack is None or stack["status"] != "UPDATE_ROLLBACK_FAILED":
        refuse(f"An error occurred (ValidationError): Stack {name} cannot continue a rollback")
    stack["status"] = "UPDATE_ROLLBACK_COMPLETE"
    account.event("continue-update-rollback", name)


def wait_stack_rolled_back(account: Account, options: dict[str, list[str]]) -> None:
    stack = account.stacks.get(one(options, "--stack-name") or "") or {}
    if stack.get("status") != "UPDATE_ROLLBACK_COMPLETE":
        refuse(f"Waiter StackRollbackComplete failed: {stack.get('status')}", 255)


def wait_stack_deleted(account: Account, options: dict[str, list[str]]) -> None:
    stack = account.stacks.get(one(options, "--stack-name") or "")
    if stack is not None:
        refuse(f"Waiter StackDeleteComplete failed: DELETE_FAILED: {stack.get('reason')}", 255)


def list_object_versions(account: Account, options: dict[str, list[str]]) -> None:
    bucket = one(options, "--bucket") or ""
    if bucket not in account.state["buckets"]:
        refuse(f"An error occurred (NoSuchBucket): {bucket} does not exist")
    limit = int(one(options, "--max-items") or 1000)
    answer({"Versions": account.state["buckets"][bucket][:limit], "DeleteMarkers": None}, options)


def delete_objects(account: Account, options: dict[str, list[str]]) -> None:
    bucket = one(options, "--bucket") or ""
    request = json.loads(one(options, "--delete") or "{}")
    if not 1 <= len(request.get("Objects", [])) <= 1000:
        refuse("An error occurred (MalformedXML) when calling the DeleteObjects operation")
    gone = {(item["Key"], item.get("VersionId")) for item in request["Objects"]}
    versions = account.state["buckets"].get(bucket, [])
    account.state["buckets"][bucket] = [
        item for item in versions if (item["Key"], item["VersionId"]) not in gone
    ]
    answer({"Deleted": request["Objects"]}, options)


def put_object(account: Account, options: dict[str, list[str]]) -> None:
    body = one(options, "--body") or ""
    if not Path(body).is_file():
        refuse(
            f"Error parsing parameter '--body': Blob values must be a path to a file: {body}", 252
        )
    bucket, key = one(options, "--bucket") or "", one(options, "--key") or ""
    account.put_object(bucket, key)
    account.event("put-object", f"{bucket}/{key}")
    answer({"ETag": '"standin"'}, options)


def delete_bucket(account: Account, options: dict[str, list[str]]) -> None:
    """A bucket its stack retained; S3 deletes only an empty one."""
    bucket = one(options, "--bucket") or ""
    if bucket not in account.state["buckets"]:
        refuse(f"An error occurred (NoSuchBucket): {bucket} does not exist")
    if account.state["buckets"][bucket]:
        refuse(f"An error occurred (BucketNotEmpty): {bucket} is not empty")
    del account.state["buckets"][bucket]
    account.state["retained"].pop(bucket, None)


def get_connection(account: Account, options: dict[str, list[str]]) -> None:
    answer({"Connection": {"ConnectionStatus": account.state["connection_status"]}}, options)


def retained_name(account: Account, options: dict[str, list[str]]) -> str:
    name = one(options, "--table-name") or one(options, "--user-pool-id") or ""
    if name not in account.state["retained"]:
        refuse(f"An error occurred (ResourceNotFoundException): {name} not found")
    return name


def unprotect(account: Account, options: dict[str, list[str]]) -> None:
    """Like DynamoDB, a table whose protection is lifted is UPDATING for a while."""
    name = retained_name(account, options)
    lifted = "--no-deletion-protection-enabled" in options
    if lifted or one(options, "--deletion-protection") == "INACTIVE":
        account.state["retained"][name]["protected"] = False
    if "--table-name" in options:
        account.state["retained"][name]["status"] = "UPDATING"


def delete_retained(account: Account, options: dict[str, list[str]]) -> None:
    """A table is DELETING until a waiter sees it gone; a pool goes at once."""
    name = retained_name(account, options)
    resource = account.state["retained"][name]
    if resource["protected"]:
        refuse(f"An error occurred (ValidationException): {name} has deletion protection enabled")
    if resource.get("status") in ("UPDATING", "DELETING"):
        refuse(f"An error occurred (ResourceInUseException): Table {name} is {resource['status']}")
    if "--table-name" in options:
        resource["status"] = "DELETING"
    else:
        del account.state["retained"][name]


def wait_table_active(account: Account, options: dict[str, list[str]]) -> None:
    account.state["retained"][retained_name(account, options)]["status"] = "ACTIVE"


def wait_table_gone(account: Account, options: dict[str, list[str]]) -> None:
    name = one(options, "--table-name") or ""
    account.state["retained"].pop(name, None)


def get_apigateway_account(account: Account, options: dict[str, list[str]]) -> None:
    answer({"cloudwatchRoleArn": account.state.get("apigateway_role")}, options)


def update_apigateway_account(account: Account, options: dict[str, list[str]]) -> None:
    """API Gateway refuses a role it cannot assume yet: `apigateway_refusals` times after it is
    created (IAM propagation), and always a role that does not exist or an empty ARN. A
    replace with no value clears the setting."""
    operation = dict(
        item.split("=", 1) for item in (one(options, "--patch-operations") or "").split(",")
    )
    if operation.get("path") != "/cloudwatchRoleArn" or operation.get("op") != "replace":
        refuse(f"An error occurred (BadRequestException): Invalid patch operation {operation}")
    if "value" not in operation:
        account.state["apigateway_role"] = None
        account.event("apigateway-account", "")
        return
    role = operation["value"]
    if not role:
        refuse("An error occurred (BadRequestException): The role ARN is not well formed")
    refusals = account.state.get("apigateway_refusals", 0)
    if refusals > 0 or not account.role_exists(role):
        account.state["apigateway_refusals"] = max(refusals - 1, 0)
        refuse(
            "An error occurred (BadRequestException): The role ARN does not have required "
            "permissions configured."
        )
    account.state["apigateway_role"] = role
    account.event("apigateway-account", role)


def wait_role_exists(account: Account, options: dict[str, list[str]]) -> None:
    name = one(options, "--role-name") or ""
    if account.role_named(name) is None:
        refuse(f"Waiter RoleExists failed: role {name} not found", 255)


def get_role(account: Account, options: dict[str, list[str]]) -> None:
    name = one(options, "--role-name") or ""
    arn = account.role_named(name)
    if arn is None:
        refuse(
            "An error occurred (NoSuchEntity) when calling the GetRole operation: "
            f"The role with name {name} cannot be found."
        )
    answer({"Role": {"RoleName": name, "Arn": arn}}, options)


def describe_images(account: Account, options: dict[str, list[str]]) -> None:
    repository = one(options, "--repository-name") or ""
    tag = (one(options, "--image-ids") or "").removeprefix("imageTag=")
    digest = account.state["repositories"].get(repository, {}).get(tag)
    if digest is None:
        refuse(f"An error occurred (ImageNotFoundException): no image tagged {tag} in {repository}")
    answer({"imageDetails": [{"imageDigest": digest, "imageTags": [tag]}]}, options)


def login_password(account: Account, options: dict[str, list[str]]) -> None:
    print("standin-registry-password")


def delete_repository(account: Account, options: dict[str, list[str]]) -> None:
    repository = one(options, "--repository-name") or ""
    if repository not in account.state["retained"]:
        refuse(f"An error occurred (RepositoryNotFoundException): {repository} not found")
    del account.state["retained"][repository]
    account.state["repositories"].pop(repository, None)


# ---------------------------------------------------------------- docker
def docker(account: Account, args: list[str]) -> None:
    """build, login and push, as an engine and ECR would take them (tags are immutable)."""
    words, options = parse(args)
    if words[:1] == ["build"]:
        dockerfile = Path(one(options, "--file") or "Dockerfile")
        if not dockerfile.is_file():
            refuse(f"ERROR: failed to read dockerfile: {dockerfile}", 1)
        digest = "sha256:" + hashlib.sha256(dockerfile.read_bytes()).hexdigest()
        account.state["images"][one(options, "--tag") or ""] = digest
        account.event("build-image", dockerfile.as_posix())
    elif words[:1] == ["login"]:
        if not PIPED[-1].strip():
            refuse("Error: Cannot perform an interactive login from a non TTY device", 1)
    elif words[:1] == ["push"]:
        image = words[1]
        digest = account.state["images"].get(image)
        if digest is None:
            refuse(f"An image does not exist locally with the tag: {image}", 1)
        uri, _, tag = image.rpartition(":")
        tags = account.state["repositories"].setdefault(uri.partition("/")[2], {})
        if tags.get(tag, digest) != digest:
            refuse(
                f"tag invalid: The image tag '{tag}' already exists and cannot be overwritten", 1
            )
        tags[tag] = digest
        account.event("push-image", image)
    else:
        refuse(f"stand-in docker: unsupported command {args!r}", 2)


# ---------------------------------------------------------------- python3.13
def python(account: Account, args: list[str]) -> None:
    if args[:2] == ["-m", "stacks.bytecode"]:
        compile_build(account, args[2:])
    elif args[:2] == ["-m", "web_client.publish"]:
        publish(account, args[2:])
    else:
        refuse(f"stand-in python3.13: unsupported {args!r}", 2)


def compile_build(account: Account, args: list[str]) -> None:
    """`python3.13 -m stacks.bytecode`: refused unless `sam build` wrote its build folder."""
    from stacks.bytecode import build_folder  # only this stand-in needs it

    _, options = parse(args)
    environment = one(options, "--config-env") or ""
    folder = build_folder(environment)
    if str(folder / "template.yaml") not in account.state.get("builds", {}):
        refuse(f"stacks.bytecode: {folder}: no such folder to compile (was it built?)", 1)
    account.event("compile", environment)


def publish(account: Account, args: list[str]) -> None:
    from web_client.release import export_names  # only this stand-in needs it

    _, options = parse(args)
    stage = one(options, "--stage") or ""
    exports = account.exports()
    missing = [name for name in export_names(stage).values() if name not in exports]
    if missing:
        refuse(f"publish: missing exports {', '.join(missing)}", 1)
    bucket = exports[f"shop-{stage}-WebBucketName"]
    for key in ("index.html", "config.json"):
        account.put_object(bucket, key)
    account.event("publish", stage)


COMMANDS = {"sam": sam, "aws": aws, "python3.13": python, "docker": docker}


def main(argv: list[str]) -> int:
    tool, args = argv[0], argv[1:]
    state_file = Path(os.environ[STATE_VARIABLE])
    # Commands of one pipeline (`aws ecr get-login-password | docker login`) run at once:
    # each holds the account while it uses it. What a command reads from the pipe it reads
    # first, as the command writing it holds the account until it is done.
    PIPED.append(sys.stdin.read() if (tool, args[:1]) == ("docker", ["login"]) else "")
    with state_file.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        account = Account(state_file)
        account.state["calls"].append([tool, *args])
        try:
            COMMANDS[tool](account, args)
        except RefusedError as refused:
            print(refused, file=sys.stderr)
            return refused.code
        finally:
            account.note_a_lost_apigateway_role()
            account.save()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
