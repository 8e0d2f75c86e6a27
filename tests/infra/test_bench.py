"""`make bench BENCH=bench.<section>`: one section alone, its table on stdout."""

import os
import subprocess

from stacks.templates import REPO_ROOT


def test_one_section_alone_prints_its_table() -> None:
    # Given the cheapest section (about 10 s: the sections on the local stack take minutes,
    # each request over HTTP to `make run`)
    command = ["make", "--no-print-directory", "bench", "BENCH=bench.authorizer"]
    environment = {name: value for name, value in os.environ.items() if not name.startswith("MAKE")}

    # When make runs it alone
    run = subprocess.run(
        command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=300
    )

    # Then its table is on stdout, and nothing was written to bench/results.md
    assert run.returncode == 0, run.stderr
    assert "## Authorizer" in run.stdout
    assert "| verify (RS256 signature + claims) |" in run.stdout
    assert "Written to" not in run.stdout
