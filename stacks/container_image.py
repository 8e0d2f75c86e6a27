"""A Lambda container image's definition, read from its Dockerfile: what it copies where,
which requirements it installs, and its command.

The local stack runs an image function from the source folders its Dockerfile copies (there
is no Docker engine), and the tests check that those copies are exactly what the handlers
import, so the image and the source cannot drift apart.
"""

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

TASK_ROOT = "${LAMBDA_TASK_ROOT}"
_REQUIREMENTS_OPTION = re.compile(r"(?:^|\s)(?:-r|--requirement)\s+(\S+)")


@dataclass(frozen=True)
class Copy:
    """One COPY: files of the build context, and where they land."""

    sources: tuple[Path, ...]
    destination: str

    @property
    def in_task_root(self) -> PurePosixPath | None:
        """The destination inside the function's code folder, None if elsewhere."""
        if not self.destination.startswith(TASK_ROOT):
            return None
        return PurePosixPath(self.destination.removeprefix(TASK_ROOT).strip("/"))


@dataclass(frozen=True)
class ImageDefinition:
    dockerfile: Path
    context: Path
    base_image: str
    copies: tuple[Copy, ...]
    installed: tuple[str, ...]  # the paths `pip install -r` reads, inside the image
    command: tuple[str, ...]
    # The folders `python -m compileall` compiles, inside the image, and its options.
    compiled: tuple[str, ...] = ()
    compile_options: tuple[str, ...] = ()

    def code_files(self) -> dict[Path, PurePosixPath]:
        """Each source file the image copies into the code folder, and its path there."""
        files = {}
        for copy in self.copies:
            target = copy.in_task_root
            if target is None:
                continue
            for source in copy.sources:
                if source.is_dir():
                    for file in sorted(source.rglob("*.py")):
                        files[file] = target / file.relative_to(source).as_posix()
                elif copy.destination.endswith("/") or len(copy.sources) > 1:
                    files[source] = target / source.name
                else:
                    files[source] = target
        return files

    def code_roots(self) -> list[Path]:
        """The source folders that play the code folder's part (for `sys.path`)."""
        roots = set()
        for source, target in self.code_files().items():
            root = source
            for _ in target.parts:
                root = root.parent
            roots.add(root)
        return sorted(roots)

    def requirement_files(self) -> list[Path]:
        """The context's files the image installs with `pip install -r`."""
        return [
            source
            for copy in self.copies
            if copy.destination in self.installed
            for source in copy.sources
        ]


def read_image(dockerfile: Path, context: Path) -> ImageDefinition:
    base = ""
    copies: list[Copy] = []
    installed: list[str] = []
    command: tuple[str, ...] = ()
    compiled: list[str] = []
    compile_options: list[str] = []
    for instruction, argument in _instructions(dockerfile.read_text()):
        if instruction == "FROM":
            base = argument.split()[0]
        elif instruction == "COPY":
            *sources, destination = shlex.split(argument)
            if any(source.startswith("--") for source in sources):
                raise ValueError(f"{dockerfile}: COPY options are not read here: {argument}")
            copies.append(Copy(tuple(context / source for source in sources), destination))
        elif instruction == "RUN" and "pip install" in argument:
            installed += _REQUIREMENTS_OPTION.findall(argument)
        elif instruction == "RUN" and "-m compileall" in argument:
            words = shlex.split(argument.partition("-m compileall")[2])
            compiled += [word for word in words if word.startswith(TASK_ROOT)]
            compile_options += [word for word in words if not word.startswith(TASK_ROOT)]
        elif instruction == "CMD":
            command = tuple(json.loads(argument))
    return ImageDefinition(
        dockerfile,
        context,
        base,
        tuple(copies),
        tuple(installed),
        command,
        tuple(compiled),
        tuple(compile_options),
    )


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, its argument) with continuation lines joined and comments dropped."""
    instructions = []
    pending = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        instruction, _, argument = (pending + stripped).partition(" ")
        instructions.append((instruction.upper(), argument.strip()))
        pending = ""
    return instructions
