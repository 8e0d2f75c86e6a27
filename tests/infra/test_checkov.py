"""checkov on every stack template: no failed check that .checkov.yaml does not explain.

checkov runs from its own virtualenv (.venv-tools, built by `make setup` from the pinned
requirements/checkov.txt), with no skip list, so that the test sees every failure and can
hold the committed list to account both ways: each failure explained, each skip still needed.
"""

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from stacks.templates import REPO_ROOT, all_templates, load_template

TOOLS_VENV = REPO_ROOT / ".venv-tools"
CHECKOV = TOOLS_VENV / "bin" / "checkov"
SKIP_LIST = REPO_ROOT / ".checkov.yaml"
SKIP_LINE = re.compile(r"^\s*-\s*(CKV2?_[A-Z]+_\d+)\s*#\s*(.+)$", re.MULTILINE)
MIN_REASON_LENGTH = 40


@pytest.fixture(scope="module")
def checkov() -> Path:
    if not CHECKOV.exists():
        built = subprocess.run(
            ["make", f"{TOOLS_VENV.name}/.installed"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if built.returncode != 0:
            pytest.skip(f"checkov's virtualenv could not be built: {built.stderr[-500:]}")
    return CHECKOV


# checkov's CKV_AWS_45 (secrets in a function's environment) scores the template's path: its
# YAML loader adds a `__file__` key to every mapping, and SAM `Globals` merge that key into each
# function's `Environment.Variables`. A run of exactly 40 characters of [A-Za-z0-9/+=] is taken
# for an AWS secret key, so an absolute path such as
# `/tmp/pytest-of-root/pytest-0/checkov0/shop/services/orders/template.yaml` fails the check on
# one machine and passes on another. checkov keeps a relative `--file` as given, so it is run from
# a folder of its own with relative paths: what it scores is then the same on every machine.
# Known upstream with this root cause: bridgecrewio/checkov issue 7310 (open in checkov 3.3.30).
CHECKOUT_LINK = "shop"
# A working folder whose absolute path, joined to the orders template's, holds exactly such a
# 40-character run: the report below is taken from this hostile shape on every machine.
HOSTILE_FOLDER = "_" + "x" * (40 - len(f"{CHECKOUT_LINK}/services/orders/template") - 1)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("checkov") / HOSTILE_FOLDER
    folder.mkdir()
    (folder / CHECKOUT_LINK).symlink_to(REPO_ROOT, target_is_directory=True)
    return folder


def template_arguments() -> list[str]:
    return [
        arg
        for template in all_templates()
        for arg in ("--file", f"{CHECKOUT_LINK}/{template.relative_to(REPO_ROOT)}")
    ]


@pytest.fixture(scope="module")
def reports(checkov: Path, workdir: Path) -> list[dict[str, Any]]:
    """checkov's JSON report, run outside the repository so that it reads no .checkov.yaml."""
    result = subprocess.run(
        [
            str(checkov),
            *template_arguments(),
            "--framework",
            "cloudformation",
            "--skip-download",
            "--output",
            "json",
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode in {0, 1}, result.stderr[-2000:]
    report = json.loads(result.stdout)
    return report if isinstance(report, list) else [report]


def checks(reports: list[dict[str, Any]], outcome: str) -> Iterator[dict[str, Any]]:
    for report in reports:
        yield from report["results"].get(outcome, [])


def skip_list() -> dict[str, str]:
    """The checks .checkov.yaml skips everywhere, each with the reason on its line."""
    listed = yaml.safe_load(SKIP_LIST.read_text())["skip-check"]
    reasons = dict(SKIP_LINE.findall(SKIP_LIST.read_text()))
    return {check: reasons.get(check, "") for check in listed}


def test_checkov_read_every_resource_of_every_template(reports: list[dict[str, Any]]) -> None:
    assert all(report["summary"]["parsing_errors"] == 0 for report in reports)
    read = sum(report["summary"]["resource_count"] for report in reports)
    assert read == sum(len(load_template(path)["Resources"]) for path in all_templates())


def test_every_failed_check_is_explained_in_the_skip_list(reports: list[dict[str, Any]]) -> None:
    unexplained = [
        f"{check['check_id']} {check['file_path']} {check['resource']}: {check['check_name']}"
        for check in checks(reports, "failed_checks")
        if check["check_id"] not in skip_list()
    ]
    assert unexplained == []


def test_every_skip_is_still_needed(reports: list[dict[str, Any]]) -> None:
    failing = {check["check_id"] for check in checks(reports, "failed_checks")}
    assert set(skip_list()) - failing == set()


def test_every_skip_says_why() -> None:
    assert {
        check: reason for check, reason in skip_list().items() if len(reason) < MIN_REASON_LENGTH
    } == {}


def test_every_skip_for_one_resource_says_why(reports: list[dict[str, Any]]) -> None:
    # Skips in a resource's Metadata (checkov: skip: - id, comment) carry their own reason.
    unexplained = [
        f"{check['check_id']} {check['file_path']} {check['resource']}"
        for check in checks(reports, "skipped_checks")
        if len(check.get("check_result", {}).get("suppress_comment") or "") < MIN_REASON_LENGTH
    ]
    assert unexplained == []


def test_the_waf_checks_are_skipped_only_where_no_web_acl_is_wanted(
    reports: list[dict[str, Any]],
) -> None:
    # A web ACL guards the API (on in prod); the static site's distribution has none, so its
    # resource alone may skip a WAF check, never the whole skip list.
    waf_checks = {
        check["check_id"]
        for outcome in ("failed_checks", "passed_checks", "skipped_checks")
        for check in checks(reports, outcome)
        if "WAF" in check["check_name"]
    }
    skipped_where = {
        check["resource"]
        for check in checks(reports, "skipped_checks")
        if check["check_id"] in waf_checks
    }
    assert waf_checks & set(skip_list()) == set()
    assert skipped_where == {"AWS::CloudFront::Distribution.WebDistribution"}
    assert [
        check["resource"]
        for check in checks(reports, "failed_checks")
        if check["check_id"] in waf_checks
    ] == []


def test_the_report_is_taken_from_a_folder_whose_absolute_paths_checkov_scores_as_secrets(
    checkov: Path, workdir: Path
) -> None:
    # Given the absolute path of the orders template under the hostile working folder
    absolute = workdir / CHECKOUT_LINK / "services" / "orders" / "template.yaml"
    # When checkov's own secret patterns read it, and the relative path the test passes
    scored = subprocess.run(
        [
            str(checkov.parent / "python"),
            "-c",
            "import sys; from checkov.common.util.secrets import AWS, GENERAL, "
            "get_secrets_from_string as scan; print(len(scan(sys.argv[1], AWS, GENERAL)), "
            "len(scan(sys.argv[2], AWS, GENERAL)))",
            str(absolute),
            f"{CHECKOUT_LINK}/services/orders/template.yaml",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    # Then the absolute path would fail CKV_AWS_45 and the relative one does not
    assert scored == ["1", "0"]
