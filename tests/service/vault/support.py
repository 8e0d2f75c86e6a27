"""Requests to the vault's functions, as the gateway sends them."""

from typing import Any

from shop_common.api import Handler
from tests.builders.callers import EDITOR, Caller
from tests.builders.events import LambdaContext, api_event, response_json


def call(
    handler: Handler,
    method: str,
    resource: str,
    *,
    caller: Caller = EDITOR,
    body: Any = None,
    query: dict[str, str] | None = None,
    **path: str,
) -> dict[str, Any]:
    event = api_event(method, resource, caller=caller, path_parameters=path, body=body, query=query)
    return handler(event, LambdaContext())


def answer(response: dict[str, Any]) -> Any:
    return response_json(response)
