"""A usage plan's keys as API Gateway keeps them, where moto does not.

moto's DeleteUsagePlanKey of a key the plan does not hold raises a KeyError, which its server
answers as a 500 with an HTML page; API Gateway answers NotFoundException (404). moto's
CreateUsagePlanKey puts a key in any plan, even an unknown one, and beside another plan of the
same API stage; API Gateway refuses an unknown plan (NotFoundException) and a key in two
plans of one stage (ConflictException), so a key is in at most one plan per stage. Both are
done under one lock: of two requests removing the same key, one alone succeeds, as in AWS.
"""

import threading
from typing import Any

from moto.apigateway.exceptions import (
    ApiKeyNotFoundException,
    ConflictException,
    UsagePlanNotFoundException,
)
from moto.apigateway.models import APIGatewayBackend

_moto_create = APIGatewayBackend.create_usage_plan_key
_lock = threading.Lock()


def _create_usage_plan_key(
    backend: APIGatewayBackend, usage_plan_id: str, payload: dict[str, Any]
) -> Any:
    plan = backend.usage_plans.get(usage_plan_id)
    if plan is None:
        raise UsagePlanNotFoundException()
    key_id = payload["keyId"]
    if key_id not in backend.keys:
        raise ApiKeyNotFoundException()
    with _lock:
        for other_id, members in backend.usage_plan_keys.items():
            other = backend.usage_plans.get(other_id)
            if other is None or key_id not in members:
                continue
            shared = [stage for stage in other.api_stages if stage in plan.api_stages]
            if shared:
                stage = f"{shared[0]['apiId']}:{shared[0]['stage']}"
                raise ConflictException(
                    f"Usage Plan {usage_plan_id} cannot be added because API Key {key_id}"
                    f" cannot reference multiple Usage Plans with the same API Stage: {stage}"
                )
        return _moto_create(backend, usage_plan_id, payload)


def _delete_usage_plan_key(backend: APIGatewayBackend, usage_plan_id: str, key_id: str) -> None:
    # The errors of moto's own GetUsagePlanKey for the same pair.
    if key_id not in backend.keys:
        raise ApiKeyNotFoundException()
    with _lock:
        if backend.usage_plan_keys.get(usage_plan_id, {}).pop(key_id, None) is None:
            raise UsagePlanNotFoundException()


def faithful_usage_plan_keys() -> None:
    """moto's usage plans hold and release keys as API Gateway's do, in this process."""
    APIGatewayBackend.create_usage_plan_key = _create_usage_plan_key  # type: ignore[method-assign,assignment]
    APIGatewayBackend.delete_usage_plan_key = _delete_usage_plan_key  # type: ignore[method-assign,assignment]
