"""Publishing rules, with no AWS: what a release holds, its headers, and what it removes."""

from collections.abc import Sequence
from pathlib import Path

import pytest

from web_client.errors import MissingExportsError, MissingVendorFilesError
from web_client.release import (
    ASSET_CACHE_CONTROL,
    ENTRY_CACHE_CONTROL,
    Release,
    SiteObject,
    WebConfig,
    build_release,
    content_type,
    content_version,
    publish,
    published_version,
    stale_keys,
    target_from_exports,
)
from web_client.vendor import VENDOR_FILES, vendor_files

CONFIG = WebConfig(
    api_url="https://api.example/dev",
    region="eu-west-1",
    user_pool_id="eu-west-1_pool",
    user_pool_client_id="client",
    currency="EUR",
)
INDEX = '<link href="assets/app.css"><script type="module" src="assets/js/main.js"></script>'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    files = {
        "index.html": INDEX,
        "assets/app.css": "body {}",
        "assets/js/main.js": "import './api.js';",
        "assets/js/api.js": "export {};",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def objects_by_key(release: Release) -> dict[str, SiteObject]:
    return {obj.key: obj for obj in release.objects}


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("assets/js/main.js", "text/javascript; charset=utf-8"),
        ("assets/app.css", "text/css; charset=utf-8"),
        ("config.json", "application/json; charset=utf-8"),
        ("assets/logo.svg", "image/svg+xml; charset=utf-8"),
        ("assets/photo.png", "image/png"),
        ("assets/font.woff2", "font/woff2"),
        ("assets/unknown.xyz123", "application/octet-stream"),
    ],
)
def test_each_file_gets_the_content_type_of_its_extension(key: str, expected: str) -> None:
    assert content_type(key) == expected


def test_the_version_changes_with_any_byte_or_name_and_only_then() -> None:
    files = {"a.js": b"1", "b.css": b"2"}
    assert content_version(files) == content_version(dict(reversed(files.items())))
    assert content_version(files) != content_version({**files, "a.js": b"3"})
    assert content_version(files) != content_version({"c.js": b"1", "b.css": b"2"})


def test_assets_go_under_the_release_prefix_and_are_immutable(site: Path) -> None:
    # Given a site; When its release is built
    release = build_release(CONFIG, site)
    # Then each asset sits under assets/<version>/ with a year of caching
    assets = {k: o for k, o in objects_by_key(release).items() if k.startswith("assets/")}
    assert set(assets) == {
        f"assets/{release.version}/{name}" for name in ("app.css", "js/main.js", "js/api.js")
    }
    assert {obj.cache_control for obj in assets.values()} == {ASSET_CACHE_CONTROL}


def test_the_entry_page_points_at_the_release_and_is_revalidated(site: Path) -> None:
    release = build_release(CONFIG, site)
    index = objects_by_key(release)["index.html"]
    body = index.body.decode()
    assert f'href="assets/{release.version}/app.css"' in body
    assert f'src="assets/{release.version}/js/main.js"' in body
    assert index.cache_control == ENTRY_CACHE_CONTROL


def test_config_json_is_generated_and_replaces_one_left_in_the_folder(site: Path) -> None:
    # Given a stale config.json in the site folder
    (site / "config.json").write_text('{"apiUrl": "http://127.0.0.1:8000/dev"}')
    # When the release is built
    config = objects_by_key(build_release(CONFIG, site))["config.json"]
    # Then it carries the stage's settings, camelCased, without a Cognito endpoint
    assert config.body.decode().replace(" ", "").replace("\n", "") == (
        '{"apiUrl":"https://api.example/dev","region":"eu-west-1",'
        '"userPoolId":"eu-west-1_pool","userPoolClientId":"client","currency":"EUR"}'
    )
    assert config.cache_control == ENTRY_CACHE_CONTROL


def test_hidden_files_are_not_published(site: Path) -> None:
    (site / "assets" / ".DS_Store").write_text("finder")
    keys = objects_by_key(build_release(CONFIG, site))
    assert not [key for key in keys if ".DS_Store" in key]


def test_the_invalidation_covers_the_root_and_every_unversioned_path(site: Path) -> None:
    release = build_release(CONFIG, site)
    assert set(release.invalidation_paths) == {"/", "/index.html", "/config.json"}


def test_the_published_version_is_read_from_the_entry_page() -> None:
    assert published_version(b'<script src="assets/0123456789ab/js/main.js">') == "0123456789ab"
    assert published_version(INDEX.encode()) is None
    assert published_version(None) is None


def test_stale_keys_spare_this_release_and_the_previous_one(site: Path) -> None:
    release = build_release(CONFIG, site)
    existing = [
        "index.html",
        f"assets/{release.version}/app.css",
        "assets/aaaaaaaaaaaa/app.css",
        "assets/bbbbbbbbbbbb/app.css",
        "notes.txt",
    ]
    stale = stale_keys(existing, release, previous="aaaaaaaaaaaa")
    assert stale == ["assets/bbbbbbbbbbbb/app.css", "notes.txt"]


def test_missing_exports_are_all_named() -> None:
    with pytest.raises(MissingExportsError) as raised:
        target_from_exports("prod", "eu-west-1", {"shop-prod-ApiUrl": "https://api"})
    assert raised.value.missing == [
        "shop-prod-WebBucketName",
        "shop-prod-WebDistributionId",
        "shop-prod-UserPoolId",
        "shop-prod-UserPoolClientId",
        "shop-prod-Currency",
    ]


def test_the_target_is_read_from_the_stage_exports() -> None:
    exports = {
        f"shop-dev-{name}": value
        for name, value in {
            "WebBucketName": "bucket",
            "WebDistributionId": "E123",
            "ApiUrl": "https://api.example/dev",
            "UserPoolId": "eu-west-1_pool",
            "UserPoolClientId": "client",
            "Currency": "EUR",
        }.items()
    }
    target = target_from_exports("dev", "eu-west-1", exports)
    assert (target.bucket, target.distribution_id, target.config) == ("bucket", "E123", CONFIG)


class RecordingBucket:
    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.calls: list[str] = []

    def list_keys(self) -> list[str]:
        return list(self.keys)

    def read(self, key: str) -> bytes | None:
        return None

    def put(self, obj: SiteObject) -> None:
        self.calls.append(f"put {obj.key}")

    def delete(self, keys: Sequence[str]) -> None:
        self.calls.append(f"delete {','.join(keys)}")


class RecordingDistribution:
    def __init__(self, bucket: RecordingBucket) -> None:
        self.bucket = bucket

    def invalidate(self, paths: Sequence[str], reference: str) -> str:
        self.bucket.calls.append(f"invalidate {reference}")
        return "I123"


def test_publishing_uploads_assets_first_and_deletes_only_after_invalidating(site: Path) -> None:
    # Given a bucket with an object of an old release
    bucket = RecordingBucket(["assets/bbbbbbbbbbbb/app.css"])
    # When the site is published
    report = publish(
        build_release(CONFIG, site),
        bucket,
        RecordingDistribution(bucket),
        new_reference=lambda: "r1",
    )
    # Then assets go up before the pages that load them, and the old object goes last
    calls = bucket.calls
    puts = [call for call in calls if call.startswith("put ")]
    assert puts[-2:] == ["put index.html", "put config.json"]
    assert calls[-2:] == ["invalidate r1", "delete assets/bbbbbbbbbbbb/app.css"]
    assert report.invalidation_id == "I123"
    assert report.deleted == ["assets/bbbbbbbbbbbb/app.css"]


def test_the_installed_packages_the_site_loads_ship_with_its_assets(
    site: Path, tmp_path: Path
) -> None:
    # Given a package file installed outside the site folder
    installed = tmp_path / "node_modules" / "qr.mjs"
    installed.parent.mkdir()
    installed.write_text("export default 1;")
    # When the release is built with it as a vendor file
    release = build_release(CONFIG, site, vendor={"assets/vendor/qr.mjs": installed})
    # Then it is an asset of the release, counted in its version, served as JavaScript
    shipped = objects_by_key(release)[f"assets/{release.version}/vendor/qr.mjs"]
    assert shipped.body == b"export default 1;"
    assert shipped.content_type == "text/javascript; charset=utf-8"
    assert release.version != build_release(CONFIG, site).version


def test_missing_installed_packages_are_named_with_how_to_install_them(tmp_path: Path) -> None:
    with pytest.raises(MissingVendorFilesError, match="npm ci") as refused:
        vendor_files(tmp_path / "node_modules")
    assert refused.value.missing == [
        str(tmp_path / "node_modules" / source) for source in VENDOR_FILES.values()
    ]
