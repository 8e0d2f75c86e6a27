"""Items DynamoDB reads (`ScannedCount`) for a page of the catalogue (`GET /products`), by
name, newest first and a name search, as the Products table grows: each listing is one
Query on an index that reads the page and one item more, whatever the table holds (a name
search then reads the page's products by key: one BatchGetItem, no ScannedCount)."""

import importlib
from collections.abc import Callable
from typing import Any

import boto3

from bench.common import in_process_handler, patient_tables, progress, table, verdict
from bench.scanned import ScanCounter
from shop_common.catalogue import word_items
from tests.builders.data import product_item
from tests.e2e.stack import RunningStack

SIZES = (1_000, 10_000, 100_000)
PAGE = 50
LISTINGS: dict[str, dict[str, str]] = {
    "by name": {},
    "newest first": {"sort": "newest"},
    "name search, two words (`q=product 1`)": {"q": "product 1"},
    "name search, a later word (`q=7`)": {"q": "7"},
    "name search, a rare word (`q=grinder`)": {"q": "grinder"},
}
# One product in this many is a "Burr grinder", the rare word's matches.
GRINDER_EVERY = 1_000


def report(
    stack: RunningStack,
    counter: ScanCounter,
    sizes: tuple[int, ...] = SIZES,
    at_each_size: Callable[[int], None] = lambda size: None,
) -> str:
    """The table; `at_each_size(size)` runs once the table holds `size` products."""
    products_table = stack.table_name("ProductsTable")
    fill = _filler(boto3.resource("dynamodb").Table(products_table))
    list_products = _catalogue_reader(stack, products_table)
    rows = []
    for size in sizes:
        progress(f"catalogue of {size:,}")
        fill(size)
        for listing, query in LISTINGS.items():
            counter.scanned = counter.calls = 0
            returned = list_products({"limit": PAGE, **query})
            met = counter.scanned <= PAGE + 1 and counter.calls <= 2
            rows.append(
                [f"{size:,}", listing, returned, counter.scanned, counter.calls, verdict(met)]
            )
        at_each_size(size)
    return (
        "## Items read per page of the catalogue\n\n"
        f"`GET /products?limit={PAGE}` (the GetProducts function's logic and repository, "
        "first page) as the Products table holds 1,000, 10,000 and 100,000 products "
        "(batch-written straight to the emulator, with their word items: one in "
        f"{GRINDER_EVERY:,} is a Burr grinder). `ScannedCount` is summed over the "
        "DynamoDB calls (*DynamoDB calls* counts Queries and Scans; a search then reads "
        "its page's products by key in one BatchGetItem, which scans nothing). "
        "Target: at most page + 1 "
        f"({PAGE + 1}) items, in at most two calls, at every size.\n\n"
        + table(
            [
                "products",
                "listing",
                "returned",
                "ScannedCount",
                "DynamoDB calls",
                f"target: <= {PAGE + 1} in <= 2",
            ],
            rows,
        )
    )


def _catalogue_reader(stack: RunningStack, products_table: str) -> Callable[[dict[str, Any]], int]:
    """The GetProducts function's own logic and repository, on a patient table."""
    in_process_handler(stack, "GetProductsFunction")  # its code (and the layer's) on the path
    logic = importlib.import_module("products.logic")
    models = importlib.import_module("products.models")
    repository = importlib.import_module("products.repository").DynamoDBProductRepository(
        *patient_tables(products_table)
    )

    def list_products(query: dict[str, Any]) -> int:
        listing = logic.list_products(models.ProductListQuery.model_validate(query), repository)
        return len(listing.products)

    return list_products


def _filler(products: Any) -> Callable[[int], None]:
    written = 0

    def fill(size: int) -> None:
        nonlocal written
        with products.batch_writer() as batch:
            for index in range(written, size):
                name = f"Burr grinder {index}" if index % GRINDER_EVERY == 0 else f"Product {index}"
                item = product_item(name=name)
                batch.put_item(Item=item)
                for word in word_items(item["product_id"], name):
                    batch.put_item(Item=word)
        written = size

    return fill
