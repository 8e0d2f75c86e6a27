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
from bench.common import progress
from local.shop import LocalShop
from stacks.templates import REPO_ROOT

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
    tables: Callable[[LocalShop, Meters], list[str]]


@dataclass(frozen=True)
class Standalone:
    """A section that needs no local stack in this process."""

    step: str
    tables: Callable[[], list[str]]


# In the order of bench/results.md.
ON_THE_SHOP: dict[str, Section] = {
    "cold_start": Section("cold start", lambda shop, _: [cold_start.report(shop)]),
    "workers": Section(
        "worker cold start",
        lambda shop, _: [workers.report(shop), workers.round_trip_report(shop)],
    ),
    "latency": Section("warm latency", lambda shop, _: [latency.report(shop)]),
    "cost": Section(
        "what a request costs", lambda shop, meters: [cost.report(shop, meters.capacity)]
    ),
    "order_lines": Section(
        "placing an order of 1 and 50 lines", lambda shop, _: [order_lines.report(shop)]
    ),
    "listing_latency": Section(
        "items read per page and listing latency, as the tables grow",
        lambda shop, meters: listing_latency.sections(
            shop, meters.scans, meters.arguments or ("orders", "products")
        ),
    ),
    "api_keys": Section("API key check", lambda shop, _: [api_keys.report(shop)]),
}
ALONE: dict[str, Standalone] = {
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
    """The tables of the sections `names`, those on the local stack from one shop."""
    meters = Meters(scanned.install_counter(), cost.CapacityMeter(boto3.DEFAULT_SESSION), arguments)
    # Handlers log to stdout and warn when they publish no metric: not part of the report.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    tables: list[str] = []
    on_the_shop = [ON_THE_SHOP[name] for name in names if name in ON_THE_SHOP]
    if on_the_shop:
        with (
            Path(os.devnull).open("w") as devnull,
            redirect_stdout(devnull),
            LocalShop(latency.options(), announce=_ignore, access_log=_ignore) as shop,
        ):
            for section in on_the_shop:
                progress(section.step)
                tables += section.tables(shop, meters)
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


def _ignore(line: str) -> None:
    return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
