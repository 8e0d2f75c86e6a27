"""`python -m web_client.publish` against moto: the bucket's objects, their headers, config.json,
stale objects and the CloudFront invalidation."""

import json
import re
from typing import Any

import boto3
import pytest

from tests.service.web_client.conftest import (
    API_URL,
    REGION,
    STAGE,
    USER_POOL_CLIENT_ID,
    USER_POOL_ID,
    Stage,
)
from web_client.publish import main
from web_client.release import SITE_DIR
from web_client.vendor import VENDOR_FILES

ARGS = ["--stage", STAGE, "--region", REGION]
ASSET_CACHE = "public, max-age=31536000, immutable"


def bucket_keys(stage: Stage) -> set[str]:
    listing = stage.s3.list_objects_v2(Bucket=stage.bucket)
    return {item["Key"] for item in listing.get("Contents", [])}


def head(stage: Stage, key: str) -> dict[str, Any]:
    response: dict[str, Any] = stage.s3.head_object(Bucket=stage.bucket, Key=key)
    return response


def read(stage: Stage, key: str) -> str:
    body = stage.s3.get_object(Bucket=stage.bucket, Key=key)["Body"].read()
    return str(body.decode())


def asset_keys(stage: Stage) -> set[str]:
    return {key for key in bucket_keys(stage) if key.startswith("assets/")}


def site_assets() -> set[str]:
    """The site folder's assets and the installed npm packages it loads (web_client/vendor.py)."""
    installed = {key.removeprefix("assets/") for key in VENDOR_FILES}
    return installed | {
        path.relative_to(SITE_DIR / "assets").as_posix()
        for path in (SITE_DIR / "assets").rglob("*")
        if path.is_file()
    }


def test_every_site_file_is_uploaded_with_its_assets_under_one_release_prefix(
    stage: Stage,
) -> None:
    # Given the site folder and a stage deployed
    # When the web client is published
    assert main(ARGS) == 0
    # Then index.html and config.json sit at the root and every asset (the installed
    # packages the site loads too) under assets/<version>/
    releases = {key.split("/")[1] for key in asset_keys(stage)}
    assert len(releases) == 1
    (version,) = releases
    expected_assets = {f"assets/{version}/{name}" for name in site_assets()}
    assert bucket_keys(stage) == {"index.html", "config.json", *expected_assets}


@pytest.mark.parametrize(
    ("suffix", "content_type"),
    [
        (".html", "text/html; charset=utf-8"),
        (".js", "text/javascript; charset=utf-8"),
        (".css", "text/css; charset=utf-8"),
        (".svg", "image/svg+xml; charset=utf-8"),
        (".json", "application/json; charset=utf-8"),
    ],
)
def test_each_kind_of_file_is_served_with_its_content_type(
    stage: Stage, suffix: str, content_type: str
) -> None:
    # Given a published site
    assert main(ARGS) == 0
    # When the objects of one kind are looked at
    keys = [key for key in bucket_keys(stage) if key.endswith(suffix)]
    # Then each carries the content type a browser needs (modules refuse any other for .js)
    assert keys
    assert {head(stage, key)["ContentType"] for key in keys} == {content_type}


def test_assets_are_cached_for_a_year_as_immutable(stage: Stage) -> None:
    # Given a published site
    assert main(ARGS) == 0
    # When its assets' headers are read
    cache_controls = {head(stage, key)["CacheControl"] for key in asset_keys(stage)}
    # Then browsers and CloudFront keep them (a new release has new keys)
    assert cache_controls == {ASSET_CACHE}


@pytest.mark.parametrize("key", ["index.html", "config.json"])
def test_the_entry_page_and_config_are_revalidated_on_every_load(stage: Stage, key: str) -> None:
    # Given a published site
    assert main(ARGS) == 0
    # When the entry page's or the config's headers are read
    # Then caches must ask again before using them
    assert head(stage, key)["CacheControl"] == "no-cache"


def test_config_json_holds_the_stage_settings_read_from_the_exports(stage: Stage) -> None:
    # Given the stage's exports (on ListExports' second page)
    # When the web client is published
    assert main(ARGS) == 0
    # Then config.json tells the app where the API and the user pool are and the shop's
    # currency, and no Cognito endpoint (the app uses the region's public one)
    assert json.loads(read(stage, "config.json")) == {
        "apiUrl": API_URL,
        "region": REGION,
        "userPoolId": USER_POOL_ID,
        "userPoolClientId": USER_POOL_CLIENT_ID,
        "currency": "EUR",
    }


def test_the_published_index_loads_the_assets_of_its_own_release(stage: Stage) -> None:
    # Given a published site
    assert main(ARGS) == 0
    # When index.html's references to assets are read
    references = re.findall(r'(?:src|href)="(assets/[^"]+)"', read(stage, "index.html"))
    # Then each names an uploaded object of this release
    assert references
    assert set(references) <= asset_keys(stage)


def put(stage: Stage, key: str, body: str) -> None:
    stage.s3.put_object(Bucket=stage.bucket, Key=key, Body=body.encode())


def test_objects_the_site_no_longer_has_are_deleted(stage: Stage) -> None:
    # Given objects the current site does not have, and no release published yet
    stale = ["assets/0123456789ab/js/main.js", "old-page.html"]
    for key in stale:
        put(stage, key, "old")
    # When the web client is published
    assert main(ARGS) == 0
    # Then they are gone and the new release is in place
    keys = bucket_keys(stage)
    assert keys.isdisjoint(stale)
    assert "index.html" in keys


def test_the_previous_release_keeps_its_assets_and_older_ones_are_deleted(stage: Stage) -> None:
    # Given a published release whose index.html loads assets/aaaaaaaaaaaa/, and an older one
    put(stage, "index.html", '<script type="module" src="assets/aaaaaaaaaaaa/js/main.js"></script>')
    put(stage, "assets/aaaaaaaaaaaa/js/main.js", "previous")
    put(stage, "assets/bbbbbbbbbbbb/js/main.js", "older")
    # When the web client is published
    assert main(ARGS) == 0
    # Then a page loaded just before the switch still finds its assets; the older ones are gone
    keys = bucket_keys(stage)
    assert "assets/aaaaaaaaaaaa/js/main.js" in keys
    assert "assets/bbbbbbbbbbbb/js/main.js" not in keys


def test_publishing_an_unchanged_site_again_keeps_the_same_asset_keys(stage: Stage) -> None:
    # Given a published site
    assert main(ARGS) == 0
    first = asset_keys(stage)
    # When it is published again unchanged
    assert main(ARGS) == 0
    # Then its assets keep their keys, so browsers keep their cached copies
    assert asset_keys(stage) == first


def test_a_cloudfront_invalidation_covers_the_entry_page_and_config(stage: Stage) -> None:
    # Given a stage's distribution
    # When the web client is published
    assert main(ARGS) == 0
    # Then one invalidation was made for the paths that are not versioned
    invalidations = stage.cloudfront.list_invalidations(DistributionId=stage.distribution_id)
    items = invalidations["InvalidationList"]["Items"]
    assert len(items) == 1
    invalidation = stage.cloudfront.get_invalidation(
        DistributionId=stage.distribution_id, Id=items[0]["Id"]
    )["Invalidation"]
    paths = invalidation["InvalidationBatch"]["Paths"]["Items"]
    assert set(paths) == {"/", "/index.html", "/config.json"}


def test_missing_exports_are_named_and_the_command_fails(
    aws: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a region where the stage's stacks are not deployed
    # When the web client is published
    exit_code = main(ARGS)
    # Then the command fails naming every export it lacks
    assert exit_code == 1
    error = capsys.readouterr().err
    for name in (
        "WebBucketName",
        "WebDistributionId",
        "ApiUrl",
        "UserPoolId",
        "UserPoolClientId",
        "Currency",
    ):
        assert f"shop-{STAGE}-{name}" in error


def test_a_bucket_that_is_gone_is_reported_without_a_traceback(
    stage: Stage, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the stage's bucket was deleted behind CloudFormation's back
    boto3.resource("s3", region_name=REGION).Bucket(stage.bucket).delete()
    # When the web client is published
    exit_code = main(ARGS)
    # Then the command fails with the S3 operation and AWS's reason
    assert exit_code == 1
    assert re.search(r"s3:\w+ .*failed: NoSuchBucket", capsys.readouterr().err)


def test_the_command_reports_the_release_it_published(
    stage: Stage, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a stage
    # When the web client is published
    assert main(ARGS) == 0
    # Then it says which release went out and how many objects
    (version,) = {key.split("/")[1] for key in asset_keys(stage)}
    output = capsys.readouterr().out
    assert f"release {version}" in output
    assert f"{len(bucket_keys(stage))} objects uploaded" in output
