"""Listing cursors: a cursor is accepted only by the listing, and the partition, it came from."""

import base64
import json
from dataclasses import replace

import pytest

from shop_common.errors import InvalidCursorError
from shop_common.pagination import Listing

BY_STATUS = Listing(
    name="orders/status/shipped",
    index="ByStatus",
    partition_key="status",
    partition_value="shipped",
    sort_key="created_at",
    table_key=("order_id",),
    descending=True,
)
LAST_ITEM = {
    "order_id": "c7e2c504-ef52-490b-abb7-e4994cb78192",
    "status": "shipped",
    "created_at": "2026-11-21T06:33:00Z",
    "username": "alice",
}
KEY = {name: LAST_ITEM[name] for name in ("order_id", "status", "created_at")}


def _b64(document: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).decode()


def test_a_cursor_continues_after_the_key_of_the_item_it_was_made_from() -> None:
    assert BY_STATUS.start_key(BY_STATUS.cursor_after(LAST_ITEM)) == KEY


def test_no_cursor_starts_at_the_beginning() -> None:
    assert BY_STATUS.start_key(None) is None


def test_the_key_is_the_table_key_and_the_index_key() -> None:
    assert BY_STATUS.key_attributes == ("order_id", "status", "created_at")


@pytest.mark.parametrize(
    "other",
    [
        replace(BY_STATUS, name="orders"),
        replace(BY_STATUS, name="orders/status/pending", partition_value="pending"),
    ],
    ids=["another listing", "another partition"],
)
def test_a_cursor_of_another_listing_is_refused(other: Listing) -> None:
    with pytest.raises(InvalidCursorError):
        other.start_key(BY_STATUS.cursor_after(LAST_ITEM))


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not base64 !!",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        _b64([1, 2]),
        _b64({"listing": "orders/status/shipped"}),
        _b64({"listing": "orders/status/shipped", "key": {**KEY, "extra": "x"}}),
        _b64({"listing": "orders/status/shipped", "key": {"order_id": KEY["order_id"]}}),
        _b64({"listing": "orders/status/shipped", "key": {**KEY, "status": "pending"}}),
        _b64({"listing": "orders/status/shipped", "key": {**KEY, "created_at": 5}}),
        _b64({"listing": "orders/status/shipped", "key": {**KEY, "order_id": ""}}),
        _b64({"listing": "orders/status/shipped", "key": KEY, "more": 1}),
        _b64({"listing": "orders/status/shipped", "key": {**KEY, "created_at": "2" * 1025}}),
    ],
    ids=[
        "empty",
        "not base64",
        "not JSON",
        "not an object",
        "no key",
        "extra key attribute",
        "missing key attributes",
        "another partition's key",
        "a number",
        "an empty value",
        "an unknown field",
        "a value longer than DynamoDB takes in a key",
    ],
)
def test_anything_but_this_listings_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursorError):
        BY_STATUS.start_key(cursor)
