"""Items DynamoDB reads (`ScannedCount`) for a page of the catalogue (`GET /products`), by
name, newest first and a name search, as the Products table grows: each listing is one
Query on an index that reads the page and one item more, whatever the table holds."""

import json
from collections.abc import Callable
from typing import Any

import boto3
from botocore.exceptions import ReadTimeoutError

from bench.common import in_process_handler, progress, table, verdict
from bench.scanned import ScanCounter
from local.shop import LocalShop
from tests.builders.data import product_item
from tests.builders.events import LambdaContext, api_event

SIZES = (1_000, 10_000, 100_000)
EMULATOR_TOO_SLOW = "not measured: the emulator timed out"
PAGE = 50
LISTINGS: dict[str, dict[str, str]] = {
    "by name": {},
    "newest first": {"sort": "newest"},
    "name search (`q=product 1`)": {"q": "product 1"},
}


def report(shop: LocalShop, counter: ScanCounter, sizes: tuple[int, ...] = SIZES) -> str:
    products = str(shop.cloud.exports[shop.cloud.export_name("ProductsTableName")])
    fill = _filler(boto3.resource("dynamodb").Table(products))
    handler = in_process_handler(shop, "GetProductsFunction")
    rows = []
    for size in sizes:
        progress(f"catalogue of {size:,}")
        fill(size)
        for listing, query in LISTINGS.items():
            counter.scanned = counter.calls = 0
            event = api_event("GET", "/products", caller=None, query={"limit": str(PAGE), **query})
            try:
                answer = handler(event, LambdaContext())
            except ReadTimeoutError:
                # moto answers a Query by reading the whole index: past the function's
                # 5 s read timeout on a large table. Said, not hidden.
                rows.append([f"{size:,}", listing, "-", "-", counter.calls, EMULATOR_TOO_SLOW])
                continue
            returned = len(json.loads(answer["body"]))
            met = counter.scanned <= PAGE + 1 and counter.calls <= 2
            rows.append(
                [f"{size:,}", listing, returned, counter.scanned, counter.calls, verdict(met)]
            )
    return (
        "## Items read per page of the catalogue\n\n"
        f"`GET /products?limit={PAGE}` (GetProducts handler) as the Products table holds "
        "more products (written straight to the emulator in batches). `ScannedCount` is "
        "summed over the handler's DynamoDB calls. Target: at most page + 1 "
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


def _filler(products: Any) -> Callable[[int], None]:
    written = 0

    def fill(size: int) -> None:
        nonlocal written
        with products.batch_writer() as batch:
            for index in range(written, size):
                batch.put_item(Item=product_item(name=f"Product {index}"))
        written = size

    return fill
