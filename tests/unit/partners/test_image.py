"""The partner functions' container image (services/partners/Dockerfile) against the
source: it copies exactly the modules its handlers import and installs exactly what they
import from elsewhere, so the image cannot drift from the code the other tests run."""

import ast
import importlib.metadata
import re
import sys
from functools import cache
from pathlib import Path

import pytest

from stacks.bytecode import INVALIDATION_MODE
from stacks.container_image import TASK_ROOT, ImageDefinition
from stacks.templates import REPO_ROOT, SERVICE_TEMPLATES, FunctionSpec, serverless_functions

LAMBDA_PYTHON_BASE = "public.ecr.aws/lambda/python:3.13"
# Where first-party modules can come from: the services' code and the shared package.
SOURCE_ROOTS = (REPO_ROOT / "services" / "common", *sorted(REPO_ROOT.glob("services/*/src")))
DIRECT_REQUIREMENTS = REPO_ROOT / "requirements" / "runtime.in"
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def image_functions() -> dict[str, FunctionSpec]:
    functions = serverless_functions(SERVICE_TEMPLATES["partners"])
    return {name: spec for name, spec in functions.items() if spec.image is not None}


@cache
def the_image() -> ImageDefinition:
    images = {spec.image for spec in image_functions().values()}
    [image] = images
    assert image is not None
    return image


def module_file(name: str) -> Path | None:
    """The source file of first-party module `name` (`partners.logic`), None if not ours."""
    parts = name.split(".")
    for root in SOURCE_ROOTS:
        for candidate in (
            root.joinpath(*parts).with_suffix(".py"),
            root.joinpath(*parts, "__init__.py"),
        ):
            if candidate.is_file():
                return candidate
    return None


def imported_names(file: Path) -> set[str]:
    """Every module `file` may import: `import a.b`, `from a import b` (b a module or not)."""
    names = set()
    for node in ast.walk(ast.parse(file.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{file}: relative import"
            assert node.module
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


@cache
def import_closure(handlers: tuple[str, ...]) -> tuple[frozenset[Path], frozenset[str]]:
    """The first-party files the handler modules load (packages' __init__ included) and the
    top-level names of the other modules they import."""
    files: set[Path] = set()
    others: set[str] = set()
    pending = [handler.rpartition(".")[0] for handler in handlers]
    while pending:
        name = pending.pop()
        parts = name.split(".")
        found = module_file(name)
        if found is None:
            if module_file(parts[0]) is None:
                others.add(parts[0])  # not ours; `from ours import function` is not a module
            continue
        for depth in range(1, len(parts) + 1):
            file = module_file(".".join(parts[:depth]))
            if file is not None and file not in files:
                files.add(file)
                pending += imported_names(file)
    return frozenset(files), frozenset(others)


def handlers() -> tuple[str, ...]:
    return tuple(sorted(spec.handler for spec in image_functions().values()))


def distribution(requirement_line: str) -> str | None:
    found = _REQUIREMENT_NAME.match(requirement_line.split("#")[0])
    return normalized(found.group(1)) if found else None


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements_in(path: Path) -> set[str]:
    return {name for line in path.read_text().splitlines() if (name := distribution(line))}


def test_the_image_is_built_on_awss_lambda_python_3_13_base_image() -> None:
    assert the_image().base_image == LAMBDA_PYTHON_BASE


def test_every_image_function_runs_a_handler_of_the_image() -> None:
    # Given each function's command  Then it names a `lambda_handler` the image holds
    copied = set(the_image().code_files())
    for name, spec in image_functions().items():
        module, _, attribute = spec.handler.rpartition(".")
        file = module_file(module)
        assert file in copied, f"{name}: {module} is not in the image"
        assert attribute in file.read_text(), f"{name}: {module} has no {attribute}"


def test_the_image_copies_exactly_the_modules_its_handlers_import() -> None:
    files, _ = import_closure(handlers())
    copied = the_image().code_files()
    assert set(copied) - files == set(), "copied but not imported"
    assert files - set(copied) == set(), "imported but not copied"


def test_each_module_lands_where_python_imports_it_from() -> None:
    # Given where the image copies each file  Then it is the module's path under the task root
    for source, target in the_image().code_files().items():
        root = next(root for root in SOURCE_ROOTS if source.is_relative_to(root))
        assert target.as_posix() == source.relative_to(root).as_posix()


def test_the_image_compiles_every_code_folder_it_copies_as_the_zip_packages_are() -> None:
    # Given the folders of the task root the image copies code into
    image = the_image()
    folders = {f"{TASK_ROOT}/{target.parts[0]}" for target in image.code_files().values()}
    # Then it compiles each (Lambda's file system is read-only), with the zips' bytecode mode
    assert set(image.compiled) == folders
    mode = image.compile_options[image.compile_options.index("--invalidation-mode") + 1]
    assert mode == INVALIDATION_MODE.name.lower().replace("_", "-")


def test_the_image_installs_the_pinned_requirements_of_the_services_layer() -> None:
    [installed] = the_image().requirement_files()
    assert installed == REPO_ROOT / "services" / "common" / "requirements.txt"


def test_what_the_handlers_import_from_elsewhere_is_installed_and_nothing_more_is_asked() -> None:
    # Given the third-party modules the handlers import, as the distributions that hold them
    _, others = import_closure(handlers())
    third_party = others - set(sys.stdlib_module_names)
    holders = importlib.metadata.packages_distributions()
    imported = {normalized(holders[name][0]) for name in third_party}
    # Then each is pinned in what the image installs, and each direct requirement is used
    [installed] = the_image().requirement_files()
    assert imported - requirements_in(installed) == set()
    assert requirements_in(DIRECT_REQUIREMENTS) - imported == set()


@pytest.mark.parametrize("function", sorted(image_functions()))
def test_the_function_is_deployed_from_an_image_by_digest(function: str) -> None:
    properties = image_functions()[function].properties
    assert properties["ImageUri"] == {"Ref": "PartnerImageUri"}
    assert "Handler" not in properties
    assert "Runtime" not in properties
