"""The Products table's paging, against an index that stops a Query the way DynamoDB does."""

from typing import Any

from products.listings import product_listing
from products.models import ProductListQuery
from products.repository import DynamoDBProductRepository
from tests.builders.data import product_item

BY_NAME = product_listing(ProductListQuery())


class QueryLikeDynamoDB:
    """A Query of the name index that, as DynamoDB does, returns a LastEvaluatedKey whenever
    it stops at its Limit, even when no item is left (moto returns none then)."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = sorted(items, key=lambda item: (item["name_key"], item["product_id"]))
        self.limits: list[int] = []

    def query(self, Limit: int, ExclusiveStartKey: dict[str, Any] | None = None, **_: Any) -> Any:  # noqa: N803 (boto3's names)
        self.limits.append(Limit)
        start = ExclusiveStartKey
        after = (start["name_key"], start["product_id"]) if start else ("", "")
        read = [i for i in self.items if (i["name_key"], i["product_id"]) > after][:Limit]
        last = read[-1] if len(read) == Limit else None
        last_key = {k: last[k] for k in ("product_id", "catalogue", "name_key")} if last else None
        return {"Items": read, **({"LastEvaluatedKey": last_key} if last_key else {})}


def test_a_full_last_page_carries_no_continuation_key() -> None:
    # Given a catalogue of exactly two products
    table = QueryLikeDynamoDB([product_item(name="a"), product_item(name="b")])
    repository = DynamoDBProductRepository(table)

    # When a page of two is read
    page = repository.page(BY_NAME, limit=2, cursor=None)

    # Then both come back, no next page is announced, and one Query read page + 1 at most
    assert (len(page.items), page.next_cursor, table.limits) == (2, None, [3])


def test_a_page_with_more_to_come_continues_after_its_last_product() -> None:
    table = QueryLikeDynamoDB([product_item(name=name) for name in "abc"])
    repository = DynamoDBProductRepository(table)

    page = repository.page(BY_NAME, limit=2, cursor=None)
    rest = repository.page(BY_NAME, limit=2, cursor=page.next_cursor)

    assert [product.name for product in page.items] == ["a", "b"]
    assert [product.name for product in rest.items] == ["c"]
