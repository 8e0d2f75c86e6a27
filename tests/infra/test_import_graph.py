"""The imports between the project's modules.

The bench uses the local stack only as a user or a load tool would: `make run` as a
subprocess, HTTP and the AWS endpoint it prints, never the emulator's modules in its process
(which would measure the emulator's internals, not the stack a developer runs).

The modules of each Lambda package (a service's, the shared one, the authorizer's) form
layers: no import cycle among them, not even one hidden from Python by an import inside a
function or under `TYPE_CHECKING` (a cycle all the same, for whoever reads or changes them)."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from stacks.templates import REPO_ROOT

EMULATOR = "local"
PACKAGES = sorted(
    package
    for package in (
        REPO_ROOT / "services" / "common" / "shop_common",
        *REPO_ROOT.glob("services/*/src/*"),
        *REPO_ROOT.glob("auth_lambda/src/*"),
    )
    if (package / "__init__.py").is_file()
)


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


def package_modules(package: Path) -> dict[str, Path]:
    """Each module of `package` by its dotted name (`__init__.py` by the package's)."""
    modules: dict[str, Path] = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def import_cycle(package: Path) -> list[str]:
    """A cycle of imports among the package's modules (each module to the one it imports,
    from the first by name back to it), or [] when they form layers."""
    modules = package_modules(package)
    graph = {
        name: (imported_modules(path.read_text()) & modules.keys()) - {name}
        for name, path in modules.items()
    }
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        # graphlib names each module before the one that imports it, the first one twice.
        cycle = list(reversed(exc.args[1][1:]))
        start = cycle.index(min(cycle))
        return [*cycle[start:], *cycle[:start], cycle[start]]
    return []


@pytest.mark.parametrize(
    "hidden",
    [
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.rules import Deps\n",
        "def later():\n    from pkg import rules\n",
    ],
    ids=["type-checking", "in-a-function"],
)
def test_the_check_sees_a_cycle_however_its_import_hides(tmp_path: Path, hidden: str) -> None:
    # Given a package whose rules import its audit, which imports the rules back out of sight
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "rules.py").write_text("from pkg.audit import audited\n")
    (package / "audit.py").write_text(hidden)

    # When the check reads it
    found = import_cycle(package)

    # Then the cycle is named, module after module
    assert found == ["pkg.audit", "pkg.rules", "pkg.audit"]


def test_the_check_passes_layers_imported_in_every_form(tmp_path: Path) -> None:
    # Given a package's layers, each importing those below it in a different form
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("import json\n")
    (package / "audit.py").write_text("from pkg.models import Entry\n")
    (package / "rules.py").write_text("from pkg import audit, models\nimport pkg.models\n")

    # When the check reads it, then it finds no cycle
    assert import_cycle(package) == []


@pytest.mark.parametrize("package", PACKAGES, ids=[str(p.relative_to(REPO_ROOT)) for p in PACKAGES])
def test_no_lambda_package_has_an_import_cycle(package: Path) -> None:
    # Given a package the functions run, when the imports among its modules are read
    found = import_cycle(package)

    # Then they form layers: no module imports, however indirectly, one that imports it
    assert found == []
