"""The rehearsal's emulator refuses what AWS refuses and runs what moto alone would skip."""

import json
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from tests.rehearsal.shop import Credentials, Emulator, emulator

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


def _change_set(aws: Emulator, stack: str, template: dict[str, object], *capabilities: str) -> str:
    cloudformation = aws.client("cloudformation")
    created = cloudformation.create_change_set(
        StackName=stack,
        ChangeSetName="rehearsal",
        ChangeSetType="CREATE",
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


def _role_writing_under(aws: Emulator, bucket: str, prefix: str) -> Credentials:
    iam = aws.client("iam")
    role = iam.create_role(
        RoleName=f"writes-{prefix}",
        AssumeRolePolicyDocument=json.dumps(
            NAMED_ROLE["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"]
        ),
    )["Role"]
    iam.put_role_policy(
        RoleName=role["RoleName"],
        PolicyName="own-prefix",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "s3:PutObject",
                        "Resource": f"arn:aws:s3:::{bucket}/{prefix}/*",
                    }
                ],
            }
        ),
    )
    session = aws.client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="deploy")
    granted = session["Credentials"]
    return Credentials(granted["AccessKeyId"], granted["SecretAccessKey"], granted["SessionToken"])


def test_an_s3_key_outside_the_roles_prefix_is_refused(aws: Emulator) -> None:
    aws.client("s3").create_bucket(
        Bucket="artifacts", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    s3 = aws.client("s3", _role_writing_under(aws, "artifacts", "partners"))

    s3.put_object(Bucket="artifacts", Key="partners/template.yaml", Body=b"{}")
    with pytest.raises(ClientError) as refused:
        s3.put_object(Bucket="artifacts", Key="template.yaml", Body=b"{}")

    assert refused.value.response["Error"]["Code"] == "AccessDenied"


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


def test_a_list_parameter_kept_by_use_previous_value_is_no_change(aws: Emulator) -> None:
    # Given a stack with a CommaDelimitedList parameter
    template = {
        "Parameters": {"Names": {"Type": "CommaDelimitedList"}},
        "Resources": {"Table": {"Type": "AWS::Serverless::SimpleTable"}},
        "Transform": "AWS::Serverless-2016-10-31",
    }
    cloudformation = aws.client("cloudformation")
    created = cloudformation.create_change_set(
        StackName="list-parameter",
        ChangeSetName="create",
        ChangeSetType="CREATE",
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "Names", "ParameterValue": "a,b"}],
    )
    cloudformation.execute_change_set(ChangeSetName=created["Id"])

    # When the same template is submitted again keeping the parameter (as `sam deploy` does)
    again = cloudformation.create_change_set(
        StackName="list-parameter",
        ChangeSetName="again",
        ChangeSetType="UPDATE",
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": "Names", "UsePreviousValue": True}],
    )

    # Then the change set holds no change, as CloudFormation says of it
    described = cloudformation.describe_change_set(ChangeSetName=again["Id"])
    assert described["Status"] == "FAILED"
    assert "didn't contain changes" in described["StatusReason"]
