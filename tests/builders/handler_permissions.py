"""What CloudFormation needs to create, read, update and delete each resource type: the
handler permissions of the resource provider schemas cfn-lint ships, and those the shop's
roles leave out, each with its reason (a property no template sets, checked by the tests;
or a step the permissions boundary or a Deny forbids)."""

import json
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from typing import Any

import cfnlint

from tests.builders.iam import REGION

CFNLINT_DATA = Path(cfnlint.__file__).parent / "data"


def iam_action_exists(action: str) -> bool:
    """Whether IAM knows the action (cfn-lint's list): some handler lists are not actions."""
    service, name = action.split(":", 1)
    known = _iam_actions().get(service.lower(), {}).get("Actions", {})
    return name.lower() in known


@cache
def _iam_actions() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (CFNLINT_DATA / "AdditionalSpecs" / "Policies.json").read_text()
    )
    return loaded


@cache
def handler_permissions(resource_type: str) -> dict[str, list[str]]:
    """create/read/update/delete permissions of a resource type, from cfn-lint's schemas."""
    schemas = CFNLINT_DATA / "schemas"
    providers = json.loads((schemas / "providers" / f"{REGION}.json").read_text())
    schema = json.loads((schemas / "resources" / f"{providers[resource_type]}.json").read_text())
    handlers = schema.get("handlers", {})
    return {
        operation: handlers.get(operation, {}).get("permissions", [])
        for operation in ("create", "read", "update", "delete")
    }


@dataclass(frozen=True)
class Unneeded:
    """Handler permissions a role does not get: a property the shop's templates never set
    needs them (checked below), or the permissions boundary forbids the step."""

    resource_type: str
    permissions: tuple[str, ...]
    properties: tuple[str, ...]
    reason: str


UNNEEDED = [
    Unneeded(
        "AWS::Lambda::Function",
        ("kms:*",),
        ("KmsKeyArn",),
        "environment variables use Lambda's own key",
    ),
    Unneeded("AWS::Logs::LogGroup", ("kms:*",), ("KmsKeyId",), "logs use CloudWatch's own key"),
    Unneeded(
        "AWS::CertificateManager::Certificate",
        ("acm-pca:*",),
        ("CertificateAuthorityArn",),
        "public certificates validated by DNS: no private certificate authority issues them",
    ),
    Unneeded(
        "AWS::Lambda::EventSourceMapping",
        ("kms:*",),
        ("KmsKeyArn",),
        "the stream's filter criteria are not encrypted with a key of the shop's",
    ),
    Unneeded(
        "AWS::Cognito::UserPool",
        ("kms:*",),
        ("LambdaConfig",),
        "no custom sender trigger, whose key this is",
    ),
    Unneeded(
        "AWS::Cognito::UserPoolDomain", ("kms:*",), ("CustomDomainConfig",), "no custom domain"
    ),
    Unneeded(
        "AWS::Lambda::Function",
        ("ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"),
        ("VpcConfig",),
        "the functions run in no VPC",
    ),
    Unneeded(
        "AWS::Lambda::Function",
        ("elasticfilesystem:*", "s3files:*"),
        ("FileSystemConfigs",),
        "no file system is mounted",
    ),
    Unneeded(
        "AWS::Lambda::Function",
        (
            "lambda:GetCodeSigningConfig",
            "lambda:PutFunctionCodeSigningConfig",
            "lambda:DeleteFunctionCodeSigningConfig",
        ),
        ("CodeSigningConfigArn",),
        "no code signing",
    ),
    Unneeded(
        "AWS::Lambda::Function",
        ("lambda:PassCapacityProvider",),
        ("CapacityProviderConfig",),
        "no capacity provider",
    ),
    Unneeded(
        "AWS::Lambda::Alias", ("codedeploy:*",), ("DeploymentPreference",), "no gradual deployment"
    ),
    Unneeded(
        "AWS::IAM::Role",
        ("iam:UpdateAssumeRolePolicy", "iam:DeleteRolePermissionsBoundary"),
        (),
        "the boundary forbids both: change a role's trust by replacing the role",
    ),
    Unneeded(
        "AWS::Logs::LogGroup",
        (
            "logs:PutDataProtectionPolicy",
            "logs:CreateLogDelivery",
            "firehose:*",
            "logs:PutResourcePolicy",
            "logs:DeleteResourcePolicy",
            "logs:PutIndexPolicy",
            "logs:DeleteIndexPolicy",
            "logs:AssociateKmsKey",
            "logs:DisassociateKmsKey",
            "logs:PutBearerTokenAuthentication",
            "logs:PutLogGroupDeletionProtection",
        ),
        (
            "DataProtectionPolicy",
            "ResourcePolicyDocument",
            "FieldIndexPolicies",
            "KmsKeyId",
            "BearerTokenAuthenticationEnabled",
            "DeletionProtectionEnabled",
        ),
        "log groups with a retention only",
    ),
    Unneeded(
        "AWS::DynamoDB::Table",
        (
            "dynamodb:ImportTable",
            "dynamodb:DescribeImport",
            "dynamodb:Scan",
            "dynamodb:Query",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
            "s3:GetObject",
            "s3:GetObjectMetadata",
            "s3:ListBucket",
            "logs:*",
        ),
        ("ImportSourceSpecification",),
        "no table is imported: CloudFormation never reads the data",
    ),
    Unneeded(
        "AWS::DynamoDB::Table",
        (
            "kinesis:*",
            "dynamodb:EnableKinesisStreamingDestination",
            "dynamodb:DisableKinesisStreamingDestination",
            "dynamodb:UpdateKinesisStreamingDestination",
        ),
        ("KinesisStreamSpecification",),
        "no Kinesis stream",
    ),
    Unneeded(
        "AWS::DynamoDB::Table",
        (
            "dynamodb:CreateTableReplica",
            "dynamodb:AssociateTableReplica",
            "iam:CreateServiceLinkedRole",
        ),
        ("Replicas",),
        "no replica",
    ),
    Unneeded(
        "AWS::DynamoDB::Table",
        ("dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy"),
        ("ResourcePolicy",),
        "no table has a resource policy: the bootstrap role is denied them, so no commit can "
        "open a table to another account",
    ),
    Unneeded(
        "AWS::S3::Bucket",
        ("s3:PutBucketAcl",),
        ("AccessControl",),
        "ownership is enforced (no ACLs), and the bootstrap role is denied them",
    ),
    Unneeded(
        "AWS::Cognito::UserPool",
        ("iam:PassRole",),
        ("SmsConfiguration", "LambdaConfig"),
        "no SMS role and no trigger",
    ),
    Unneeded(
        "AWS::Cognito::UserPoolClient",
        (
            "iam:PassRole",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:CreateServiceLinkedRole",
        ),
        ("AnalyticsConfiguration",),
        "no Pinpoint analytics",
    ),
    Unneeded(
        "AWS::Cognito::UserPoolGroup",
        ("iam:PassRole", "iam:PutRolePolicy"),
        ("RoleArn",),
        "groups carry no IAM role",
    ),
    Unneeded(
        "AWS::Cognito::UserPoolUser",
        ("iam:PassRole",),
        ("ClientMetadata",),
        "no trigger receives the first admin's creation",
    ),
    Unneeded(
        "AWS::Cognito::UserPoolDomain",
        ("cloudfront:updateDistribution",),
        ("CustomDomainConfig",),
        "the hosted UI uses Cognito's own domain",
    ),
    Unneeded(
        "AWS::S3::Bucket",
        ("iam:PassRole", "s3:PutReplicationConfiguration"),
        ("ReplicationConfiguration",),
        "no replication",
    ),
    Unneeded(
        "AWS::S3::Bucket",
        ("s3:*MetadataTableConfiguration", "s3:UpdateBucketMetadata*", "s3tables:*"),
        ("MetadataTableConfiguration", "MetadataConfiguration"),
        "no metadata tables",
    ),
    Unneeded(
        "AWS::S3::Bucket",
        ("s3:PutObjectLockConfiguration",),
        ("ObjectLockConfiguration", "ObjectLockEnabled"),
        "no object lock",
    ),
    Unneeded(
        "AWS::S3::Bucket",
        ("s3:DeleteObject", "s3:PutObjectAcl"),
        (),
        "CloudFormation never touches the site's files: deploy_everything.sh publishes and "
        "empties the bucket, and ownership is enforced (no ACLs)",
    ),
    Unneeded(
        "AWS::CloudFront::Distribution",
        ("cloudfront:CreateConnectionGroup", "cloudfront:GetConnectionGroup"),
        ("ConnectionMode", "TenantConfig"),
        "a plain distribution, no tenants",
    ),
    Unneeded(
        "AWS::CloudFront::Distribution",
        ("cloudfront:GetVpcOrigin",),
        ("VpcOriginConfig",),
        "no VPC origin",
    ),
    Unneeded(
        "AWS::CloudFront::Distribution",
        ("cloudfront:UpdateDistributionWithStagingConfig",),
        ("ContinuousDeploymentPolicyId", "Staging"),
        "no staging distribution",
    ),
    Unneeded(
        "AWS::WAFv2::WebACLAssociation",
        (
            "amplify:*",
            "apprunner:*",
            "appsync:*",
            "bedrock-agentcore:*",
            "cognito-idp:*",
            "ec2:*",
            "elasticloadbalancing:*",
            "wafv2:PutPermissionPolicy",
            "wafv2:GetPermissionPolicy",
        ),
        (),
        "the web ACL is associated with the API stage only, and shares no rule group",
    ),
    Unneeded(
        "AWS::WAFv2::WebACL",
        ("payments:*",),
        (),
        "no paid managed rule group (AWS's common rule set is free with the ACL)",
    ),
    Unneeded(
        "AWS::ApiGateway::RestApi",
        ("iam:PassRole",),
        (),
        "no integration runs with a role: API Gateway invokes the functions through their "
        "resource policies (AWS::Lambda::Permission)",
    ),
    Unneeded(
        "AWS::ApiGateway::RestApi",
        ("apigateway:UpdateRestApiPolicy",),
        ("Policy",),
        "the API has no resource policy",
    ),
]


def unneeded(resource_type: str, permission: str) -> Unneeded | None:
    for entry in UNNEEDED:
        if entry.resource_type in ("*", resource_type) and any(
            fnmatchcase(permission.lower(), pattern.lower()) for pattern in entry.permissions
        ):
            return entry
    return None
