"""The bootstrap stack's data and identity resources, created in the emulator from its template.

Tables (keys, indexes, TTL), the user pool (policies, schema, auto-verified attributes,
username settings), its app client, its groups, the admin user and its group membership:
each from its resource in bootstrap/template.yaml, the template's properties passed to the
API as they are (CloudFormation's property names are the API's). Re-running on restored
state (`--persist`) reuses what exists.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError

from local.cloudformation.distributions import create_cloudfront_resources
from local.cloudformation.stack import LocalCloud
from local.s3.images import create_images_bucket, regional_domain_name
from stacks.intrinsics import resolve
from stacks.templates import BOOTSTRAP_TEMPLATE, bootstrap_tables, load_template, resources_of_type


@dataclass(frozen=True)
class Bootstrap:
    """What the bootstrap stack created locally: its resources' physical ids and attributes."""

    references: dict[str, str]
    attributes: dict[str, str]

    @property
    def user_pool_id(self) -> str:
        return self.references["UserPool"]

    @property
    def user_pool_client_id(self) -> str:
        return self.references["UserPoolClient"]


def provision_bootstrap(cloud: LocalCloud, site_host: str, admin_username: str) -> Bootstrap:
    """Create (or find) the bootstrap resources and publish the stack's exports."""
    references: dict[str, str] = {}
    # The CloudFront site is the local server itself.
    attributes: dict[str, str] = {"WebDistribution.DomainName": site_host}
    _create_tables(cloud, references, attributes)
    create_images_bucket(cloud, references, attributes)
    _create_vault_bucket(cloud, references, attributes)
    attributes.setdefault(
        "WebBucket.RegionalDomainName",
        regional_domain_name(f"shop-{cloud.stage}-web", cloud.region),
    )
    create_cloudfront_resources(cloud, references, attributes)
    _create_identity(cloud, references, attributes, admin_username)
    scope = cloud.scope(BOOTSTRAP_TEMPLATE, references, attributes)
    cloud.publish_outputs(BOOTSTRAP_TEMPLATE, scope, {"WebOrigin": f"http://{site_host}"})
    return Bootstrap(references, attributes)


def _create_tables(
    cloud: LocalCloud, references: dict[str, str], attributes: dict[str, str]
) -> None:
    dynamodb = boto3.client("dynamodb")
    for logical_id, spec in bootstrap_tables().items():
        name = f"shop-{cloud.stage}-{logical_id}"
        try:
            description = dynamodb.create_table(**spec.create_table_request(name))[
                "TableDescription"
            ]
            if spec.ttl_attribute:
                dynamodb.update_time_to_live(
                    TableName=name,
                    TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute},
                )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceInUseException":
                raise
            description = dynamodb.describe_table(TableName=name)["Table"]
        references[logical_id] = name
        attributes[f"{logical_id}.Arn"] = description["TableArn"]
        if "LatestStreamArn" in description:
            attributes[f"{logical_id}.StreamArn"] = description["LatestStreamArn"]


def _create_vault_bucket(
    cloud: LocalCloud, references: dict[str, str], attributes: dict[str, str]
) -> None:
    """The config vault's bodies bucket, versioned as the template says."""
    name = f"shop-{cloud.stage}-vault-bodies"
    s3 = boto3.client("s3")
    location: Any = {"LocationConstraint": cloud.region}
    try:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration=location)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "BucketAlreadyOwnedByYou":
            raise
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    references["VaultBucket"] = name
    attributes["VaultBucket.Arn"] = f"arn:aws:s3:::{name}"


def _create_identity(
    cloud: LocalCloud, references: dict[str, str], attributes: dict[str, str], admin_username: str
) -> None:
    cognito = boto3.client("cognito-idp")
    template = load_template(BOOTSTRAP_TEMPLATE)

    def properties(resource: Mapping[str, Any]) -> dict[str, Any]:
        scope = cloud.scope(BOOTSTRAP_TEMPLATE, references, attributes)
        resolved: dict[str, Any] = resolve(resource.get("Properties", {}), scope)
        return resolved

    for logical_id, pool in resources_of_type(template, "AWS::Cognito::UserPool").items():
        request = properties(pool)
        request["PoolName"] = request.pop("UserPoolName")
        existing = _find(
            cognito.list_user_pools(MaxResults=60)["UserPools"], "Name", request["PoolName"]
        )
        references[logical_id] = (
            existing
            or cognito.create_user_pool(**_api_arguments(cognito, "CreateUserPool", request))[
                "UserPool"
            ]["Id"]
        )
    for logical_id, client in resources_of_type(template, "AWS::Cognito::UserPoolClient").items():
        request = properties(client)
        listed = cognito.list_user_pool_clients(UserPoolId=request["UserPoolId"], MaxResults=60)
        existing = _find(listed["UserPoolClients"], "ClientName", request["ClientName"])
        references[logical_id] = (
            existing
            or cognito.create_user_pool_client(
                **_api_arguments(cognito, "CreateUserPoolClient", request)
            )["UserPoolClient"]["ClientId"]
        )
    for logical_id, group in resources_of_type(template, "AWS::Cognito::UserPoolGroup").items():
        request = properties(group)
        _ignore_existing(cognito.create_group, **_api_arguments(cognito, "CreateGroup", request))
        references[logical_id] = request["GroupName"]
    for logical_id, user in resources_of_type(template, "AWS::Cognito::UserPoolUser").items():
        request = properties(user)
        request["MessageAction"] = "SUPPRESS"  # the local stack sets the password itself
        _ignore_existing(
            cognito.admin_create_user, **_api_arguments(cognito, "AdminCreateUser", request)
        )
        references[logical_id] = request["Username"]
    for attachment in resources_of_type(
        template, "AWS::Cognito::UserPoolUserToGroupAttachment"
    ).values():
        request = properties(attachment)
        cognito.admin_add_user_to_group(**_api_arguments(cognito, "AdminAddUserToGroup", request))
    if admin_username not in references.values():
        raise ValueError(f"{BOOTSTRAP_TEMPLATE} declares no user {admin_username!r}")


def set_permanent_password(user_pool_id: str, username: str, password: str) -> None:
    boto3.client("cognito-idp").admin_set_user_password(
        UserPoolId=user_pool_id, Username=username, Password=password, Permanent=True
    )


def table_is_empty(table_name: str) -> bool:
    response = boto3.client("dynamodb").scan(TableName=table_name, Limit=1, Select="COUNT")
    return int(response["Count"]) == 0 and "LastEvaluatedKey" not in response


def _api_arguments(client: Any, operation: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """The template properties that are parameters of the API operation (same names); a
    property a condition left out (`AWS::NoValue`) is no parameter."""
    members = client.meta.service_model.operation_model(operation).input_shape.members
    return {
        name: value for name, value in properties.items() if name in members and value is not None
    }


def _find(items: list[dict[str, Any]], key: str, value: str) -> str | None:
    for item in items:
        if item.get(key) == value:
            return str(item.get("Id") or item.get("ClientId"))
    return None


def _ignore_existing(call: Any, **arguments: Any) -> None:
    try:
        call(**arguments)
    except ClientError as exc:
        if exc.response["Error"]["Code"] not in {"GroupExistsException", "UsernameExistsException"}:
            raise
