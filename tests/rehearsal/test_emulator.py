"""The rehearsal's emulator refuses what AWS refuses and runs what moto alone would skip."""

import json
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from tests.rehearsal.shop import REGION, Credentials, Emulator, emulator

NAMED_ROLE = {
    "Resources": {
        "Role": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": "named",
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
            },
        }
    }
}


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    with emulator(tmp_path_factory.mktemp("emulator")) as running:
        yield running


def _change_set(
    aws: Emulator,
    stack: str,
    template: dict[str, object],
    *capabilities: str,
    kind: str = "CREATE",
) -> str:
    """The stack created (or, of kind UPDATE, changed) as `sam deploy` does: a change set,
    executed."""
    cloudformation = aws.client("cloudformation")
    created = cloudformation.create_change_set(
        StackName=stack,
        ChangeSetName=f"rehearsal-{kind.lower()}",
        ChangeSetType=kind,
        TemplateBody=json.dumps(template),
        Capabilities=list(capabilities),
    )
    cloudformation.execute_change_set(ChangeSetName=created["Id"])
    return str(created["StackId"])


def _unnamed(template: dict[str, object]) -> dict[str, object]:
    unnamed = json.loads(json.dumps(template))
    del unnamed["Resources"]["Role"]["Properties"]["RoleName"]
    return unnamed


def test_a_named_iam_resource_without_the_named_iam_capability_is_refused(aws: Emulator) -> None:
    with pytest.raises(ClientError) as refused:
        _change_set(aws, "named-role", NAMED_ROLE, "CAPABILITY_IAM")

    assert refused.value.response["Error"]["Code"] == "InsufficientCapabilitiesException"
    assert "CAPABILITY_NAMED_IAM" in refused.value.response["Error"]["Message"]


def test_an_iam_resource_without_a_capability_is_refused(aws: Emulator) -> None:
    with pytest.raises(ClientError) as refused:
        _change_set(aws, "unnamed-role", _unnamed(NAMED_ROLE))

    assert "CAPABILITY_IAM" in refused.value.response["Error"]["Message"]


def test_a_named_iam_resource_with_the_named_iam_capability_is_created(aws: Emulator) -> None:
    _change_set(aws, "allowed-role", NAMED_ROLE, "CAPABILITY_NAMED_IAM")

    assert aws.client("iam").get_role(RoleName="named")["Role"]["RoleName"] == "named"


def test_a_sam_resource_is_expanded_and_created(aws: Emulator) -> None:
    template = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {"Table": {"Type": "AWS::Serverless::SimpleTable"}},
        "Outputs": {"TableName": {"Value": {"Ref": "Table"}, "Export": {"Name": "sam-table"}}},
    }

    _change_set(aws, "sam", template)

    exported = aws.client("cloudformation").list_exports()["Exports"]
    table = next(export["Value"] for export in exported if export["Name"] == "sam-table")
    assert aws.client("dynamodb").describe_table(TableName=table)["Table"]["TableName"] == table


def test_a_resource_type_moto_cannot_create_is_stood_in_for_and_listed(aws: Emulator) -> None:
    template = {
        "Resources": {"Pool": {"Type": "AWS::Cognito::UserPool"}},
        "Outputs": {"PoolArn": {"Value": {"Fn::GetAtt": ["Pool", "Arn"]}}},
    }

    stack_id = _change_set(aws, "stand-in", template)

    stack = aws.client("cloudformation").describe_stacks(StackName=stack_id)["Stacks"][0]
    assert stack["Outputs"][0]["OutputValue"].startswith("arn:aws:cognito")
    assert "AWS::Cognito::UserPool" in aws.unsupported_types()


def _assumed_role(aws: Emulator, name: str, allowed: dict[str, str]) -> Credentials:
    """The credentials of a new role allowed this one statement, assumed as a pipeline's
    CodeBuild assumes its role."""
    iam = aws.client("iam")
    role = iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps(
            NAMED_ROLE["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"]
        ),
    )["Role"]
    iam.put_role_policy(
        RoleName=name,
        PolicyName="allowed",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **allowed}]}
        ),
    )
    return _assume(aws, role["Arn"])


def _assume(aws: Emulator, role_arn: str) -> Credentials:
    session = aws.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="deploy")
    granted = session["Credentials"]
    return Credentials(granted["AccessKeyId"], granted["SecretAccessKey"], granted["SessionToken"])


def test_an_s3_key_outside_the_roles_prefix_is_refused(aws: Emulator) -> None:
    aws.client("s3").create_bucket(
        Bucket="artifacts", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    s3 = aws.client(
        "s3",
        _assumed_role(
            aws,
            "writes-partners",
            {"Action": "s3:PutObject", "Resource": "arn:aws:s3:::artifacts/partners/*"},
        ),
    )

    s3.put_object(Bucket="artifacts", Key="partners/template.yaml", Body=b"{}")
    with pytest.raises(ClientError) as refused:
        s3.put_object(Bucket="artifacts", Key="template.yaml", Body=b"{}")

    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_a_role_allowed_its_own_stage_stacks_is_refused_another_stages_stack(
    aws: Emulator,
) -> None:
    # Given two stages' stacks, and a role allowed to describe the dev stacks only
    _change_set(aws, "shop-dev-orders", _log_group(30))
    _change_set(aws, "shop-prod-orders", _log_group(30))
    own_stacks = "arn:aws:cloudformation:eu-west-1:123456789012:stack/shop-dev-*/*"
    cloudformation = aws.client(
        "cloudformation",
        _assumed_role(
            aws,
            "describes-dev",
            {"Action": "cloudformation:DescribeStacks", "Resource": own_stacks},
        ),
    )

    # When it describes each, then dev's is answered and prod's refused
    assert cloudformation.describe_stacks(StackName="shop-dev-orders")["Stacks"]
    with pytest.raises(ClientError) as refused:
        cloudformation.describe_stacks(StackName="shop-prod-orders")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_an_allow_scoped_to_a_resource_moto_does_not_name_applies(aws: Emulator) -> None:
    # Given a role allowed to describe one ECR repository (moto checks ECR's calls on `*`)
    aws.client("ecr").create_repository(repositoryName="partners")
    repository = "arn:aws:ecr:eu-west-1:123456789012:repository/partners"
    ecr = aws.client(
        "ecr",
        _assumed_role(
            aws, "reads-images", {"Action": "ecr:DescribeImages", "Resource": repository}
        ),
    )

    # When it describes the repository's images, then it is answered
    assert ecr.describe_images(repositoryName="partners")["imageDetails"] == []


PREFLIGHT = {
    "responses": {"204": {"description": "CORS preflight"}},
    "x-amazon-apigateway-integration": {
        "type": "mock",
        "requestTemplates": {"application/json": '{"statusCode": 204}'},
    },
}


def _rest_api(name: str, paths: dict[str, object]) -> dict[str, object]:
    """A template of a REST API with this OpenAPI body, deployed to a stage."""
    return {
        "Resources": {
            "Api": {
                "Type": "AWS::ApiGateway::RestApi",
                "Properties": {
                    "Name": name,
                    "Body": {
                        "openapi": "3.0.1",
                        "info": {"title": "t", "version": "1"},
                        "paths": paths,
                    },
                },
            },
            "Deployment": {
                "Type": "AWS::ApiGateway::Deployment",
                "Properties": {"RestApiId": {"Ref": "Api"}, "StageName": "dev"},
            },
        },
        "Outputs": {"ApiId": {"Value": {"Ref": "Api"}}},
    }


def test_a_rest_apis_openapi_body_is_imported_so_it_can_be_deployed(aws: Emulator) -> None:
    template = _rest_api("with-body", {"/items": {"options": PREFLIGHT}})

    stack_id = _change_set(aws, "rest-api", template)

    # (moto refuses to deploy an API without methods: the body's reached it)
    stack = aws.client("cloudformation").describe_stacks(StackName=stack_id)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"


def test_a_path_items_own_parameters_are_imported_with_its_operations(aws: Emulator) -> None:
    # Given a path item with parameters of its own (OpenAPI 3: they apply to each operation)
    item = {
        "parameters": [
            {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}}
        ],
        "options": PREFLIGHT,
    }

    # When a REST API with it is created
    stack_id = _change_set(
        aws, "path-parameters", _rest_api("path-parameters", {"/items/{item_id}": item})
    )

    # Then the path's operation is there (moto's import took `parameters` for one, and failed)
    stack = aws.client("cloudformation").describe_stacks(StackName=stack_id)["Stacks"][0]
    resources = aws.client("apigateway").get_resources(restApiId=stack["Outputs"][0]["OutputValue"])
    methods = {item["path"]: set(item.get("resourceMethods", {})) for item in resources["items"]}
    assert methods["/items/{item_id}"] == {"OPTIONS"}


def _usage_plan(burst_limit: int) -> dict[str, object]:
    return {
        "Resources": {
            "Plan": {
                "Type": "AWS::ApiGateway::UsagePlan",
                "Properties": {
                    "UsagePlanName": "basic",
                    "Throttle": {"RateLimit": "5", "BurstLimit": str(burst_limit)},
                    "Quota": {"Limit": "1000", "Period": "DAY"},
                },
            }
        },
        "Outputs": {"PlanId": {"Value": {"Ref": "Plan"}}},
    }


def test_a_replace_of_the_accounts_role_with_no_value_clears_it(aws: Emulator) -> None:
    # Given API Gateway's account setting naming a role
    apigateway = aws.client("apigateway")
    role = "arn:aws:iam::123456789012:role/logs"
    apigateway.update_account(
        patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn", "value": role}]
    )

    # When it is replaced with no value (deploy_everything.sh --destroy of the last stage)
    apigateway.update_account(patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn"}])

    # Then the setting names no role
    assert "cloudwatchRoleArn" not in apigateway.get_account()


def test_a_usage_plan_is_created_changed_in_place_and_deleted_in_api_gateway(
    aws: Emulator,
) -> None:
    # Given a stack with a usage plan
    cloudformation, apigateway = aws.client("cloudformation"), aws.client("apigateway")
    stack_id = _change_set(aws, "usage-plan", _usage_plan(burst_limit=10))
    [output] = cloudformation.describe_stacks(StackName=stack_id)["Stacks"][0]["Outputs"]
    created = apigateway.get_usage_plan(usagePlanId=output["OutputValue"])

    # When its burst limit changes, and then the stack is deleted
    cloudformation.update_stack(StackName=stack_id, TemplateBody=json.dumps(_usage_plan(11)))
    changed = apigateway.get_usage_plan(usagePlanId=output["OutputValue"])
    cloudformation.delete_stack(StackName=stack_id)

    # Then API Gateway had the plan, then the same plan with the new limit, then none
    assert (created["throttle"], created["quota"]) == (
        {"rateLimit": 5.0, "burstLimit": 10},
        {"limit": 1000, "period": "DAY"},
    )
    assert changed["throttle"]["burstLimit"] == 11
    assert apigateway.get_usage_plans()["items"] == []


@pytest.mark.parametrize(
    ("declared", "given"),
    [({"Type": "CommaDelimitedList"}, "a,b"), ({"Type": "Number", "Default": 30}, None)],
    ids=["a list given", "a number left to its default"],
)
def test_a_parameter_kept_by_use_previous_value_is_no_change(
    aws: Emulator, declared: dict[str, object], given: str | None
) -> None:
    # Given a stack with a parameter, given or left to its default
    stack = f"kept-{str(declared['Type']).lower()}"
    template = {
        "Parameters": {"Kept": declared},
        "Resources": {"Table": {"Type": "AWS::Serverless::SimpleTable"}},
        "Transform": "AWS::Serverless-2016-10-31",
    }
    cloudformation = aws.client("cloudformation")
    created = cloudformation.create_change_set(
        StackName=stack,
        ChangeSetName="create",
        ChangeSetType="CREATE",
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "Kept", "ParameterValue": given}] if given else [],
    )
    cloudformation.execute_change_set(ChangeSetName=created["Id"])

    # When the same template is submitted again keeping the parameter (as `sam deploy` does)
    again = cloudformation.create_change_set(
        StackName=stack,
        ChangeSetName="again",
        ChangeSetType="UPDATE",
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "Kept", "UsePreviousValue": True}],
    )

    # Then the change set holds no change, as CloudFormation says of it
    described = cloudformation.describe_change_set(ChangeSetName=again["Id"])
    assert described["Status"] == "FAILED"
    assert "didn't contain changes" in described["StatusReason"]


# An empty zip archive: the content of the layers and functions below.
EMPTY_ZIP = b"PK\x05\x06" + bytes(18)


@pytest.fixture(scope="module")
def layer_content(aws: Emulator) -> None:
    """The S3 objects the layers and functions below are made of, as `sam package` leaves them."""
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="layers", CreateBucketConfiguration={"LocationConstraint": REGION})
    for key in ("common.zip", "shared-1.zip", "shared-2.zip"):
        s3.put_object(Bucket="layers", Key=key, Body=EMPTY_ZIP)


def _layer(description: str, name: str = "common") -> dict[str, object]:
    """A template of a Lambda layer version (content in S3, as `sam package` leaves it)."""
    return {
        "Resources": {
            "Layer": {
                "Type": "AWS::Lambda::LayerVersion",
                "Properties": {
                    "LayerName": name,
                    "Description": description,
                    "Content": {"S3Bucket": "layers", "S3Key": "common.zip"},
                    "CompatibleRuntimes": ["python3.13"],
                },
            }
        },
        "Outputs": {"LayerArn": {"Value": {"Ref": "Layer"}}},
    }


def _output(aws: Emulator, stack_id: str) -> str:
    [output] = aws.client("cloudformation").describe_stacks(StackName=stack_id)["Stacks"][0][
        "Outputs"
    ]
    return str(output["OutputValue"])


@pytest.mark.usefixtures("layer_content")
def test_a_changed_layer_version_is_replaced_by_a_new_version_and_the_old_one_deleted(
    aws: Emulator,
) -> None:
    # Given a stack with a layer version
    stack_id = _change_set(aws, "layer", _layer("first"))
    first = _output(aws, stack_id)

    # When a property of it changes (a layer version is immutable)
    _change_set(aws, "layer", _layer("second"), kind="UPDATE")

    # Then a new version of the same layer replaces it, and the old version is deleted
    second = _output(aws, stack_id)
    lambda_ = aws.client("lambda")
    versions = lambda_.list_layer_versions(LayerName="common")["LayerVersions"]
    assert first.endswith(":layer:common:1")
    assert [version["LayerVersionArn"] for version in versions] == [second]
    assert second == first.removesuffix("1") + "2"
    described = lambda_.get_layer_version(LayerName="common", VersionNumber=2)
    assert described["Description"] == "second"


def _layer_versions(aws: Emulator) -> set[str]:
    """Every layer version of the region, by ARN."""
    lambda_ = aws.client("lambda")
    return {
        version["LayerVersionArn"]
        for layer in lambda_.list_layers()["Layers"]
        for version in lambda_.list_layer_versions(LayerName=layer["LayerName"])["LayerVersions"]
    }


@pytest.mark.usefixtures("layer_content")
def test_a_deleted_stacks_layer_version_is_deleted(aws: Emulator) -> None:
    # Given a stack with a layer version
    before = _layer_versions(aws)
    stack_id = _change_set(aws, "layer-deleted", _layer("only", name="deleted"))
    created = _layer_versions(aws) - before

    # When the stack is deleted
    aws.client("cloudformation").delete_stack(StackName=stack_id)

    # Then so is the version
    assert len(created) == 1
    assert _layer_versions(aws) == before


def _function_with_layer(layer_key: str, retention: str) -> dict[str, object]:
    """A SAM template of a function using a layer (SAM names the layer's logical id after its
    properties, so a changed layer is a new resource and the function's Layers change)."""
    return {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "Layer": {
                "Type": "AWS::Serverless::LayerVersion",
                "Properties": {
                    "LayerName": f"shared-{retention}",
                    "ContentUri": f"s3://layers/{layer_key}",
                    "RetentionPolicy": retention,
                },
            },
            "Function": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Runtime": "python3.13",
                    "Handler": "app.handler",
                    "CodeUri": "s3://layers/common.zip",
                    "Layers": [{"Ref": "Layer"}],
                },
            },
        },
        "Outputs": {"FunctionName": {"Value": {"Ref": "Function"}}},
    }


@pytest.mark.usefixtures("layer_content")
@pytest.mark.parametrize(("retention", "versions_left"), [("Delete", [2]), ("Retain", [1, 2])])
def test_a_functions_changed_sam_layer_is_a_new_version_the_function_uses(
    aws: Emulator, retention: str, versions_left: list[int]
) -> None:
    # Given a SAM function using a SAM layer
    stack = f"sam-layer-{retention.lower()}"
    stack_id = _change_set(
        aws, stack, _function_with_layer("shared-1.zip", retention), "CAPABILITY_IAM"
    )

    # When the layer's content changes
    template = _function_with_layer("shared-2.zip", retention)
    _change_set(aws, stack, template, "CAPABILITY_IAM", kind="UPDATE")

    # Then the function uses the layer's second version; the first is kept only if retained
    function = aws.client("lambda").get_function(FunctionName=_output(aws, stack_id))
    [layer] = function["Configuration"]["Layers"]
    layer_name = f"shared-{retention}"
    versions = aws.client("lambda").list_layer_versions(LayerName=layer_name)["LayerVersions"]
    assert layer["Arn"].endswith(f":layer:{layer_name}:2")
    assert sorted(version["Version"] for version in versions) == versions_left


def _function_behind_an_alias(code_key: str) -> dict[str, object]:
    """A SAM function published behind the alias `live` (AutoPublishAlias: SAM names the
    version's logical id after the code, so new code is a new version resource)."""
    return {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "Function": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Runtime": "python3.13",
                    "Handler": "app.handler",
                    "CodeUri": f"s3://layers/{code_key}",
                    "AutoPublishAlias": "live",
                },
            },
        },
        "Outputs": {"FunctionName": {"Value": {"Ref": "Function"}}},
    }


@pytest.mark.usefixtures("layer_content")
def test_a_functions_new_code_is_published_behind_its_alias(aws: Emulator) -> None:
    # Given a SAM function behind its alias
    stack_id = _change_set(
        aws, "alias", _function_behind_an_alias("shared-1.zip"), "CAPABILITY_IAM"
    )

    # When its code changes
    template = _function_behind_an_alias("shared-2.zip")
    _change_set(aws, "alias", template, "CAPABILITY_IAM", kind="UPDATE")

    # Then the alias names a second version, published from the new code
    lambda_ = aws.client("lambda")
    alias = lambda_.get_alias(FunctionName=_output(aws, stack_id), Name="live")
    assert alias["FunctionVersion"] == "2"


@pytest.mark.usefixtures("layer_content")
def test_a_deleted_stacks_function_and_alias_are_deleted(aws: Emulator) -> None:
    # Given a stack of a SAM function behind its alias
    stack_id = _change_set(
        aws, "alias-deleted", _function_behind_an_alias("common.zip"), "CAPABILITY_IAM"
    )
    function = _output(aws, stack_id)

    # When the stack is deleted
    aws.client("cloudformation").delete_stack(StackName=stack_id)

    # Then the stack and its function are gone
    (described,) = aws.client("cloudformation").describe_stacks(StackName=stack_id)["Stacks"]
    assert described["StackStatus"] == "DELETE_COMPLETE"
    with pytest.raises(ClientError):
        aws.client("lambda").get_function(FunctionName=function)


def _stack_role(*statements: dict[str, object]) -> dict[str, object]:
    """A template of a role with this inline policy, as the pipelines' roles are made."""
    trust = NAMED_ROLE["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"]
    return {
        "Conditions": {"Never": {"Fn::Equals": ["yes", "no"]}},
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": trust,
                    "Policies": [
                        {
                            "PolicyName": "deploy",
                            "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                        }
                    ],
                },
            }
        },
        "Outputs": {"RoleArn": {"Value": {"Fn::GetAtt": ["Role", "Arn"]}}},
    }


LIST_EXPORTS = {"Effect": "Allow", "Action": "cloudformation:ListExports", "Resource": "*"}


def test_list_exports_answers_a_stacks_role_allowed_to_call_it(aws: Emulator) -> None:
    # Given a role made by a stack, allowed ListExports, assumed through STS
    stack_id = _change_set(aws, "lists-exports", _stack_role(LIST_EXPORTS), "CAPABILITY_IAM")
    as_role = _assume(aws, _output(aws, stack_id))

    # When it lists the region's exports
    listed = aws.client("cloudformation", as_role).list_exports()

    # Then it is answered
    assert listed["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert isinstance(listed["Exports"], list)


def test_a_roles_changed_inline_policy_is_enforced(aws: Emulator) -> None:
    # Given a stack's role allowed ListExports, then changed to allow something else only
    other = {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}
    stack_id = _change_set(aws, "role-changed", _stack_role(LIST_EXPORTS), "CAPABILITY_IAM")
    _change_set(aws, "role-changed", _stack_role(other), "CAPABILITY_IAM", kind="UPDATE")
    as_role = _assume(aws, _output(aws, stack_id))

    # When it lists the region's exports
    with pytest.raises(ClientError) as refused:
        aws.client("cloudformation", as_role).list_exports()

    # Then IAM refuses it, as the role's policy now says
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_a_list_item_of_no_value_is_left_out_of_the_list(aws: Emulator) -> None:
    # Given a role's policy statement under a false condition (Fn::If to AWS::NoValue)
    left_out = {
        "Fn::If": [
            "Never",
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Ref": "AWS::NoValue"},
        ]
    }

    # When a stack makes the role
    template = _stack_role(LIST_EXPORTS, left_out)
    stack_id = _change_set(aws, "no-value", template, "CAPABILITY_IAM")

    # Then its policy holds the other statement only
    role_name = _output(aws, stack_id).rsplit("/", 1)[1]
    policy = aws.client("iam").get_role_policy(RoleName=role_name, PolicyName="deploy")
    assert policy["PolicyDocument"]["Statement"] == [LIST_EXPORTS]


def test_a_deny_on_a_key_the_request_does_not_have_does_not_apply(aws: Emulator) -> None:
    # Given a role allowed change sets, denied those importing resources (a pipeline's)
    no_import = {
        "Effect": "Deny",
        "Action": "cloudformation:CreateChangeSet",
        "Resource": "*",
        "Condition": {"Null": {"cloudformation:ImportResourceTypes": "false"}},
    }
    allowed = {"Effect": "Allow", "Action": "cloudformation:CreateChangeSet", "Resource": "*"}
    stack_id = _change_set(aws, "no-import", _stack_role(allowed, no_import), "CAPABILITY_IAM")
    as_role = _assume(aws, _output(aws, stack_id))

    # When it creates a change set that imports nothing
    created = aws.client("cloudformation", as_role).create_change_set(
        StackName="imports-nothing",
        ChangeSetName="create",
        ChangeSetType="CREATE",
        TemplateBody=json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}),
    )

    # Then it is created (moto took the Null condition as met, and an unmet one as a Deny)
    assert created["Id"].startswith("arn:aws:cloudformation:")


def _with_an_unmet_record(comment: str) -> dict[str, object]:
    """A table, and a Route 53 record whose condition does not hold (the custom domain left
    out, as the bootstrap template has it by default)."""
    return {
        "Parameters": {"Domain": {"Type": "String", "Default": ""}},
        "Conditions": {"HasDomain": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Domain"}, ""]}]}},
        "Resources": {
            "Table": {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {
                    "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                    "Tags": [{"Key": "comment", "Value": comment}],
                },
            },
            "Record": {
                "Type": "AWS::Route53::RecordSet",
                "Condition": "HasDomain",
                "Properties": {
                    "HostedZoneId": "Z0000000000000000000",
                    "Name": {"Ref": "Domain"},
                    "Type": "A",
                    "TTL": "60",
                    "Comment": comment,
                    "ResourceRecords": ["192.0.2.1"],
                },
            },
        },
    }


def test_a_resource_whose_condition_does_not_hold_is_left_out_of_an_update(
    aws: Emulator,
) -> None:
    # Given a stack whose record's condition does not hold (the record never created)
    stack = _change_set(aws, "unmet-condition", _with_an_unmet_record("first"))

    # When the stack is updated, the record changed but its condition still unmet
    _change_set(aws, "unmet-condition", _with_an_unmet_record("second"), kind="UPDATE")

    # Then the update completes (CloudFormation leaves the record out)
    cloudformation = aws.client("cloudformation")
    (described,) = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    assert described["StackStatus"] == "UPDATE_COMPLETE"


def _log_group(retention_days: int) -> dict[str, object]:
    """A log group another resource reads an attribute of, as the api stack's access log."""
    return {
        "Resources": {
            "Logs": {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {"RetentionInDays": retention_days},
            }
        },
        "Outputs": {"LogsArn": {"Value": {"Fn::GetAtt": ["Logs", "Arn"]}}},
    }


def test_a_changed_log_group_is_kept_for_what_reads_its_attributes(aws: Emulator) -> None:
    # Given a stack whose log group's ARN is an output
    stack = _change_set(aws, "log-group", _log_group(30))
    arn = _output(aws, stack)

    # When the log group is changed (moto has no update for it)
    _change_set(aws, "log-group", _log_group(90), kind="UPDATE")

    # Then the update completes and the log group is still there, with its ARN
    (described,) = aws.client("cloudformation").describe_stacks(StackName=stack)["Stacks"]
    assert described["StackStatus"] == "UPDATE_COMPLETE"
    assert _output(aws, stack) == arn


def _managed_policy(action: str) -> dict[str, object]:
    return {
        "Resources": {
            "Policy": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}],
                    }
                },
            }
        },
        "Outputs": {"PolicyArn": {"Value": {"Ref": "Policy"}}},
    }


def test_a_changed_managed_policy_gets_its_new_document_as_the_default_version(
    aws: Emulator,
) -> None:
    # Given a stack's managed policy, changed six times (IAM keeps five versions)
    stack = _change_set(aws, "managed-policy", _managed_policy("s3:GetObject"), "CAPABILITY_IAM")
    for number in range(6):
        _change_set(
            aws,
            "managed-policy",
            _managed_policy(f"s3:GetObjectVersion{number}"),
            "CAPABILITY_IAM",
            kind="UPDATE",
        )

    # Then the policy's default version is the last document
    iam = aws.client("iam")
    arn = _output(aws, stack)
    default = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    document = iam.get_policy_version(PolicyArn=arn, VersionId=default)["PolicyVersion"]
    assert document["Document"]["Statement"][0]["Action"] == "s3:GetObjectVersion5"
    assert len(iam.list_policy_versions(PolicyArn=arn)["Versions"]) == 5
