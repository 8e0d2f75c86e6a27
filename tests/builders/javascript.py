"""The web client's modules run in Node, as the browser runs them, so that a test can read
what they compute."""

import json
import shutil
import subprocess
from typing import Any

from stacks.templates import REPO_ROOT

SCRIPTS = REPO_ROOT / "web_client" / "site" / "assets" / "js"


def evaluate(module: str, names: list[str], expression: str) -> Any:
    """The JSON value of `expression`, evaluated after importing `names` from the web
    client's `module` (a path under assets/js, such as "limits.js")."""
    node = shutil.which("node")
    assert node, "Node.js runs the web client's modules in tests (make setup needs it too)"
    script = (
        f"import {{ {', '.join(names)} }} from {json.dumps((SCRIPTS / module).as_uri())};\n"
        f"console.log(JSON.stringify({expression}));"
    )
    result = subprocess.run(
        [node, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(result.stdout)
