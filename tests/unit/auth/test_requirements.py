"""The authorizer's deployment package pins what development and CI test with."""

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)", re.MULTILINE)


def pins(path: Path) -> dict[str, str]:
    return {
        name.lower().replace("_", "-"): version for name, version in PIN.findall(path.read_text())
    }


def test_every_runtime_pin_is_the_development_pin() -> None:
    # Given the function's requirements and the development lock
    runtime = pins(REPO_ROOT / "auth_lambda" / "src" / "requirements.txt")
    development = pins(REPO_ROOT / "requirements" / "dev.txt")

    # When / Then the function ships what the tests ran, python-jose and Powertools included
    assert {"python-jose", "aws-lambda-powertools", "msgspec", "cryptography"} <= runtime.keys()
    assert {name: development.get(name) for name in runtime} == runtime
