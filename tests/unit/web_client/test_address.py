"""A page writes its state into the address only while the address is still its own
(views/common.js `keepInAddress`): a followed link sets the hash before the hashchange shows
the next page, and a late answer of the page before must not take the address back (the
browser run of tests/web/test_shopping.py once stayed on Products after Orders was clicked).
A step the Back button returns from is a new history entry; the same view refined is not."""

import json

from tests.builders.javascript import evaluate


def written(shown: str, address: str, new_entry: bool = False) -> list[str]:
    """The history's entries after the page shown at `shown` writes `address`."""
    result: list[str] = evaluate(
        "views/common.js",
        ["keepInAddress"],
        f"""(() => {{
            const entries = [{json.dumps(shown)}];
            globalThis.location = {{ hash: {json.dumps(shown)} }};
            const replaceState = (state, title, url) => {{
              entries[entries.length - 1] = location.hash = url;
            }};
            const pushState = (state, title, url) => {{ entries.push(location.hash = url); }};
            globalThis.history = {{ replaceState, pushState }};
            keepInAddress({json.dumps(address)}, {{ newEntry: {json.dumps(new_entry)} }});
            return entries;
        }})()""",
    )
    return result


def test_a_page_writes_its_state_into_its_own_address() -> None:
    assert written("#/products", "#/products?sort=newest") == ["#/products?sort=newest"]


def test_a_page_left_by_a_link_does_not_take_the_address_back() -> None:
    assert written("#/orders", "#/products?sort=newest") == ["#/orders"]


def test_a_step_back_can_return_from_is_a_new_entry() -> None:
    assert written("#/products", "#/products?page=2", new_entry=True) == [
        "#/products",
        "#/products?page=2",
    ]


def test_the_address_already_shown_adds_no_entry() -> None:
    assert written("#/products?page=2", "#/products?page=2", new_entry=True) == [
        "#/products?page=2"
    ]
