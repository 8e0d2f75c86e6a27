"""`make bench`: the shop's benchmarks, a table on stdout and in bench/results.md.

Never fails the build: each target is reported as met or MISSED, not asserted. The figures
are this machine's at the time of the run, shared with whatever else runs on it.
"""

import os
import platform
import sys
import warnings
from contextlib import redirect_stdout
from pathlib import Path

import boto3

from bench import (
    api_keys,
    cold_start,
    cost,
    latency,
    listing_latency,
    memory,
    order_lines,
    scanned,
    startup,
    workers,
)
from bench.common import progress
from local.shop import LocalShop
from stacks.templates import REPO_ROOT

RESULTS = REPO_ROOT / "bench" / "results.md"


def authorizer_section() -> str:
    try:
        from bench.authorizer import report  # measured once it exists
    except ImportError as exc:
        return f"## Authorizer\n\nNot measured: {exc}\n"
    return report()


def machine() -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}, load average {load} at the start"
    )


def main() -> int:
    sections = ["# Benchmarks\n", f"`make bench` on {machine()}.\n"]
    counter = scanned.install_counter()
    meter = cost.CapacityMeter(boto3.DEFAULT_SESSION)
    # Handlers log to stdout and warn when they publish no metric: not part of the report.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    with (
        Path(os.devnull).open("w") as devnull,
        redirect_stdout(devnull),
        LocalShop(latency.options(), announce=_ignore, access_log=_ignore) as shop,
    ):
        progress("cold start")
        sections.append(cold_start.report(shop))
        progress("worker cold start")
        sections.append(workers.report(shop))
        sections.append(workers.round_trip_report(shop))
        progress("warm latency")
        sections.append(latency.report(shop))
        progress("what a request costs")
        sections.append(cost.report(shop, meter))
        progress("placing an order of 1 and 50 lines")
        sections.append(order_lines.report(shop))
        progress("items read per page and listing latency, as the tables grow")
        sections += listing_latency.sections(shop, counter)
        progress("API key check")
        sections.append(api_keys.report(shop))
    progress("start-up")
    sections.append(startup.report())
    progress("memory")
    sections.append(memory.report())
    progress("authorizer")
    sections.append(authorizer_section())
    text = "\n".join(sections)
    RESULTS.write_text(text)
    sys.stdout.write(text + f"\nWritten to {RESULTS.relative_to(REPO_ROOT)}\n")
    return 0


def _ignore(line: str) -> None:
    return


if __name__ == "__main__":
    sys.exit(main())
