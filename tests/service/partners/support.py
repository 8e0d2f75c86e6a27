"""What the partners service tests share besides fixtures."""

from collections.abc import Callable
from typing import Any

from shop_common.api import Handler
from tests.builders.callers import ADMIN, Caller
from tests.builders.events import LambdaContext, api_event, response_json


def create(
    handler: Handler, name: str = "Compare-o-matic", tier: str = "basic", caller: Caller = ADMIN
) -> dict[str, Any]:
    event = api_event("POST", "/partner", caller=caller, body={"name": name, "tier": tier})
    return handler(event, LambdaContext())


def created(handler: Handler, name: str = "Compare-o-matic", tier: str = "basic") -> dict[str, Any]:
    """A partner the admin created: its answer (with the key's value)."""
    response = create(handler, name, tier)
    assert response["statusCode"] == 201, response["body"]
    body: dict[str, Any] = response_json(response)
    return body


def listing(handler: Handler, caller: Caller = ADMIN) -> dict[str, Any]:
    return handler(api_event("GET", "/partners", caller=caller), LambdaContext())


def change(handler: Handler, partner_id: str, body: Any, caller: Caller = ADMIN) -> dict[str, Any]:
    event = api_event(
        "POST",
        "/partner/{partner_id}",
        caller=caller,
        path_parameters={"partner_id": partner_id},
        body=body,
    )
    return handler(event, LambdaContext())


def revoke(handler: Handler, partner_id: str, caller: Caller = ADMIN) -> dict[str, Any]:
    event = api_event(
        "DELETE",
        "/partner/{partner_id}",
        caller=caller,
        path_parameters={"partner_id": partner_id},
    )
    return handler(event, LambdaContext())


def plan_members(apigateway: Any, plan_id: str) -> set[str]:
    return {key["id"] for key in apigateway.get_usage_plan_keys(usagePlanId=plan_id)["items"]}


def error_fields(response: dict[str, Any]) -> list[str]:
    return [error["field"] for error in response_json(response)["errors"]]


class Interleaved:
    """An API Gateway client on which another request acts once, just before (or just after)
    this request's first call of `operation`: a race, in a known order."""

    def __init__(
        self, client: Any, operation: str, rival: Callable[[], object], *, after: bool = False
    ) -> None:
        self._client = client
        self._operation = operation
        self._rival: Callable[[], object] | None = rival
        self._after = after

    def __getattr__(self, name: str) -> Any:
        call = getattr(self._client, name)
        rival = self._rival
        if name != self._operation or rival is None:
            return call

        def interleaved(**request: Any) -> Any:
            self._rival = None
            if not self._after:
                rival()
            answer = call(**request)
            if self._after:
                rival()
            return answer

        return interleaved


def move_key(apigateway: Any, key_id: str, from_plan: str, to_plan: str) -> None:
    """Another request's move of a key, done directly in API Gateway."""
    apigateway.delete_usage_plan_key(usagePlanId=from_plan, keyId=key_id)
    apigateway.create_usage_plan_key(usagePlanId=to_plan, keyId=key_id, keyType="API_KEY")
