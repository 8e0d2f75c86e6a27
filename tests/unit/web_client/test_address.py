"""A page writes its state into the address only while the address is still its own
(views/common.js `replaceAddress`): a followed link sets the hash before the hashchange shows
the next page, and a late answer of the page before must not take the address back (the
browser run of tests/web/test_shopping.py once stayed on Products after Orders was clicked)."""

import json

from tests.builders.javascript import evaluate


def written(shown: str, address: str) -> str:
    """The hash after the page shown at `shown` writes `address`."""
    result: str = evaluate(
        "views/common.js",
        ["replaceAddress"],
        f"""(() => {{
            globalThis.location = {{ hash: {json.dumps(shown)} }};
            const replaceState = (state, title, url) => {{ location.hash = url; }};
            globalThis.history = {{ replaceState }};
            replaceAddress({json.dumps(address)});
            return location.hash;
        }})()""",
    )
    return result


def test_a_page_writes_its_state_into_its_own_address() -> None:
    assert written("#/products", "#/products?sort=price") == "#/products?sort=price"


def test_a_page_left_by_a_link_does_not_take_the_address_back() -> None:
    assert written("#/orders", "#/products?sort=price") == "#/orders"
