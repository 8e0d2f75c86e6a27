"""A usage plan's keys as API Gateway keeps them (local/apigateway/usage_plan_keys.py): moto
alone answers removing a key the plan does not hold with a 500, and puts a key in two plans
of one stage."""

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.apigateway.models import APIGatewayBackend

from local.apigateway.usage_plan_keys import faithful_usage_plan_keys


@pytest.fixture(autouse=True)
def _moto_put_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's own methods again after each test (the patch holds for the process)."""
    for name in ("create_usage_plan_key", "delete_usage_plan_key"):
        monkeypatch.setattr(APIGatewayBackend, name, getattr(APIGatewayBackend, name))
    faithful_usage_plan_keys()


@pytest.fixture
def apigateway() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("apigateway", region_name="eu-west-1")


def plan(apigateway: Any, name: str, stage: str = "dev") -> str:
    stages = [{"apiId": "api1234567", "stage": stage}]
    return str(apigateway.create_usage_plan(name=name, apiStages=stages)["id"])


def key(apigateway: Any) -> str:
    return str(apigateway.create_api_key(name="partner", enabled=True)["id"])


def refusal(call: Any, **request: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as refused:
        call(**request)
    return dict(refused.value.response)


def test_removing_a_key_the_plan_does_not_hold_is_not_found(apigateway: Any) -> None:
    # Given a key in no plan
    basic, key_id = plan(apigateway, "basic"), key(apigateway)
    # When it is removed from a plan
    response = refusal(apigateway.delete_usage_plan_key, usagePlanId=basic, keyId=key_id)
    # Then API Gateway's NotFoundException answers, a 404
    assert response["Error"]["Code"] == "NotFoundException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_a_key_removed_twice_is_not_found_the_second_time(apigateway: Any) -> None:
    basic, key_id = plan(apigateway, "basic"), key(apigateway)
    apigateway.create_usage_plan_key(usagePlanId=basic, keyId=key_id, keyType="API_KEY")
    apigateway.delete_usage_plan_key(usagePlanId=basic, keyId=key_id)

    response = refusal(apigateway.delete_usage_plan_key, usagePlanId=basic, keyId=key_id)

    assert response["Error"]["Code"] == "NotFoundException"


def test_a_key_in_a_plan_of_a_stage_cannot_join_another_plan_of_that_stage(
    apigateway: Any,
) -> None:
    basic, pro, key_id = plan(apigateway, "basic"), plan(apigateway, "pro"), key(apigateway)
    apigateway.create_usage_plan_key(usagePlanId=basic, keyId=key_id, keyType="API_KEY")

    response = refusal(
        apigateway.create_usage_plan_key, usagePlanId=pro, keyId=key_id, keyType="API_KEY"
    )

    assert response["Error"]["Code"] == "ConflictException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert apigateway.get_usage_plan_keys(usagePlanId=pro)["items"] == []


def test_a_key_may_join_plans_of_different_stages(apigateway: Any) -> None:
    dev, prod, key_id = plan(apigateway, "dev"), plan(apigateway, "prod", "prod"), key(apigateway)
    apigateway.create_usage_plan_key(usagePlanId=dev, keyId=key_id, keyType="API_KEY")

    apigateway.create_usage_plan_key(usagePlanId=prod, keyId=key_id, keyType="API_KEY")

    assert [item["id"] for item in apigateway.get_usage_plan_keys(usagePlanId=prod)["items"]] == [
        key_id
    ]


def test_a_key_cannot_join_a_plan_that_does_not_exist(apigateway: Any) -> None:
    key_id = key(apigateway)

    response = refusal(
        apigateway.create_usage_plan_key, usagePlanId="nosuchplan", keyId=key_id, keyType="API_KEY"
    )

    assert response["Error"]["Code"] == "NotFoundException"
