"""POST /images: an admin gets a short-lived presigned upload for one product image, whose
signed policy limits the type, the size and the key."""

import base64
import json
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

import pytest

from products.models import IMAGE_KEY, IMAGE_MAX_BYTES
from shop_common.api import Handler
from tests.builders.callers import ADMIN, SHOPPER, Caller
from tests.builders.events import WEB_ORIGIN, LambdaContext, api_event, response_json
from tests.builders.tables import TEST_IMAGES_BUCKET


def ask_upload(handler: Handler, body: Any, caller: Caller | None = ADMIN) -> dict[str, Any]:
    return handler(api_event("POST", "/images", caller=caller, body=body), LambdaContext())


def policy_of(upload: dict[str, Any]) -> dict[str, Any]:
    policy: dict[str, Any] = json.loads(base64.b64decode(upload["fields"]["policy"]))
    return policy


@pytest.mark.parametrize(
    ("content_type", "extension"),
    [("image/jpeg", "jpg"), ("image/png", "png"), ("image/webp", "webp")],
)
def test_an_admin_gets_an_upload_limited_to_one_image_of_the_type_and_2_mb(
    create_image_upload: Handler, content_type: str, extension: str
) -> None:
    # When an admin asks to upload an image of a type
    response = ask_upload(create_image_upload, {"content_type": content_type})

    # Then the signed policy allows that type only, 1 byte to 2 MB, at one new key
    assert response["statusCode"] == HTTPStatus.CREATED
    upload = response_json(response)
    key = upload["fields"]["key"]
    assert IMAGE_KEY.fullmatch(key)
    assert key.endswith(f".{extension}")
    conditions = policy_of(upload)["conditions"]
    assert {"Content-Type": content_type} in conditions
    assert ["content-length-range", 1, IMAGE_MAX_BYTES] in conditions
    assert {"key": key} in conditions
    assert {"bucket": TEST_IMAGES_BUCKET} in conditions
    # and the product's image, once uploaded, is where the site serves it
    assert upload["image"] == f"{WEB_ORIGIN}/{key}"
    assert (upload["content_type"], upload["max_bytes"]) == (content_type, IMAGE_MAX_BYTES)


def test_the_upload_expires_within_five_minutes(create_image_upload: Handler) -> None:
    upload = response_json(ask_upload(create_image_upload, {"content_type": "image/png"}))

    expiration = datetime.fromisoformat(policy_of(upload)["expiration"])

    assert expiration <= datetime.now(UTC) + timedelta(minutes=5, seconds=5)


def test_each_upload_has_a_key_of_its_own(create_image_upload: Handler) -> None:
    keys = {
        response_json(ask_upload(create_image_upload, {"content_type": "image/png"}))["fields"][
            "key"
        ]
        for _ in range(3)
    }

    assert len(keys) == 3


def test_a_shopper_may_not_upload_an_image(create_image_upload: Handler) -> None:
    response = ask_upload(create_image_upload, {"content_type": "image/png"}, caller=SHOPPER)

    assert response["statusCode"] == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize(
    "body",
    [{"content_type": "image/gif"}, {"content_type": "image/svg+xml"}, {}, "[]", "{"],
    ids=["gif", "svg", "no type", "not an object", "malformed"],
)
def test_another_type_or_a_bad_body_is_a_400(create_image_upload: Handler, body: Any) -> None:
    response = ask_upload(create_image_upload, body)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert response_json(response)["errors"][0]["field"] in {"content_type", "body"}
