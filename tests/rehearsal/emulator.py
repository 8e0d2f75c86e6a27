"""The AWS the deploy rehearsal deploys to: moto's server, with a thin layer in front of its
CloudFormation that does what CloudFormation does and moto does not.

`python -m tests.rehearsal PORT` serves it on 127.0.0.1:PORT until stopped. Before a
template reaches moto's CloudFormation (CreateStack, UpdateStack, CreateChangeSet), the layer:
- expands `Fn::Transform: AWS::Include` from the S3 object `sam package` uploaded, and the SAM
  transform with the SAM translator the SAM CLI ships (moto skips every AWS::Serverless::*
  resource without a word);
- refuses IAM resources without CAPABILITY_IAM, and a named one (RoleName, ManagedPolicyName,
  ...) without CAPABILITY_NAMED_IAM, as CloudFormation does (moto checks no capability);
- records the resource types moto's CloudFormation cannot create (it only logs a warning and
  skips them) in the file named by REHEARSAL_UNSUPPORTED_TYPES, one a line.
IAM enforcement is moto's own: start it with INITIAL_NO_AUTH_ACTION_COUNT set.
"""

import contextvars
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import boto3
from moto.apigateway.models import APIGatewayBackend, RestAPI, apigateway_backends
from moto.cloudformation import parsing
from moto.cloudformation.exceptions import CloudFormationError, ValidationError
from moto.cloudformation.models import CloudFormationBackend
from moto.cloudformation.parsing import get_model_list, get_model_map
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.common_models import CloudFormationModel
from moto.s3.models import s3_backends
from moto.server import ThreadedMotoServer
from samcli.yamlhelper import yaml_parse
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

from tests.rehearsal import access, apigateway_models, iam_models, lambda_models, stack_updates
from tests.rehearsal.apigateway_models import UsagePlanModel
from tests.rehearsal.capabilities import required_capability
from tests.rehearsal.cloudfront_models import PlaceholderDistribution

LOOPBACK = "127.0.0.1"
UNSUPPORTED_TYPES_VARIABLE = "REHEARSAL_UNSUPPORTED_TYPES"
SERVERLESS_TRANSFORM = "AWS::Serverless-2016-10-31"
# The request's capabilities, for the backend call the same request makes.
_capabilities: contextvars.ContextVar[list[str]] = contextvars.ContextVar("capabilities")
_unsupported_lock = threading.Lock()
# What the rehearsal adds to moto's CloudFormation (each creates its resource in moto).
ADDED_MODELS = (lambda_models.FunctionAlias, PlaceholderDistribution, UsagePlanModel)
# What moto's CloudFormation creates, with those, before any stand-in joins them.
_MOTO_TYPES = frozenset(
    model.cloudformation_type() for model in CloudFormationModel.__subclasses__()
) | {model.cloudformation_type() for model in ADDED_MODELS}


class InsufficientCapabilitiesError(CloudFormationError):
    code = "InsufficientCapabilitiesException"

    def __init__(self, capability: str) -> None:
        super().__init__(f"Requires capabilities : [{capability}]")


class _AwsManagedPolicies(dict[str, str]):
    """SAM's managed-policy names: each is AWS's policy of that name."""

    def __missing__(self, name: str) -> str:
        return f"arn:aws:iam::aws:policy/{name}"


class StandIn(CloudFormationModel):
    """A resource of a type moto's CloudFormation cannot create: it has a physical id and
    answers Ref and Fn::GetAtt, so that the stack completes, and nothing exists behind it."""

    resource_type = ""

    def __init__(self, name: str, account_id: str, region_name: str) -> None:
        self.name = name
        self.arn_prefix = (
            f"arn:aws:{self.resource_type.split('::')[1].lower()}:{region_name}:{account_id}"
        )

    @property
    def physical_resource_id(self) -> str:
        return self.name

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def cloudformation_type(cls) -> str:  # type: ignore[override]
        return cls.resource_type

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return True

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> "StandIn":
        return cls(resource_name, account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Any:
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> None:
        return None

    def is_created(self) -> bool:
        return True

    def get_cfn_attribute(self, attribute_name: str) -> str:
        kind = self.resource_type.split("::")[2].lower()
        if attribute_name == "Arn" or attribute_name.endswith("Arn"):
            return f"{self.arn_prefix}:{kind}/{self.name}"
        if attribute_name == "DomainName":
            return f"{self.name.lower()}.{kind}.example"
        return f"{self.name}-{attribute_name}"


# The stand-in classes made (CloudFormationModel.__subclasses__ holds them weakly).
_STAND_INS: dict[str, type[StandIn]] = {}


def _stand_in_for(resource_types: set[str]) -> None:
    """A StandIn class for each type neither moto nor an earlier call has a model for."""
    missing = resource_types - set(get_model_map())
    for resource_type in sorted(missing):
        _STAND_INS[resource_type] = type(
            f"StandIn_{resource_type.replace('::', '_')}",
            (StandIn, CloudFormationModel),
            {"resource_type": resource_type},
        )
    if missing:
        get_model_list.cache_clear()
        get_model_map.cache_clear()


def check_capabilities(template: dict[str, Any], capabilities: list[str]) -> None:
    needed = required_capability(template)
    if needed is None or "CAPABILITY_NAMED_IAM" in capabilities or needed in capabilities:
        return
    raise InsufficientCapabilitiesError(needed)


def unsupported_types(template: dict[str, Any]) -> set[str]:
    return {
        resource["Type"]
        for resource in template.get("Resources", {}).values()
        if resource["Type"] not in _MOTO_TYPES and not resource["Type"].startswith("Custom::")
    }


def _s3_text(location: str, account_id: str) -> str:
    """An object `sam package` uploaded, by its s3://bucket/key location."""
    parsed = urlparse(location)
    value: bytes = s3_backends[account_id]["aws"].get_object(parsed.netloc, parsed.path[1:]).value
    return value.decode()


def _expand_includes(node: Any, account_id: str) -> Any:
    if isinstance(node, dict):
        include = node.get("Fn::Transform")
        if len(node) == 1 and isinstance(include, dict) and include.get("Name") == "AWS::Include":
            return yaml_parse(_s3_text(include["Parameters"]["Location"], account_id))
        return {key: _expand_includes(value, account_id) for key, value in node.items()}
    if isinstance(node, list):
        return [_expand_includes(value, account_id) for value in node]
    return node


def expand(
    body: str, parameters: dict[str, str], stack_name: str, region: str, account_id: str
) -> dict[str, Any]:
    """The template as CloudFormation runs it: includes and the SAM transform expanded."""
    template: dict[str, Any] = _expand_includes(yaml_parse(body), account_id)
    transforms = template.get("Transform", [])
    if SERVERLESS_TRANSFORM in ([transforms] if isinstance(transforms, str) else transforms):
        pseudo = {
            "AWS::Region": region,
            "AWS::AccountId": account_id,
            "AWS::Partition": "aws",
            "AWS::StackName": stack_name,
        }
        translator = Translator(None, Parser(), boto_session=boto3.Session(region_name=region))
        template = translator.translate(
            template, {**pseudo, **parameters}, get_managed_policy_map=_AwsManagedPolicies
        )
    return template


def _record_unsupported(template: dict[str, Any]) -> None:
    path = os.environ.get(UNSUPPORTED_TYPES_VARIABLE)
    types = unsupported_types(template)
    if not path or not types:
        return
    with _unsupported_lock, Path(path).open("a", encoding="utf-8") as stream:
        stream.writelines(f"{resource_type}\n" for resource_type in sorted(types))


def _through_layer(
    method: Callable[..., Any], parameters_of: Callable[[Any], dict[str, str]]
) -> Callable[..., Any]:
    def wrapper(self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Any:
        stack_name = kwargs.get("stack_name") or kwargs["name"]
        template = expand(
            kwargs["template"],
            parameters_of(kwargs.get("parameters")),
            stack_name,
            self.region_name,
            self.account_id,
        )
        check_capabilities(template, _capabilities.get([]))
        _record_unsupported(template)
        _stand_in_for(unsupported_types(template))
        kwargs["template"] = json.dumps(template)
        if isinstance(kwargs.get("parameters"), dict):
            kwargs["parameters"] = {
                **_defaults(template),
                **parameters_of(kwargs["parameters"]),
            }
        return method(self, *args, **kwargs)

    return wrapper


def _defaults(template: dict[str, Any]) -> dict[str, str]:
    """The parameters a request leaves to their defaults, as CloudFormation keeps them with the
    stack: moto kept only those given, so the stack's parameters never equalled a later
    request's (which names them all, `UsePreviousValue`), a re-run's change set was never empty,
    and its execution changed every resource that reads one (a log group moto cannot update)."""
    return {
        name: str(declared["Default"]).lower()
        if isinstance(declared["Default"], bool)
        else str(declared["Default"])
        for name, declared in template.get("Parameters", {}).items()
        if "Default" in declared
    }


def _keeping_capabilities(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: CloudFormationResponse) -> Any:
        _capabilities.set(self._get_param("Capabilities", []))
        return method(self)

    return wrapper


def _plain_parameters(parameters: Any) -> dict[str, str]:
    """As the request gave them, text: moto answers a UsePreviousValue with the value it
    parsed, a CommaDelimitedList's list (which it then splits again: AttributeError) or a
    Number's int, neither of which equals the deployed text (so a re-run's change set was
    never empty)."""
    return {key: _as_text(value) for key, value in (parameters or {}).items()}


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(_as_text(item) for item in value)
    return value if isinstance(value, str) else str(value)


def _listed_parameters(parameters: Any) -> dict[str, str]:
    return {
        item["ParameterKey"]: item["ParameterValue"]
        for item in parameters or []
        if "ParameterValue" in item
    }


def _with_imports(method: Callable[..., Any]) -> Callable[..., Any]:
    """moto creates a change set's stack without the region's exports: Fn::ImportValue fails."""

    def wrapper(self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Any:
        change_set_id, stack_id = method(self, *args, **kwargs)
        stack = self.stacks[stack_id]
        stack.cross_stack_resources = stack.resource_map.cross_stack_resources = self.exports
        return change_set_id, stack_id

    return wrapper


def _with_outputs(method: Callable[..., Any]) -> Callable[..., Any]:
    """moto executes a change set without reading the stack's new template, parameters and
    outputs (so it exports nothing): read them as CreateStack and UpdateStack do."""

    def wrapper(
        self: CloudFormationBackend, change_set_name: str, stack_name: str | None = None
    ) -> None:
        try:
            method(self, change_set_name, stack_name)
        except CloudFormationError:
            raise
        except Exception as error:
            # A resource's own service refused (moto answers its own error format, which
            # the caller cannot read as CloudFormation's): CloudFormation reports it so.
            logging.getLogger(__name__).exception("executing %s failed", change_set_name)
            raise ValidationError(
                message=f"Resource handler returned message: {error!r}"
            ) from error
        change_set = next(
            candidate
            for candidate_id, candidate in self.change_sets.items()
            if change_set_name in (candidate_id, candidate.change_set_name)
        )
        stack = self.stacks[change_set.stack_id]
        stack._parse_template()
        stack.parameters = change_set.parameters
        stack.output_map = stack._create_output_map()
        for export in stack.exports:
            self.exports[export.name] = export

    return wrapper


def _lower_case_repository_names(generate: Callable[[str, str, str], str]) -> Callable[..., str]:
    """CloudFormation names an ECR repository in lower case (ECR takes no other); moto does not."""

    def wrapper(resource_type: str, stack_name: str, logical_id: str) -> str:
        name = generate(resource_type, stack_name, logical_id)
        return name.lower() if resource_type == "AWS::ECR::Repository" else name

    return wrapper


def _rest_apis_read_their_body(create: Callable[..., RestAPI]) -> Callable[..., RestAPI]:
    """A REST API's OpenAPI `Body` (SAM's DefinitionBody): moto's CloudFormation ignores it,
    so the API had no method and its deployment failed; import it as PutRestApi does."""

    def wrapper(
        cls: type[RestAPI],
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> RestAPI:
        api = create(resource_name, cloudformation_json, account_id, region_name, **kwargs)
        body = cloudformation_json["Properties"].get("Body")
        if body:
            apigateway_backends[account_id][region_name].put_rest_api(
                api.id, body, fail_on_warnings=False, mode="overwrite"
            )
        return api

    return wrapper


# A path item's operations (OpenAPI 3, plus API Gateway's ANY); its other fields (parameters,
# summary, description, servers) apply to them.
_OPERATIONS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"}) | {
    "x-amazon-apigateway-any-method"
}


def _path_items_hold_only_operations(
    put: Callable[..., RestAPI],
) -> Callable[..., RestAPI]:
    """moto's import takes every field of a path item for an operation: a path-level
    `parameters` list (valid OpenAPI 3, which API Gateway imports) failed with AttributeError
    'list' object has no attribute 'get'. moto imports no request parameters anyway."""

    def wrapper(
        self: APIGatewayBackend,
        function_id: str,
        api_doc: dict[str, Any],
        *args: Any,
        **kwargs: Any,
    ) -> RestAPI:
        paths = {
            path: {
                ("any" if field == "x-amazon-apigateway-any-method" else field): operation
                for field, operation in item.items()
                if field in _OPERATIONS
            }
            for path, item in api_doc.get("paths", {}).items()
        }
        return put(self, function_id, {**api_doc, "paths": paths}, *args, **kwargs)

    return wrapper


def _mock_integrations_need_no_uri(
    build: Callable[[APIGatewayBackend, dict[str, Any]], dict[str, Any]],
) -> Callable[[APIGatewayBackend, dict[str, Any]], dict[str, Any]]:
    """An OpenAPI MOCK integration (CORS preflight) has no uri or httpMethod, which moto's
    import requires of every integration."""

    def wrapper(self: APIGatewayBackend, integration: dict[str, Any]) -> dict[str, Any]:
        arguments = build(self, integration)
        if integration.get("type") == "mock":
            arguments["uri"] = arguments["uri"] or ""
            arguments["integration_method"] = arguments["integration_method"] or ""
        return arguments

    return wrapper


def _no_value_leaves_lists(clean: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """`Ref: AWS::NoValue` (an `Fn::If` branch) removes a list's item in CloudFormation; moto
    kept it as None: a role's policy then had a `null` statement, and every call made with
    the role's credentials failed on it (moto's access control answered 500)."""

    def wrapper(node: Any, resources_map: Any) -> Any:
        cleaned = clean(node, resources_map)
        if isinstance(node, list):
            return [item for item in cleaned if item is not None]
        return cleaned

    return wrapper


def install_layer() -> None:
    APIGatewayBackend._build_integration_args = _mock_integrations_need_no_uri(  # type: ignore[method-assign]
        APIGatewayBackend._build_integration_args
    )
    APIGatewayBackend.put_rest_api = _path_items_hold_only_operations(  # type: ignore[method-assign]
        APIGatewayBackend.put_rest_api
    )
    RestAPI.create_from_cloudformation_json = classmethod(  # type: ignore[method-assign,assignment]
        _rest_apis_read_their_body(RestAPI.create_from_cloudformation_json)
    )
    parsing.generate_resource_name = _lower_case_repository_names(parsing.generate_resource_name)
    parsing.clean_json = _no_value_leaves_lists(parsing.clean_json)
    lambda_models.install()
    iam_models.install()
    access.install()
    apigateway_models.install()
    stack_updates.install()
    get_model_list.cache_clear()
    get_model_map.cache_clear()
    for name in ("create_stack", "create_change_set", "update_stack"):
        setattr(
            CloudFormationResponse,
            name,
            _keeping_capabilities(getattr(CloudFormationResponse, name)),
        )
    CloudFormationBackend.create_stack = _through_layer(
        CloudFormationBackend.create_stack, _plain_parameters
    )  # type: ignore[method-assign]
    CloudFormationBackend.create_change_set = _with_imports(  # type: ignore[method-assign]
        _through_layer(CloudFormationBackend.create_change_set, _plain_parameters)
    )
    CloudFormationBackend.execute_change_set = _with_outputs(
        CloudFormationBackend.execute_change_set
    )  # type: ignore[method-assign]
    CloudFormationBackend.update_stack = _through_layer(
        CloudFormationBackend.update_stack, _listed_parameters
    )  # type: ignore[method-assign]


def main(port: int) -> None:
    logging.basicConfig(level=logging.WARNING)
    install_layer()
    server = ThreadedMotoServer(ip_address=LOOPBACK, port=port)
    server.start()
    threading.Event().wait()
