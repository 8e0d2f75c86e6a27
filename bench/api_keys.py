"""Benchmark: the local gateway's API key check on a partner route (p50, p99).

What the check adds to each request of a method that requires a key: the key looked up by
its value in the emulator's API Gateway state (so that a key created, disabled or revoked
counts from the next request), its usage plan on the stage, its token bucket and the day's
quota. Timed by the local stack itself, which sends it in a local-only `Server-Timing:
api-key;dur=...` header on each answer (API Gateway in AWS does not publish this part), for
`GET /partner/products` over HTTP with 100 and then 1,000 keys in the account (created
through API Gateway's API at the stack's AWS emulator; the lookup reads them all), each
request with the next key in turn, so that no bucket runs dry.
"""

from typing import Any

import boto3
import requests

from bench.common import median, percentile, server_timing, table, verdict
from tests.e2e.stack import RunningStack

CHECKS = 2000
ROUTE = "/partner/products"
KEY_COUNTS = (100, 1000)
TARGET_P50_MS = 1.0
PLAN_TIER = "pro"  # the largest burst: no key is throttled by being checked


def report(stack: RunningStack) -> str:
    client = boto3.client("apigateway")
    [plan_id] = [
        plan["id"]
        for plan in client.get_usage_plans()["items"]
        if plan["name"].endswith(f"-partners-{PLAN_TIER}")
    ]
    session = requests.Session()
    keys: list[str] = []
    rows: list[list[object]] = []
    for count in KEY_COUNTS:
        keys += [_partner_key(client, plan_id, n) for n in range(len(keys), count)]
        samples = _check_times(session, f"{stack.api_url}{ROUTE}", keys)
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
        "bucket and the day's quota (what a partner route adds before the function runs). "
        f"Each check is a `GET {ROUTE}` over HTTP to the local stack (`make run`, a "
        "subprocess), timed by the stack and sent in its local-only `Server-Timing: "
        "api-key;dur=` header.\n\n"
        + table(["keys in the account", "p50", "p99", f"target: p50 < {TARGET_P50_MS:g} ms"], rows)
    )


def _check_times(session: requests.Session, url: str, keys: list[str]) -> list[float]:
    """Milliseconds of each check, on each key in turn, as the stack timed it."""
    samples = []
    for number in range(CHECKS):
        answer = session.get(url, headers={"x-api-key": keys[number % len(keys)]}, timeout=60)
        check_ms = server_timing(answer.headers.get("Server-Timing"), "api-key")
        if check_ms is None:
            raise RuntimeError(f"GET {url} answered {answer.status_code} with no key check")
        samples.append(check_ms)
    return samples


def _partner_key(client: Any, plan_id: str, number: int) -> str:
    key = client.create_api_key(name=f"bench partner {number}", enabled=True)
    client.create_usage_plan_key(usagePlanId=plan_id, keyId=key["id"], keyType="API_KEY")
    return str(key["value"])
