"""Cursors: opaque on the way out, strictly validated on the way back in."""

import base64

import pytest

from shop_common.errors import InvalidCursorError
from shop_common.pagination import CursorKey, decode_cursor, encode_cursor


class ProductKey(CursorKey):
    product_id: str


def test_a_cursor_decodes_to_the_key_it_was_made_from() -> None:
    key = ProductKey(product_id="c7e2c504-ef52-490b-abb7-e4994cb78192")

    assert decode_cursor(encode_cursor(key), ProductKey) == key


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not base64 !!",
        _b64(b"\xff\xfe"),
        _b64(b"not json"),
        _b64(b"[1, 2]"),
        _b64(b'{"product_id": 7}'),
        _b64(b'{"product_id": "a", "extra": "b"}'),
        _b64(b'{"order_id": "a"}'),
    ],
)
def test_anything_but_our_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidCursorError):
        decode_cursor(cursor, ProductKey)
