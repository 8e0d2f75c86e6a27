"""Usage plans and API keys as the local stack keeps them: the plans are created in the
emulator from the API template, and the requests each key makes are counted per UTC day.

moto keeps API keys and usage plans but has no GetUsage (it never serves an API): the
counts the local gateway records are served as API Gateway's GetUsage from the emulator,
so the admin's partner listing reads usage through boto3 exactly as it does in AWS.
"""

import json
import re
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import moto.apigateway.urls
from moto import backends

from local.cloudformation.stack import ACCOUNT_ID
from stacks.intrinsics import Scope, resolve
from stacks.templates import resources_of_type

_USAGE_PATH = "{0}/usageplans/(?P<usage_plan_id>[^/]+)/usage$"
_SIGNED_REGION = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/apigateway/")


@dataclass(frozen=True)
class UsagePlanSpec:
    """An `AWS::ApiGateway::UsagePlan` of the API template, its parameters resolved."""

    name: str
    description: str
    rate_per_second: float
    burst: int
    quota: int | None
    quota_period: str | None


def usage_plan_specs(template: Mapping[str, Any], scope: Scope) -> list[UsagePlanSpec]:
    specs = []
    for resource in resources_of_type(dict(template), "AWS::ApiGateway::UsagePlan").values():
        properties = resource["Properties"]
        throttle = resolve(properties.get("Throttle") or {}, scope)
        quota = resolve(properties.get("Quota") or {}, scope)
        specs.append(
            UsagePlanSpec(
                name=str(resolve(properties["UsagePlanName"], scope)),
                description=str(properties.get("Description", "")),
                rate_per_second=float(throttle["RateLimit"]),
                burst=int(throttle["BurstLimit"]),
                quota=int(quota["Limit"]) if quota else None,
                quota_period=str(quota["Period"]) if quota else None,
            )
        )
    return specs


def create_usage_plans(
    client: Any, specs: list[UsagePlanSpec], api_id: str, stage: str
) -> dict[str, str]:
    """The plans in the emulator, on the API's stage (kept if they exist): name -> id."""
    existing = {plan["name"]: plan["id"] for plan in client.get_usage_plans()["items"]}
    ids = {}
    for spec in specs:
        if spec.name in existing:
            ids[spec.name] = existing[spec.name]
            continue
        request: dict[str, Any] = {
            "name": spec.name,
            "description": spec.description,
            "apiStages": [{"apiId": api_id, "stage": stage}],
            "throttle": {"rateLimit": spec.rate_per_second, "burstLimit": spec.burst},
        }
        if spec.quota is not None:
            request["quota"] = {"limit": spec.quota, "period": spec.quota_period}
        ids[spec.name] = client.create_usage_plan(**request)["id"]
    return ids


class UsageLedger:
    """Requests counted per (usage plan, API key, UTC day), as API Gateway counts them."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str, date]] = Counter()
        self._lock = threading.Lock()

    def take(self, plan_id: str, key_id: str, day: date, quota: int | None) -> bool:
        """Count one request, unless the day's quota is spent (then False)."""
        with self._lock:
            entry = (plan_id, key_id, day)
            if quota is not None and self._counts[entry] >= quota:
                return False
            self._counts[entry] += 1
            return True

    def used(self, plan_id: str, key_id: str, day: date) -> int:
        with self._lock:
            return self._counts[(plan_id, key_id, day)]

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


USAGE = UsageLedger()


def serve_get_usage(ledger: UsageLedger = USAGE) -> None:
    """Answer API Gateway's GetUsage in the emulator (in-process or its server) from `ledger`."""
    moto.apigateway.urls.url_paths[_USAGE_PATH] = _get_usage_handler(ledger)


def _get_usage_handler(ledger: UsageLedger) -> Callable[..., tuple[int, dict[str, str], str]]:
    def get_usage(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        url = urlparse(full_url)
        plan_id = url.path.rstrip("/").split("/")[-2]
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        backend = _apigateway_backend(full_url, headers)
        plan = backend.usage_plans.get(plan_id)
        if plan is None:
            return 404, {}, json.dumps({"message": "Invalid Usage Plan ID specified"})
        first, last = date.fromisoformat(query["startDate"]), date.fromisoformat(query["endDate"])
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        quota = (plan.quota or {}).get("limit")
        keys = (
            [query["keyId"]] if "keyId" in query else list(backend.usage_plan_keys.get(plan_id, {}))
        )
        items = {}
        for key_id in keys:
            used = [ledger.used(plan_id, key_id, day) for day in days]
            items[key_id] = [[n, int(quota) - n if quota else 0] for n in used]
        body = {
            "usagePlanId": plan_id,
            "startDate": first.isoformat(),
            "endDate": last.isoformat(),
            "values": items,  # what boto3 calls `items`
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(body)

    return get_usage


def _apigateway_backend(full_url: str, headers: Any) -> Any:
    """moto's API Gateway state for the request's region (its signature names it)."""
    signed = _SIGNED_REGION.search(str(headers.get("Authorization", "")))
    host = urlparse(full_url).hostname or ""
    if signed:
        region = signed.group(1)
    elif host.startswith("apigateway."):
        region = host.split(".")[1]
    else:
        region = "us-east-1"
    return backends.get_backend("apigateway")[ACCOUNT_ID][region]


def utc_today() -> date:
    return datetime.now(UTC).date()
