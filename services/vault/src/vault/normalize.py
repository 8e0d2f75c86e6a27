"""A DistributionConfig in a form where equal configurations are equal values.

CloudFront's wire form wraps every list as `{"Quantity": n, "Items": [...]}` and returns
some lists in an order that means nothing. Normalized: `Quantity` goes (it is derived),
lists are plain lists, origins and origin groups are keyed by their id, custom error
responses by their code, aliases are a sorted set; cache behaviors stay in order, since
their order is their precedence. The hash of the normalized form says whether a
configuration changed (an ETag changes on any update, even one that changes nothing).
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

# Lists whose items are identified by a field: keyed by it, so a diff names the item.
KEYED_LISTS = {"Origins": "Id", "OriginGroups": "Id", "CustomErrorResponses": "ErrorCode"}
# Lists that are sets: their order is not part of the configuration.
SET_LISTS = frozenset({"Aliases"})


def normalize(config: Mapping[str, Any]) -> dict[str, Any]:
    """`config` (a DistributionConfig as boto3 returns it) normalized; `config` is not changed."""
    normalized: dict[str, Any] = _normalize_value(dict(config))
    return normalized


def config_hash(config: Mapping[str, Any]) -> str:
    """The SHA-256 of the normalized configuration: equal for equal configurations."""
    canonical = json.dumps(normalize(config), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _normalize_value(value: Any, name: str = "") -> Any:
    if isinstance(value, Mapping):
        if "Quantity" in value:
            return _normalize_wrapper(value, name)
        return {key: _normalize_value(item, key) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalize_value(item) for item in value]
    return value


def _normalize_wrapper(wrapper: Mapping[str, Any], name: str) -> Any:
    """`{"Quantity": n, "Items": [...], ...}`: the items as a list (or keyed, or a set), and
    beside them whatever else the wrapper holds (`Enabled`, `CachedMethods`...)."""
    items = [_normalize_value(item) for item in wrapper.get("Items") or []]
    rest = {
        key: _normalize_value(item, key)
        for key, item in wrapper.items()
        if key not in {"Quantity", "Items"}
    }
    if name in KEYED_LISTS:
        field = KEYED_LISTS[name]
        shaped: Any = {str(item[field]): item for item in items}
    elif name in SET_LISTS:
        shaped = sorted(items)
    else:
        shaped = items
    if not rest:
        return shaped
    return {**rest, "Items": shaped}
