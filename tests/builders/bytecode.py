"""Which modules of a code package lack the bytecode stacks.bytecode compiles: CPython 3.13's
(the runtime's), beside the module, hash-based and unchecked (PEP 552)."""

import importlib.util
import zipfile

UNCHECKED_HASH = 0b01  # the flags word: hash-based (bit 0), its source never checked (bit 1)


def modules_without_bytecode(archive: zipfile.ZipFile) -> list[str]:
    """The archive's modules whose bytecode is missing, for another Python, or checked."""
    names = set(archive.namelist())
    lacking = []
    for module in sorted(name for name in names if name.endswith(".py")):
        cached = importlib.util.cache_from_source(module)
        header = archive.read(cached)[:8] if cached in names else b""
        magic, flags = header[:4], int.from_bytes(header[4:8], "little")
        if magic != importlib.util.MAGIC_NUMBER or flags != UNCHECKED_HASH:
            lacking.append(module)
    return lacking
