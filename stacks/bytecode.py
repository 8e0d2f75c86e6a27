"""Bytecode in a function's package, compiled once at build time instead of at every cold start.

Lambda's code folders (`/var/task`, `/opt`) are read-only: Python cannot write the bytecode it
compiles there, so a package without it compiles every module it imports at every cold start
(`import boto3` costs 2.9x its CPU time with bytecode: bench/results.md). `sam build` packages
sources only: it unpacks the requirements' wheels itself, without pip's compilation, and
leaves `__pycache__` folders out of the code it copies. The deploy compiles each stack's build
folder after `sam build` (deploy_everything.sh), and the partner image compiles its code folders
(services/partners/Dockerfile).

The bytecode is hash-based and unchecked (PEP 552): SAM zips every file with the same
timestamp (for stable hashes), so bytecode stamped with the source's time would be stale in
Lambda and compiled again; a package never changes once built, so its source is never checked.

    python3.13 -m stacks.bytecode --config-env dev-products   # samconfig.toml's build folder
"""

import argparse
import compileall
import tomllib
from pathlib import Path
from py_compile import PycInvalidationMode

INVALIDATION_MODE = PycInvalidationMode.UNCHECKED_HASH
SAMCONFIG = Path("samconfig.toml")


class CompileError(Exception):
    """A module of the package did not compile: it would fail at import in Lambda too."""


def compile_folder(folder: Path) -> None:
    """Every module under `folder` compiled beside its source, as Lambda's Python reads it."""
    if not folder.is_dir():
        raise CompileError(f"{folder}: no such folder to compile (was it built?)")
    # force: bytecode already there (from a cached build) is replaced, so that every module's
    # is this mode's and the package's hash depends on its sources alone
    compiled = compileall.compile_dir(
        folder, quiet=1, force=True, workers=0, invalidation_mode=INVALIDATION_MODE
    )
    if not compiled:
        raise CompileError(f"{folder}: a module did not compile (its error is above)")


def build_folder(config_env: str, samconfig: Path = SAMCONFIG) -> Path:
    """The folder `sam build --config-env <config_env>` writes (samconfig.toml's build_dir)."""
    config = tomllib.loads(samconfig.read_text())
    try:
        return Path(config[config_env]["build"]["parameters"]["build_dir"])
    except KeyError as missing:
        message = f"{samconfig}: [{config_env}.build.parameters] names no build_dir"
        raise CompileError(message) from missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3.13 -m stacks.bytecode", description=__doc__)
    parser.add_argument("--config-env", required=True, help="samconfig.toml's environment")
    arguments = parser.parse_args(argv)
    try:
        compile_folder(build_folder(arguments.config_env))
    except CompileError as error:
        parser.exit(1, f"stacks.bytecode: {error}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
