"""The bench uses the local stack only as a user or a load tool would: `make run` as a
subprocess, HTTP and the AWS endpoint it prints, never the emulator's modules in its process
(which would measure the emulator's internals, not the stack a developer runs)."""

import ast
from pathlib import Path

from stacks.templates import REPO_ROOT

EMULATOR = "local"


def imported_modules(source: str) -> set[str]:
    """Every module `source` imports (`import a.b`, `from a.b import c`: `a.b`), at any depth
    of the module (inside a function too); relative imports are not used in the project."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def imports_of_emulator(path: Path) -> list[str]:
    return sorted(
        module
        for module in imported_modules(path.read_text())
        if module == EMULATOR or module.startswith(f"{EMULATOR}.")
    )


def test_the_check_sees_every_form_of_import_of_the_emulator(tmp_path: Path) -> None:
    # Given a module that imports the emulator in each way Python allows
    module = tmp_path / "measuring.py"
    module.write_text(
        "import local\n"
        "import local.shop as shop\n"
        "from local import aws\n"
        "from local.lambda_.functions import LocalFunction\n"
        "def later():\n"
        "    from local.apigateway import gateway\n"
        "import localstack_client\n"
        "from stacks.templates import REPO_ROOT\n"
    )

    # When the check reads it
    found = imports_of_emulator(module)

    # Then every one is found, and nothing that only starts with the same letters
    assert found == [
        "local",
        "local.apigateway",
        "local.apigateway.gateway",
        "local.aws",
        "local.lambda_.functions",
        "local.lambda_.functions.LocalFunction",
        "local.shop",
    ]


def test_no_bench_module_imports_the_emulator() -> None:
    # Given every module of the bench
    modules = sorted((REPO_ROOT / "bench").rglob("*.py"))
    assert modules

    # When their imports are read
    found = {
        str(path.relative_to(REPO_ROOT)): imports
        for path in modules
        if (imports := imports_of_emulator(path))
    }

    # Then none reaches into local/: the bench starts `make run` and talks to it
    assert found == {}
