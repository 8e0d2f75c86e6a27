"""What changed between two configurations: an RFC 6902 JSON Patch of their normalized
forms (jsonpatch), so a patch's paths name origins by id and error responses by code."""

from collections.abc import Mapping
from typing import Any

import jsonpatch

from vault.normalize import normalize


def config_patch(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The operations that turn `before` into `after`, both normalized first."""
    return normalized_patch(normalize(before), normalize(after))


def normalized_patch(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The operations that turn one normalized configuration into another."""
    operations: list[dict[str, Any]] = jsonpatch.make_patch(before, after).patch
    return operations


def changed_paths(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The paths of the patch, each once, in patch order."""
    return list(dict.fromkeys(operation["path"] for operation in config_patch(before, after)))
