"""Benchmark: the local gateway's API key check on a partner route (p50, p99).

What `ApiKeyEnforcer.check` adds to each request of a method that requires a key: the key
looked up by its value in the emulator's API Gateway state (so that a key created, disabled
or revoked counts from the next request), its usage plan on the stage, its token bucket and
the day's quota. Timed with 100 and then 1,000 keys in the account (the lookup reads them
all), each check on the next key in turn, so that no bucket runs dry.
"""

from functools import partial
from typing import Any

import boto3

from bench.common import median, percentile, table, timed_ms, verdict
from local.apigateway.api_keys import ApiKeyEnforcer
from local.shop import API_ID, LocalShop

CHECKS = 2000
KEY_COUNTS = (100, 1000)
TARGET_P50_MS = 1.0
PLAN_TIER = "pro"  # the largest burst: no key is throttled by being checked


def report(shop: LocalShop) -> str:
    client = boto3.client("apigateway")
    [plan_id] = [
        plan["id"]
        for plan in client.get_usage_plans()["items"]
        if plan["name"].endswith(f"-partners-{PLAN_TIER}")
    ]
    enforcer = ApiKeyEnforcer(
        region=shop.options.region, api_id=API_ID, stage=shop.gateway.api.stage
    )
    keys: list[str] = []
    rows: list[list[object]] = []
    for count in KEY_COUNTS:
        keys += [_partner_key(client, plan_id, n) for n in range(len(keys), count)]
        samples = _check_times(enforcer, keys)
        p50 = median(samples)
        rows.append(
            [
                f"{count:,} keys",
                f"{p50:.3f} ms",
                f"{percentile(samples, 0.99):.3f} ms",
                verdict(p50 < TARGET_P50_MS),
            ]
        )
    return (
        "## API key check (local gateway)\n\n"
        f"{CHECKS:,} checks of {PLAN_TIER} keys in turn, in the running stack's gateway: the "
        "key found by its value in the emulator's API keys, its plan on the stage, its token "
        "bucket and the day's quota (what a partner route adds before the function runs).\n\n"
        + table(["keys in the account", "p50", "p99", f"target: p50 < {TARGET_P50_MS:g} ms"], rows)
    )


def _check_times(enforcer: ApiKeyEnforcer, keys: list[str]) -> list[float]:
    """Milliseconds of each check, on each key in turn."""
    return [timed_ms(partial(enforcer.check, keys[n % len(keys)])) for n in range(CHECKS)]


def _partner_key(client: Any, plan_id: str, number: int) -> str:
    key = client.create_api_key(name=f"bench partner {number}", enabled=True)
    client.create_usage_plan_key(usagePlanId=plan_id, keyId=key["id"], keyType="API_KEY")
    return str(key["value"])
