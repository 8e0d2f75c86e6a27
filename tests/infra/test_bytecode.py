"""stacks.bytecode: each build folder compiled as Lambda's Python reads it from a package."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from stacks.bytecode import CompileError, build_folder, compile_folder, main
from stacks.templates import REPO_ROOT
from tests.builders.bytecode import modules_without_bytecode
from tests.builders.deployment import STACK_COMPONENTS, STAGES

SAM_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # SAM zips every file with this time (stable hashes)


def a_package(root: Path) -> Path:
    (root / "shop" / "handlers").mkdir(parents=True)
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "handlers" / "__init__.py").write_text("")
    (root / "shop" / "handlers" / "get.py").write_text("ANSWER = 42\n")
    (root / "six.py").write_text("PY3 = True\n")
    return root


def zipped_as_sam_does(folder: Path, archive: Path) -> zipfile.ZipFile:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for file in sorted(path for path in folder.rglob("*") if path.is_file()):
            info = zipfile.ZipInfo(file.relative_to(folder).as_posix(), SAM_ZIP_TIME)
            zipped.writestr(info, file.read_bytes())
    return zipfile.ZipFile(archive)


def test_every_module_of_a_folder_gets_unchecked_hash_bytecode(tmp_path: Path) -> None:
    # Given a package's folder, as sam build leaves it (sources only)
    package = a_package(tmp_path / "build")

    # When it is compiled
    compile_folder(package)

    # Then every module of its zip has the runtime's bytecode, hash-based and unchecked
    archive = zipped_as_sam_does(package, tmp_path / "package.zip")
    assert modules_without_bytecode(archive) == []


def test_a_package_unzipped_with_new_times_is_imported_from_its_bytecode(tmp_path: Path) -> None:
    # Given a compiled package, zipped as SAM does and unzipped elsewhere (every file's time
    # changes, as in Lambda)
    package = a_package(tmp_path / "build")
    compile_folder(package)
    unzipped = tmp_path / "task"
    zipped_as_sam_does(package, tmp_path / "package.zip").extractall(unzipped)

    # When Python imports a module from it, unable to write bytecode (Lambda's read-only code)
    run = subprocess.run(
        [sys.executable, "-v", "-c", "import shop.handlers.get"],
        cwd=unzipped,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(unzipped)},
        capture_output=True,
        text=True,
        check=True,
    )

    # Then it ran the shipped bytecode, and compiled nothing
    pyc = unzipped / "shop" / "handlers" / "__pycache__" / "get.cpython-313.pyc"
    assert f"code object from '{pyc}'" in run.stderr
    assert "bytecode is stale" not in run.stderr


def test_a_module_that_does_not_compile_fails_the_build(tmp_path: Path) -> None:
    # Given a package with a module Python cannot compile
    package = a_package(tmp_path / "build")
    (package / "shop" / "broken.py").write_text("def handler(:\n")

    # When it is compiled  Then the build stops, as the import would fail in Lambda
    with pytest.raises(CompileError, match="did not compile"):
        compile_folder(package)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("component", STACK_COMPONENTS)
def test_the_folder_compiled_is_the_one_sam_build_writes(stage: str, component: str) -> None:
    environment = f"{stage}-{component}"
    folder = build_folder(environment, REPO_ROOT / "samconfig.toml")
    assert folder == Path(".aws-sam") / environment


def test_compiling_a_folder_not_built_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a checkout where dev's orders stack was not built
    (tmp_path / "samconfig.toml").write_text(
        '[dev-orders.build.parameters]\nbuild_dir = ".aws-sam/dev-orders"\n'
    )
    monkeypatch.chdir(tmp_path)

    # When its build is compiled  Then it fails, naming the folder
    with pytest.raises(SystemExit) as exit_:
        main(["--config-env", "dev-orders"])
    assert exit_.value.code == 1
    assert ".aws-sam/dev-orders: no such folder to compile" in capsys.readouterr().err
