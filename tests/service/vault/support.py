"""Requests to the vault's functions, as the gateway sends them."""

from typing import Any

from shop_common.api import Handler
from tests.builders.callers import EDITOR, Caller
from tests.builders.events import LambdaContext, api_event, response_json
from tests.service.vault.conftest import Vault

VERSIONS = "/vault/distributions/{distribution_id}/versions"


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


def capture(vault: Vault, distribution_id: str, note: str = "") -> dict[str, Any]:
    """`POST .../versions`: the vault records the distribution's configuration now."""
    return call(
        vault.handler("CaptureVaultVersionFunction"),
        "POST",
        VERSIONS,
        body={"note": note},
        distribution_id=distribution_id,
    )


def create_from(vault: Vault, source_id: str, version: int = 1) -> dict[str, Any]:
    """POST /vault/distributions: a new distribution from `version` of `source_id`."""
    return call(
        vault.handler("CreateVaultDistributionFunction"),
        "POST",
        "/vault/distributions",
        body={"source_id": source_id, "version": version},
    )
