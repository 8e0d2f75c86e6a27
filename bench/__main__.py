"""`make bench`: the shop's benchmarks, a table on stdout and in bench/results.md.

Never fails the build: each target is reported as met or MISSED, not asserted. The figures
are this machine's at the time of the run, shared with whatever else runs on it.

`python -m bench <section> [its arguments]` (`make bench BENCH="bench.<section> ..."`) runs
one section alone, on stdout only (the whole run takes hours): e.g. `listing_latency orders`.
"""

import os
import platform
import sys
import warnings
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import boto3

from bench import (
    api_keys,
    authorizer,
    cold_start,
    cost,
    latency,
    listing_latency,
    memory,
    order_lines,
    scanned,
    startup,
    vault,
    workers,
)
from bench.common import progress, running_stack
from stacks.templates import REPO_ROOT
from tests.e2e.stack import RunningStack

RESULTS = REPO_ROOT / "bench" / "results.md"


@dataclass(frozen=True)
class Meters:
    """What some sections count, installed before the shop creates its clients."""

    scans: scanned.ScanCounter
    capacity: cost.CapacityMeter
    arguments: tuple[str, ...]  # a section's own, when it runs alone


@dataclass(frozen=True)
class Section:
    step: str  # what the progress line says
    tables: Callable[[RunningStack, Meters], list[str]]


@dataclass(frozen=True)
class Standalone:
    """A section that starts the local stacks it needs itself, or none."""

    step: str
    tables: Callable[[], list[str]]


# In the order of bench/results.md: first those on one local stack, then those that start
# their own.
ON_THE_SHOP: dict[str, Section] = {
    "cold_start": Section("cold start", lambda stack, _: [cold_start.report(stack)]),
    "latency": Section("warm latency", lambda stack, _: [latency.report(stack)]),
    "cost": Section(
        "what a request costs", lambda stack, meters: [cost.report(stack, meters.capacity)]
    ),
    "order_lines": Section(
        "placing an order of 1 and 50 lines", lambda stack, _: [order_lines.report(stack)]
    ),
    "listing_latency": Section(
        "items read per page and listing latency, as the tables grow",
        lambda stack, meters: listing_latency.sections(
            stack, meters.scans, meters.arguments or ("orders", "products")
        ),
    ),
    "api_keys": Section("API key check", lambda stack, _: [api_keys.report(stack)]),
}
ALONE: dict[str, Standalone] = {
    "workers": Standalone("worker cold start and round trip", workers.reports),
    "startup": Standalone("start-up", lambda: [startup.report()]),
    "memory": Standalone("memory", lambda: [memory.report()]),
    "authorizer": Standalone("authorizer", lambda: [authorizer.report()]),
    "vault": Standalone("config vault at CloudFront's quotas", lambda: [vault.report()]),
}


def machine() -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}, load average {load} at the start"
    )


def measure(names: list[str], arguments: tuple[str, ...] = ()) -> list[str]:
    """The tables of the sections `names`, those on the local stack from one `make run`."""
    meters = Meters(scanned.install_counter(), cost.CapacityMeter(boto3.DEFAULT_SESSION), arguments)
    # Handlers imported here log to stdout and warn when they publish no metric: not part of
    # the report.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    tables: list[str] = []
    on_the_shop = [ON_THE_SHOP[name] for name in names if name in ON_THE_SHOP]
    if on_the_shop:
        with (
            Path(os.devnull).open("w") as devnull,
            redirect_stdout(devnull),
            running_stack() as stack,
        ):
            for section in on_the_shop:
                progress(section.step)
                tables += section.tables(stack, meters)
    for name in names:
        if name in ALONE:
            progress(ALONE[name].step)
            tables += ALONE[name].tables()
    return tables


def main(argv: list[str]) -> int:
    if not argv:
        tables = measure([*ON_THE_SHOP, *ALONE])
        text = "\n".join(["# Benchmarks\n", f"`make bench` on {machine()}.\n", *tables])
        RESULTS.write_text(text)
        sys.stdout.write(text + f"\nWritten to {RESULTS.relative_to(REPO_ROOT)}\n")
        return 0
    name, *arguments = argv
    if name not in ON_THE_SHOP and name not in ALONE:
        sections = ", ".join([*ON_THE_SHOP, *ALONE])
        sys.stderr.write(f"No benchmark section {name!r}: the sections are {sections}\n")
        return 2
    started = machine()
    text = "\n".join(measure([name], tuple(arguments)))
    sys.stdout.write(f"{started}.\n\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
