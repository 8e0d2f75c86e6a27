"""batch_get: every existing item of the keys asked, the unprocessed keys asked again."""

from typing import Any

from shop_common.dynamodb import Table, batch_get


class ThrottledBatchGet:
    """A BatchGetItem that answers at most two keys per call (DynamoDB's UnprocessedKeys),
    over a table holding the even numbers."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:  # noqa: N803
        (request,) = RequestItems.values()
        self.calls.append(request)
        keys, rest = request["Keys"][:2], request["Keys"][2:]
        response: dict[str, Any] = {
            "Responses": {"t": [key for key in keys if key["n"] % 2 == 0]},
            "UnprocessedKeys": {"t": {**request, "Keys": rest}} if rest else {},
        }
        return response


def test_unprocessed_keys_are_asked_again_with_the_same_options() -> None:
    client = ThrottledBatchGet()

    keys = [{"n": n} for n in range(5)]
    items = batch_get(Table("t", client), keys, pause=lambda _: None, ConsistentRead=True)

    assert sorted(item["n"] for item in items) == [0, 2, 4]
    assert [len(call["Keys"]) for call in client.calls] == [5, 3, 1]
    assert all(call["ConsistentRead"] for call in client.calls)


def test_each_retry_waits_twice_as_long_up_to_a_second() -> None:
    client = ThrottledBatchGet()
    pauses: list[float] = []

    batch_get(Table("t", client), [{"n": n} for n in range(30)], pause=pauses.append)

    assert pauses[:4] == [0.05, 0.1, 0.2, 0.4]
    assert max(pauses) == 1.0
    assert len(pauses) == len(client.calls) - 1


def test_no_keys_ask_nothing() -> None:
    client = ThrottledBatchGet()

    assert batch_get(Table("t", client), []) == []
    assert client.calls == []
