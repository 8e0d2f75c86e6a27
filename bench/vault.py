"""Benchmark: the config vault over an account at CloudFront's default quotas (500
distributions of 100 origins and 75 behaviors each): one detection run's time and calls,
what it does when CloudFront throttles it, the diff of two such configurations, and what
the vault costs a month.

The vault's own code runs whole (detection, logic, the boto3 repository): CloudFront is an
in-memory account answering boto3 at the HTTP layer in CloudFront's XML
(`bench/vault_cloudfront.py`), so botocore's parsing and retries are real; DynamoDB and S3
are moto in-process. The times are this machine's, with no network; a Lambda's are
estimated from the CPU time and the calls counted. Alone: `make bench BENCH=bench.vault`.
"""

import copy
import dataclasses
import json
import math
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

import boto3
from moto import mock_aws

from bench.common import table, verdict
from bench.vault_cloudfront import InMemoryCloudFront, never
from shop_common.dynamodb import CLIENT_CONFIG, Table, python_typed
from shop_common.notify import Email
from stacks.templates import SERVICE_TEMPLATES, bootstrap_tables, load_template
from tests.builders.distributions import behavior, distribution_config, s3_origin
from vault import detection, logic
from vault.dependencies import VaultDeps
from vault.diff import config_patch
from vault.models import DiffQuery, VaultCaller, VaultRole
from vault.repository import (
    BotoCloudFront,
    DynamoDBAuditLog,
    DynamoDBNotificationSettings,
    DynamoDBVaultTable,
    S3ConfigBodies,
)

DISTRIBUTIONS = 500  # CloudFront's default quota of distributions per account
ORIGINS = 100  # ... of origins per distribution
BEHAVIORS = 75  # ... of cache behaviors per distribution
CHANGED = 5  # distributions changed between two runs
DIFF_SAMPLES = 50
TARGET_DIFF_P50_MS = 100.0
REGION = "us-east-1"  # the vault's: CloudTrail's CloudFront events reach EventBridge there
HOURS_A_MONTH = 730
# Lambda gives a function CPU in proportion to its memory, one vCPU at 1,769 MB (AWS Lambda
# developer guide, "Configure Lambda function memory"): below that, its code runs slower than
# here by 1,769 / its MemorySize.
ONE_VCPU_MB = 1769

# Round trips a Lambda in us-east-1 waits for, per call (assumptions, not measured here:
# AWS publishes no latency figures; CloudFront's API is a control plane, slower than data).
ROUND_TRIP_MS = {"cloudfront": 150, "dynamodb": 8, "s3": 25}

PRICES_DATE = "2025-01"
# US dollars, list prices for us-east-1 as AWS published them at PRICES_DATE (copied by hand:
# this run has no internet), free tiers left out. Sources: aws.amazon.com/lambda/pricing,
# /dynamodb/pricing/on-demand, /s3/pricing, /eventbridge/pricing, /cloudtrail/pricing,
# /cloudfront/pricing (its API calls are not charged).
LAMBDA_PER_MILLION_REQUESTS = Decimal("0.20")
LAMBDA_PER_GB_SECOND = Decimal("0.0000166667")  # x86_64, first 6 billion GB-s a month
DYNAMODB_PER_MILLION_READ_UNITS = Decimal("0.125")
DYNAMODB_PER_MILLION_WRITE_UNITS = Decimal("0.625")
DYNAMODB_PER_GB_MONTH = Decimal("0.25")
S3_PER_GB_MONTH = Decimal("0.023")  # Standard, first 50 TB
S3_PER_THOUSAND_PUTS = Decimal("0.005")
S3_PER_THOUSAND_GETS = Decimal("0.0004")
SCHEDULER_PER_MILLION_INVOCATIONS = Decimal("1.00")
# AWS services' events on the default bus are free (EventBridge); the first copy of
# management events in a trail is free (CloudTrail): the rule on CloudFront's calls costs
# nothing but the Lambda it starts, in an account with a trail (the vault creates none).

VIEWER = VaultCaller(username="bench", sub="bench", vault_role=VaultRole.VIEWER)


def distribution_id(index: int) -> str:
    return f"EBENCH{index:08d}"


def account_config(index: int) -> dict[str, Any]:
    """A distribution at the quotas: S3 origins behind an origin access control, one
    behavior per path, error pages, an alias of its own."""
    origins = tuple(
        s3_origin(f"origin-{o:03d}", f"bucket-{index}-{o}.s3.us-east-1.amazonaws.com", "E1OAC")
        for o in range(ORIGINS)
    )
    behaviors = tuple(
        behavior(f"origin-{b % ORIGINS:03d}", f"/path-{b:02d}/*") for b in range(BEHAVIORS)
    )
    return distribution_config(
        f"bench-{index}",
        comment=f"distribution {index}",
        aliases=(f"site-{index}.shop.example",),
        origins=origins,
        behaviors=behaviors,
        error_codes=(403, 404, 500),
    )


def changed_config(index: int) -> dict[str, Any]:
    """The same distribution after a few console edits: a comment, an origin's domain, a
    behavior's compression, a behavior removed, an alias added."""
    config = account_config(index)
    config["Comment"] = f"distribution {index}, edited"
    config["Origins"]["Items"][50]["DomainName"] = "moved.s3.us-east-1.amazonaws.com"
    behaviors = config["CacheBehaviors"]
    behaviors["Items"][30]["Compress"] = False
    del behaviors["Items"][10]
    behaviors["Quantity"] -= 1
    config["Aliases"] = {"Quantity": 2, "Items": [f"site-{index}.shop.example", "new.example"]}
    return config


@dataclass
class Meter:
    """DynamoDB and S3 calls by API, and DynamoDB's request units. Item sizes are their
    JSON wire form's length, a little over DynamoDB's own sizing (an upper bound)."""

    calls: Counter[str] = field(default_factory=Counter)
    read_units: float = 0.0
    write_units: float = 0.0

    def install(self, client: Any) -> None:
        client.meta.events.register("before-call", self._before)
        client.meta.events.register("after-call.dynamodb", self._after_dynamodb)

    def reset(self) -> None:
        self.calls.clear()
        self.read_units = self.write_units = 0.0

    def _before(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        self.calls[model.name] += 1
        if model.name == "TransactWriteItems":
            puts = [item["Put"]["Item"] for item in json.loads(params["body"])["TransactItems"]]
            # Transactional: twice the units; the summary's ByState index entry once more.
            self.write_units += 2 * sum(_kilobytes(item) for item in puts) + 1
        elif model.name == "UpdateItem":
            self.write_units += 2  # the summary and its ByState index entry

    def _after_dynamodb(self, model: Any, http_response: Any, **_: Any) -> None:
        body = json.loads(http_response.content or b"{}")
        if model.name == "GetItem":  # strongly consistent
            self.read_units += math.ceil(max(1, _size(body.get("Item", {}))) / 4096)
        elif model.name == "Query":  # eventually consistent: half
            size = sum(_size(item) for item in body.get("Items", []))
            self.read_units += math.ceil(max(1, size) / 4096) / 2


def _size(item: Any) -> int:
    return len(json.dumps(item, default=str))


def _kilobytes(item: Any) -> int:
    return math.ceil(_size(item) / 1024)


def memory_mb(logical_id: str) -> int:
    """The function's MemorySize in the vault's template (or the template's default)."""
    template = load_template(SERVICE_TEMPLATES["vault"])
    default = template["Globals"]["Function"]["MemorySize"]
    return int(template["Resources"][logical_id]["Properties"].get("MemorySize", default))


def in_lambda(cpu_seconds: float, logical_id: str) -> float:
    """CPU seconds here as seconds of the function's share of a vCPU."""
    return cpu_seconds * max(1.0, ONE_VCPU_MB / memory_mb(logical_id))


DETECTION = "DetectVaultChangesFunction"
DIFF = "GetVaultDiffFunction"


@dataclass(frozen=True)
class Run:
    outcome: detection.DetectionRun
    seconds: float
    cpu_seconds: float  # this thread's: the vault, botocore, and moto's storage (an upper bound)
    cloudfront: Counter[str]
    throttled: Counter[str]
    storage: Counter[str]
    read_units: float
    write_units: float

    @property
    def lambda_seconds(self) -> float:
        """This run's CPU at the function's share of a vCPU, plus the round trips it waits for."""
        calls = {"cloudfront": self.cloudfront.total(), **self.storage}
        return in_lambda(self.cpu_seconds, DETECTION) + round_trips(calls)


def round_trips(calls: dict[str, int]) -> float:
    """Seconds waited for `calls` (per API name, or "cloudfront" for all of CloudFront's)."""
    waits = 0
    for name, count in calls.items():
        kind = name if name in ROUND_TRIP_MS else ("s3" if name.endswith("Object") else "dynamodb")
        waits += count * ROUND_TRIP_MS[kind]
    return waits / 1000


@dataclass
class Bench:
    deps: VaultDeps
    account: InMemoryCloudFront
    meter: Meter
    table: Any
    bucket: Any

    def run(self, action: Callable[[], detection.DetectionRun] | None = None) -> Run:
        self.account.reset_counts()
        self.meter.reset()
        started, cpu = time.perf_counter(), time.thread_time()
        outcome = (action or (lambda: detection.run(self.deps)))()
        seconds, cpu = time.perf_counter() - started, time.thread_time() - cpu
        return Run(
            outcome,
            seconds,
            cpu,
            Counter(self.account.calls),
            Counter(self.account.throttled),
            Counter(self.meter.calls),
            self.meter.read_units,
            self.meter.write_units,
        )


@contextmanager
def vault_on_account() -> Iterator[Bench]:
    """The vault's repository on moto's DynamoDB and S3 and on the in-memory account."""
    with mock_aws():
        dynamodb = boto3.resource("dynamodb", region_name=REGION, config=CLIENT_CONFIG)
        vault_table = dynamodb.create_table(
            **bootstrap_tables()["VaultTable"].create_table_request("bench-vault")
        )
        s3 = boto3.client("s3", region_name=REGION, config=CLIENT_CONFIG)
        s3.create_bucket(Bucket="bench-vault-bodies")
        client = boto3.client("dynamodb", region_name=REGION, config=CLIENT_CONFIG)
        items = Table(vault_table.name, python_typed(client))
        meter = Meter()
        meter.install(items.client)
        meter.install(s3)
        account = InMemoryCloudFront()
        for index in range(DISTRIBUTIONS):
            account.put(distribution_id(index), account_config(index), {"team": "web"})
        deps = VaultDeps(
            table=DynamoDBVaultTable(items),
            bodies=S3ConfigBodies("bench-vault-bodies", client=s3),
            cloudfront=BotoCloudFront(cloudfront=account.client),
            audit=DynamoDBAuditLog(items),
            notification_settings=DynamoDBNotificationSettings(items),
            notifier=Outbox(),
        )
        bucket = boto3.resource("s3", region_name=REGION).Bucket("bench-vault-bodies")
        yield Bench(deps, account, meter, vault_table, bucket)


class Outbox:
    """The notifier: e-mails kept, not sent (SES's price is per e-mail, not counted here)."""

    def __init__(self) -> None:
        self.sent: list[Email] = []

    def send(self, email: Email) -> None:
        self.sent.append(email)


class ThrottledFrom:
    """CloudFront answering `Throttling` to every call from the `first`th GetDistribution
    of the run on (longer than boto3's three attempts)."""

    def __init__(self, first: int) -> None:
        self.first = first
        self.reads = 0

    def __call__(self, operation: str) -> bool:
        self.reads += operation == "GetDistribution"
        return self.reads >= self.first


class EveryNth:
    """CloudFront answering `Throttling` to one call in `n` (a retry passes)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.calls = 0

    def __call__(self, _: str) -> bool:
        self.calls += 1
        return self.calls % self.n == 0


def report() -> str:
    with vault_on_account() as bench:
        first = bench.run()
        steady = bench.run()
        for index in range(CHANGED):
            bench.account.put(distribution_id(index), changed_config(index), {"team": "web"})
        bench.account.delete(distribution_id(DISTRIBUTIONS - 1))
        changes = bench.run()
        bench.account.delete(distribution_id(DISTRIBUTIONS - 2))
        bench.account.throttle = ThrottledFrom(DISTRIBUTIONS // 2)
        throttled = bench.run()
        bench.account.throttle = EveryNth(40)
        brief = bench.run()
        bench.account.throttle = never
        trail = bench.run(lambda: _trail_event(bench.deps, distribution_id(0)))
        diffs = _diff_timings(bench.deps)
        stored = _stored_bytes(bench)
    runs = {
        "first run (vault empty)": first,
        "hourly run, nothing changed": steady,
        f"{CHANGED} changed, 1 deleted": changes,
        f"throttled from read {DISTRIBUTIONS // 2} on, 1 deleted before": throttled,
        "next run, 1 call in 40 throttled once": brief,
        "one CloudTrail event (UpdateDistribution)": trail,
    }
    return "\n".join(
        [
            "## Config vault",
            "",
            f"{DISTRIBUTIONS} distributions of {ORIGINS} origins and {BEHAVIORS} behaviors "
            "each (CloudFront's default quotas; a configuration is "
            f"{_config_kb():.0f} KB of JSON). The vault's code runs whole on an in-memory "
            "CloudFront answering boto3 in CloudFront's XML (so botocore parses and retries as "
            "in Lambda) and moto's DynamoDB and S3 in-process, with no network. On a shared "
            "machine the wall time is mostly other processes': the CPU time is the run's own "
            "(moto's storage included, so an upper bound). In Lambda (estimate): that CPU at "
            f"the function's share of a vCPU ({ONE_VCPU_MB} MB = 1 vCPU; detection has "
            f"{memory_mb(DETECTION)} MB, the diff {memory_mb(DIFF)} MB), plus "
            + ", ".join(f"{ms} ms per {name} call" for name, ms in ROUND_TRIP_MS.items())
            + " (assumed round trips).",
            "",
            _runs_table(runs),
            _throttling_text(throttled, brief),
            _diff_table(diffs),
            _cost_table(steady, trail, stored),
        ]
    )


def _runs_table(runs: dict[str, Run]) -> str:
    rows = []
    for name, run in runs.items():
        outcome = run.outcome
        rows.append(
            [
                name,
                f"{run.seconds:.1f} s / {run.cpu_seconds:.1f} s",
                f"{run.lambda_seconds:.1f} s",
                _counts(run.cloudfront),
                _counts(run.throttled) or "none",
                _counts(run.storage),
                "yes" if outcome.complete else "**no**",
                f"{len(outcome.new_versions)} / {len(outcome.deleted)}",
            ]
        )
    return table(
        [
            "run",
            "here: wall / CPU",
            "in Lambda (est.)",
            "CloudFront calls",
            "throttled",
            "DynamoDB and S3 calls",
            "complete",
            "new versions / deleted",
        ],
        rows,
    )


def _throttling_text(throttled: Run, brief: Run) -> str:
    backoff = throttled.throttled.total()
    return (
        "When CloudFront throttles: boto3's standard retries back off (exponential, with "
        "jitter, the shop's client settings); a run still "
        "throttled after them stops where it is "
        f"(here after {throttled.cloudfront['GetDistribution'] - backoff} reads and "
        f"{backoff} throttled answers), reports `complete: false` and marks nothing "
        "deleted, though a distribution had been deleted in CloudFront before it. The next "
        f"run starts over and finishes: it marked {len(brief.outcome.deleted)} deleted, "
        f"with {brief.throttled.total()} throttled answers absorbed by the retries.\n"
    )


@dataclass(frozen=True)
class Timing:
    wall_ms: float
    cpu_ms: float  # this thread's: the vault's code, botocore and moto's in-process storage


@dataclass(frozen=True)
class DiffTimings:
    patch_only: list[Timing]
    own: list[Timing]  # the route's logic with its storage reads answered from memory
    versions: list[Timing]
    operations: int


class Remembered:
    """The table's or the bodies' reads, each made once, then answered from memory (a copy):
    what is left of the route is its own work."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._answers: dict[Any, Any] = {}

    def __getattr__(self, name: str) -> Callable[..., Any]:
        read = getattr(self._inner, name)

        def remembered(*args: Any) -> Any:
            if (name, args) not in self._answers:
                self._answers[(name, args)] = read(*args)
            return copy.deepcopy(self._answers[(name, args)])

        return remembered


def _diff_timings(deps: VaultDeps) -> DiffTimings:
    """Version 1 against version 2 of the changed distributions: the patch alone, the route's
    whole logic (two versions read, both bodies fetched, patch, both sides normalized, the
    answer as JSON) with its reads from memory, and with its reads from moto."""
    before, after = account_config(0), changed_config(0)
    ids = [distribution_id(index % CHANGED) for index in range(DIFF_SAMPLES)]
    query = DiffQuery.model_validate({"from": 1, "to": "2"})
    remembered = dataclasses.replace(
        deps, table=Remembered(deps.table), bodies=Remembered(deps.bodies)
    )
    for changed in ids[:CHANGED]:
        _diff_json(changed, query, remembered)
    return DiffTimings(
        patch_only=[_timed(lambda: config_patch(before, after)) for _ in ids],
        own=[_timed(partial(_diff_json, d, query, remembered)) for d in ids],
        versions=[_timed(partial(_diff_json, d, query, deps)) for d in ids],
        operations=len(config_patch(before, after)),
    )


def _diff_json(distribution: str, query: DiffQuery, deps: VaultDeps) -> str:
    return logic.diff(VIEWER, distribution, query, deps).model_dump_json()


def _timed(action: Callable[[], object]) -> Timing:
    wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
    action()
    return Timing((time.perf_counter_ns() - wall) / 1e6, (time.thread_time_ns() - cpu) / 1e6)


# What GET .../diff?from=N&to=M reads: two version items, then two bodies.
DIFF_READS = {"GetItem": 2, "GetObject": 2}


def _diff_table(diffs: DiffTimings) -> str:
    rows = []
    for name, samples in {
        "JSON Patch of the normalized configurations": diffs.patch_only,
        "the route's logic and JSON answer, reads from memory": diffs.own,
        "the same, reads from moto in this thread": diffs.versions,
    }.items():
        wall = statistics.median(sample.wall_ms for sample in samples)
        cpu = statistics.median(sample.cpu_ms for sample in samples)
        rows.append([name, f"{wall:.1f} ms", f"{cpu:.1f} ms"])
    own_cpu = statistics.median(sample.cpu_ms for sample in diffs.own) / 1000
    estimate = (in_lambda(own_cpu, DIFF) + round_trips(DIFF_READS)) * 1000
    return (
        f"Diff of two such configurations differing in {diffs.operations} operations "
        f"(a comment, an origin's domain, a behavior changed and one removed, an alias "
        f"added), {DIFF_SAMPLES} times each:\n\n"
        + table(["diff from=1&to=2", "p50 wall", "p50 CPU"], rows)
        + f"\nIn the function (estimate: its own CPU at {memory_mb(DIFF)} MB, plus "
        f"{round_trips(DIFF_READS) * 1000:.0f} ms for two GetItem and two GetObject): p50 "
        f"**{estimate:.0f} ms**, target under {TARGET_DIFF_P50_MS:.0f} ms: "
        f"{verdict(estimate < TARGET_DIFF_P50_MS)}.\n"
    )


def _cost_table(steady: Run, trail: Run, stored: dict[str, int]) -> str:
    runs = Decimal(HOURS_A_MONTH)
    hourly = _run_cost(steady) * runs + SCHEDULER_PER_MILLION_INVOCATIONS * runs / 10**6
    at_rest = (
        Decimal(stored["dynamodb"]) * DYNAMODB_PER_GB_MONTH
        + Decimal(stored["s3"]) * S3_PER_GB_MONTH
    ) / 10**9
    rows = [
        ["at rest: storage of one version of each distribution", _dollars(at_rest)],
        [
            f"hourly detection of {DISTRIBUTIONS} distributions ({HOURS_A_MONTH} runs: "
            "Lambda, DynamoDB, S3, Scheduler)",
            _dollars(hourly),
        ],
        ["total with the hourly schedule", _dollars(at_rest + hourly)],
        ["each 1,000 CloudTrail events (one distribution each)", _dollars(_run_cost(trail) * 1000)],
    ]
    return (
        f"What the vault costs a month ({REGION} list prices of {PRICES_DATE}, free tiers left "
        f"out; stored: {stored['dynamodb'] / 1e6:.2f} MB in DynamoDB, {stored['s3'] / 1e6:.1f} "
        "MB in S3; CloudFront's API calls are free, and its CloudTrail events reach "
        "EventBridge's default bus free):\n\n" + table(["what", "a month"], rows)
    )


def _run_cost(run: Run) -> Decimal:
    storage = run.storage
    return (
        LAMBDA_PER_MILLION_REQUESTS / 10**6
        + Decimal(f"{run.lambda_seconds:.3f}")
        * Decimal(memory_mb(DETECTION))
        / 1024
        * LAMBDA_PER_GB_SECOND
        + Decimal(f"{run.read_units:.1f}") * DYNAMODB_PER_MILLION_READ_UNITS / 10**6
        + Decimal(f"{run.write_units:.1f}") * DYNAMODB_PER_MILLION_WRITE_UNITS / 10**6
        + storage["PutObject"] * S3_PER_THOUSAND_PUTS / 1000
        + storage["GetObject"] * S3_PER_THOUSAND_GETS / 1000
    )


def _trail_event(deps: VaultDeps, changed: str) -> detection.DetectionRun:
    event = detection.TrailEvent.model_validate(
        {"eventName": "UpdateDistribution", "requestParameters": {"id": changed}}
    )
    return detection.on_trail_event(deps, event)


def _stored_bytes(bench: Bench) -> dict[str, int]:
    pages = bench.table.meta.client.get_paginator("scan").paginate(TableName=bench.table.name)
    items = [item for page in pages for item in page["Items"]]
    return {
        "dynamodb": sum(_size(item) + 100 for item in items),  # 100 B of overhead each
        "s3": sum(summary.size for summary in bench.bucket.objects.all()),
    }


def _config_kb() -> float:
    return len(json.dumps(account_config(0))) / 1000


def _counts(counts: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))


def _dollars(amount: Decimal) -> str:
    return f"${amount:.4f}"
