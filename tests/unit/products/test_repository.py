"""The Products table's paging, against a table that stops a Scan the way DynamoDB does."""

from typing import Any

from products.repository import DynamoDBProductRepository
from tests.builders.data import product_item


class ScanLikeDynamoDB:
    """A Scan that, as DynamoDB does, returns a LastEvaluatedKey whenever it stops at its
    Limit, even when no item is left (moto returns none then)."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = sorted(items, key=lambda item: str(item["product_id"]))

    def scan(self, Limit: int, ExclusiveStartKey: dict[str, Any] | None = None) -> dict[str, Any]:  # noqa: N803 (boto3's names)
        after = ExclusiveStartKey["product_id"] if ExclusiveStartKey else ""
        read = [item for item in self.items if item["product_id"] > after][:Limit]
        stopped_at_limit = len(read) == Limit
        last_key = {"product_id": read[-1]["product_id"]} if stopped_at_limit else None
        return {"Items": read, **({"LastEvaluatedKey": last_key} if last_key else {})}


def test_a_full_last_page_carries_no_continuation_key() -> None:
    # Given a table holding exactly two products
    repository = DynamoDBProductRepository(ScanLikeDynamoDB([product_item(), product_item()]))

    # When a page of two is read
    page = repository.page(2, None)

    # Then both come back and no next page is announced
    assert (len(page.items), page.next_key) == (2, None)


def test_a_page_with_more_to_come_continues_after_its_last_product() -> None:
    items = [product_item() for _ in range(3)]
    repository = DynamoDBProductRepository(ScanLikeDynamoDB(items))

    page = repository.page(2, None)

    assert page.next_key == {"product_id": page.items[-1].product_id}
    assert repository.page(2, page.next_key).items[0].product_id not in {
        product.product_id for product in page.items
    }
