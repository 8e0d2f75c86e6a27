"""API keys and usage plans, enforced as API Gateway enforces them on a method that requires
a key: the key must exist, be enabled and belong to a usage plan of this API's stage (else
403 `Forbidden`); each key has its plan's token bucket (rate and burst: 429 `Too Many
Requests`) and daily quota (429 `Limit Exceeded`, until midnight UTC).

Keys and plans are read from the emulator's API Gateway state at every request, so a key the
admin creates, disables, moves or revokes through the API counts from the next request. The
plans were created from the API template (local/apigateway/usage_plans.py); each request let
through is counted in the ledger that the emulator's GetUsage answers from.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from moto import backends

from local.apigateway.gateway import GatewayError, TokenBucket
from local.apigateway.usage_plans import USAGE, UsageLedger, utc_today
from local.cloudformation.stack import ACCOUNT_ID

API_KEY_HEADER = "x-api-key"


@dataclass(frozen=True)
class KeyGrant:
    """What a key may do on this stage: its plan's limits."""

    key_id: str
    plan_id: str
    rate_per_second: float
    burst: int
    daily_quota: int | None


class ApiKeyEnforcer:
    """The API key check of one API stage, on the emulator's keys and plans in this process."""

    def __init__(
        self,
        *,
        region: str,
        api_id: str,
        stage: str,
        ledger: UsageLedger = USAGE,
        today: Callable[[], date] = utc_today,
    ) -> None:
        self._region = region
        self._stage = {"apiId": api_id, "stage": stage}
        self._ledger = ledger
        self._today = today
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._lock = threading.Lock()

    def check(self, key_value: str | None) -> str:
        """The key's id if this request may go on; else the GatewayError API Gateway answers."""
        grant = self.grant(key_value) if key_value else None
        if grant is None:
            raise GatewayError("INVALID_API_KEY", "Forbidden")
        if not self._bucket(grant).take():
            raise GatewayError("THROTTLED", "Too Many Requests")
        if not self._ledger.take(grant.plan_id, grant.key_id, self._today(), grant.daily_quota):
            raise GatewayError("QUOTA_EXCEEDED", "Limit Exceeded")
        return grant.key_id

    def grant(self, key_value: str) -> KeyGrant | None:
        """The enabled key with this value and its plan on this stage, if there is one."""
        state = self._state()
        keys = {key.value: key for key in list(state.keys.values())}
        key = keys.get(key_value)
        if key is None or not key.enabled:
            return None
        for plan_id, members in list(state.usage_plan_keys.items()):
            plan = state.usage_plans.get(plan_id)
            if plan is not None and key.id in members and self._stage in plan.api_stages:
                throttle, quota = plan.throttle or {}, plan.quota or {}
                return KeyGrant(
                    key_id=key.id,
                    plan_id=plan_id,
                    rate_per_second=float(throttle.get("rateLimit", 10_000)),
                    burst=int(throttle.get("burstLimit", 5_000)),
                    daily_quota=_daily_quota(quota),
                )
        return None

    def _bucket(self, grant: KeyGrant) -> TokenBucket:
        # One bucket per key and plan: a key moved to another tier starts on its new limits.
        with self._lock:
            key = (grant.key_id, grant.plan_id)
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = TokenBucket(grant.rate_per_second, grant.burst)
                self._buckets[key] = bucket
            return bucket

    def _state(self) -> Any:
        return backends.get_backend("apigateway")[ACCOUNT_ID][self._region]


def _daily_quota(quota: dict[str, Any]) -> int | None:
    if not quota:
        return None
    if quota.get("period") != "DAY":
        raise ValueError(f"only daily quotas are emulated, not {quota.get('period')}")
    return int(quota["limit"])
