"""Publishing logic, free of AWS: what to upload, with which headers, and what to remove.

Files under `assets/` are served for a year as immutable, so every release puts them under
a new prefix, `assets/<version>/`, named after their content; the entry pages (`index.html`
and anything else outside `assets/`) and `config.json` are never cached without revalidation,
are rewritten to point at the release's assets, and are uploaded last, once what they point
at is in place. The release before keeps its assets, so a page loaded (or cached by
CloudFront) just before the switch still works; anything older is deleted.
"""

import hashlib
import mimetypes
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from uuid import uuid4

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from web_client.errors import MissingExportsError

SITE_DIR = Path(__file__).resolve().parent / "site"
ASSETS_DIR = "assets"
ENTRY_PAGE = "index.html"
CONFIG_KEY = "config.json"
ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable"
ENTRY_CACHE_CONTROL = "no-cache"
VERSION_LENGTH = 12
# The types the standard table lacks (the IANA registry names them).
_MISSING_TYPES = {
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".map": "application/json",
}


def _web_mime_types() -> mimetypes.MimeTypes:
    # Only the standard table: the machine's /etc/mime.types must not change what is published.
    table = mimetypes.MimeTypes()
    for extension, mime_type in _MISSING_TYPES.items():
        table.add_type(mime_type, extension)
    return table


_MIME_TYPES = _web_mime_types()
_TEXT_TYPES = ("text/", "application/json", "application/manifest+json", "image/svg+xml")
# `src="assets/..."` / `href="assets/..."` in an entry page.
_ASSET_REFERENCE = re.compile(r'(?P<attribute>\b(?:src|href)=")' + ASSETS_DIR + "/")
# The same reference once published, which names the release.
_RELEASE_REFERENCE = re.compile(
    r'\b(?:src|href)="' + ASSETS_DIR + r"/(?P<version>[0-9a-f]{" + str(VERSION_LENGTH) + "})/"
)


class WebConfig(BaseModel):
    """`config.json`: what the app needs to find the API and the user pool."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)

    api_url: str
    region: str
    user_pool_id: str
    user_pool_client_id: str
    # The shop's currency (ISO 4217): the app formats every price in it.
    currency: str
    # Only the local stack sets it; in AWS the app derives Cognito's endpoint from the region.
    cognito_endpoint: str | None = None

    def to_json(self) -> bytes:
        return self.model_dump_json(by_alias=True, exclude_none=True, indent=2).encode()


@dataclass(frozen=True)
class Target:
    """Where a stage's web client goes, read from its stacks' exports."""

    bucket: str
    distribution_id: str
    config: WebConfig


def export_names(stage: str) -> dict[str, str]:
    """The exports the web client reads, by the name they have in its stage."""
    names = (
        "WebBucketName",
        "WebDistributionId",
        "ApiUrl",
        "UserPoolId",
        "UserPoolClientId",
        "Currency",
    )
    return {name: f"shop-{stage}-{name}" for name in names}


def target_from_exports(stage: str, region: str, exports: Mapping[str, str]) -> Target:
    """The stage's bucket, distribution and app settings; every missing export is named."""
    names = export_names(stage)
    missing = [export for export in names.values() if export not in exports]
    if missing:
        raise MissingExportsError(missing)
    value = {name: exports[export] for name, export in names.items()}
    return Target(
        bucket=value["WebBucketName"],
        distribution_id=value["WebDistributionId"],
        config=WebConfig(
            api_url=value["ApiUrl"],
            region=region,
            user_pool_id=value["UserPoolId"],
            user_pool_client_id=value["UserPoolClientId"],
            currency=value["Currency"],
        ),
    )


@dataclass(frozen=True)
class SiteObject:
    key: str
    body: bytes = field(repr=False)
    content_type: str
    cache_control: str


@dataclass(frozen=True)
class Release:
    version: str
    # Assets first, entry pages last: a page is never online before what it loads.
    objects: tuple[SiteObject, ...]
    invalidation_paths: tuple[str, ...]

    @property
    def keys(self) -> set[str]:
        return {obj.key for obj in self.objects}


def build_release(
    config: WebConfig, site_dir: Path = SITE_DIR, vendor: Mapping[str, Path] | None = None
) -> Release:
    """The objects to upload for the site in `site_dir` with `config` as its `config.json`,
    and the `vendor` files (site path -> installed file, web_client/vendor.py)."""
    files = {
        path.relative_to(site_dir).as_posix(): path.read_bytes()
        for path in sorted(site_dir.rglob("*"))
        if path.is_file() and not _is_hidden(path.relative_to(site_dir))
    }
    files.update({key: path.read_bytes() for key, path in (vendor or {}).items()})
    files.pop(CONFIG_KEY, None)  # the generated one replaces any left in the folder
    asset_files = {key: body for key, body in files.items() if key.startswith(f"{ASSETS_DIR}/")}
    version = content_version(asset_files)
    assets = [
        _site_object(_versioned(key, version), body, ASSET_CACHE_CONTROL)
        for key, body in asset_files.items()
    ]
    entries = [
        _site_object(key, _point_at_release(key, body, version), ENTRY_CACHE_CONTROL)
        for key, body in files.items()
        if key not in asset_files
    ]
    entries.append(_site_object(CONFIG_KEY, config.to_json(), ENTRY_CACHE_CONTROL))
    # "/" is cached apart from "/index.html" (CloudFront's default root object).
    paths = ("/", *(f"/{entry.key}" for entry in entries))
    return Release(version=version, objects=(*assets, *entries), invalidation_paths=paths)


def content_version(files: Mapping[str, bytes]) -> str:
    """A short digest of the files' names and contents: it changes whenever any of them does."""
    digest = hashlib.sha256()
    for key in sorted(files):
        digest.update(key.encode() + b"\0" + hashlib.sha256(files[key]).digest())
    return digest.hexdigest()[:VERSION_LENGTH]


def content_type(key: str) -> str:
    guessed, _ = _MIME_TYPES.guess_type(key)
    if guessed is None:
        return "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith(_TEXT_TYPES) else guessed


def published_version(entry_page: bytes | None) -> str | None:
    """The release a published `index.html` loads its assets from (None before the first)."""
    match = _RELEASE_REFERENCE.search(entry_page.decode()) if entry_page else None
    return match["version"] if match else None


def stale_keys(existing: Iterable[str], release: Release, previous: str | None) -> list[str]:
    """The objects in the bucket that neither this release nor the `previous` one contains."""
    kept_prefix = f"{ASSETS_DIR}/{previous}/" if previous else None
    return sorted(
        key
        for key in existing
        if key not in release.keys and not (kept_prefix and key.startswith(kept_prefix))
    )


class SiteBucket(Protocol):
    def list_keys(self) -> list[str]: ...

    def read(self, key: str) -> bytes | None: ...

    def put(self, obj: SiteObject) -> None: ...

    def delete(self, keys: Sequence[str]) -> None: ...


class Distribution(Protocol):
    def invalidate(self, paths: Sequence[str], reference: str) -> str: ...


@dataclass(frozen=True)
class PublishReport:
    version: str
    uploaded: list[str]
    deleted: list[str]
    invalidation_id: str


def publish(
    release: Release,
    bucket: SiteBucket,
    distribution: Distribution,
    *,
    new_reference: Callable[[], str] = lambda: str(uuid4()),
) -> PublishReport:
    """Upload the release, invalidate the entry pages, delete what is older than the last one."""
    previous = published_version(bucket.read(ENTRY_PAGE))
    stale = stale_keys(bucket.list_keys(), release, previous)
    for obj in release.objects:
        bucket.put(obj)
    invalidation_id = distribution.invalidate(release.invalidation_paths, new_reference())
    bucket.delete(stale)
    return PublishReport(release.version, sorted(release.keys), stale, invalidation_id)


def _site_object(key: str, body: bytes, cache_control: str) -> SiteObject:
    return SiteObject(key, body, content_type(key), cache_control)


def _versioned(key: str, version: str) -> str:
    return f"{ASSETS_DIR}/{version}/{key.removeprefix(ASSETS_DIR + '/')}"


def _point_at_release(key: str, body: bytes, version: str) -> bytes:
    if content_type(key).startswith("text/html"):
        text = _ASSET_REFERENCE.sub(rf"\g<attribute>{ASSETS_DIR}/{version}/", body.decode())
        return text.encode()
    return body


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
