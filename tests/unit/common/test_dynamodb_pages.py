"""read_page: fills a page across filtered reads without overshooting it."""

from typing import Any

from shop_common.dynamodb import read_page


class FilteredScan:
    """A Scan over numbered items where only even numbers pass the filter."""

    def __init__(self, total: int) -> None:
        self.keys = list(range(total))
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **request: Any) -> dict[str, Any]:
        self.calls.append(request)
        start = request["ExclusiveStartKey"]["n"] + 1 if "ExclusiveStartKey" in request else 0
        read = self.keys[start : start + request["Limit"]]
        response: dict[str, Any] = {"Items": [{"n": n} for n in read if n % 2 == 0]}
        if read and read[-1] != self.keys[-1]:
            response["LastEvaluatedKey"] = {"n": read[-1]}
        return response


def test_a_filtered_page_is_filled_by_further_reads() -> None:
    scan = FilteredScan(total=20)

    items, next_key = read_page(scan, limit=4, start_key=None)

    assert [item["n"] for item in items] == [0, 2, 4, 6]
    assert next_key == {"n": 6}
    assert len(scan.calls) > 1


def test_the_last_page_has_no_continuation_key() -> None:
    scan = FilteredScan(total=6)

    items, next_key = read_page(scan, limit=10, start_key={"n": 1})

    assert [item["n"] for item in items] == [2, 4]
    assert next_key is None
