"""p50 / p99 of placing an order of 1 line and of 50 lines, over HTTP through the local stack.

Placing an order reads each line's product (its price) and writes the order and every
tracked line's stock reservation in one TransactWriteItems: a 50-line order is one
51-item transaction. Keep-alive HTTP/1.1 to the local stack (`make run`, a subprocess: gateway,
cached authorizer policy, the function's warm workers, moto's server), at concurrency 1 and
8, on products whose stock is tracked and ample (no order is refused). The emulator's time
is read from its DynamoDB request log (`bench.listing_latency.EmulatorClock`).

The emulator runs DynamoDB writes one at a time, and moto's
TransactWriteItems copies each table it writes to before it starts (to roll back), so its
time grows with the tables: these figures are the emulator's, not DynamoDB's.
"""

import http.client
import json
import os
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import boto3

from bench.common import User, admin_user, percentile, progress, shopper_user, stage, table
from bench.listing_latency import EmulatorClock
from tests.builders.data import address
from tests.e2e.stack import RunningStack

LINES = (1, 50)
REQUESTS = {1: 100, 8: 200}
STOCK = 1_000_000
HTTP_TIMEOUT_SECONDS = 120.0
CREATED = 201


@dataclass
class Cell:
    """The orders of one size at one concurrency."""

    lines: int
    concurrency: int
    load: float
    orders_before: int  # in the orders table as the cell started
    statuses: Counter[int] = field(default_factory=Counter)
    refusals: dict[int, Any] = field(default_factory=dict)  # the first answer per other status
    latencies: list[float] = field(default_factory=list)
    emulator: list[float] = field(default_factory=list)  # per order at concurrency 1: moto's time
    wall_seconds: float = 0.0


class OrderPlacing:
    """Products to order, and orders placed over HTTP by one shopper."""

    def __init__(self, stack: RunningStack, clock: EmulatorClock) -> None:
        self._port = stack.port
        self._stage = stage(stack)
        self._clock = clock
        self._orders_table = stack.table_name("OrdersTable")
        self._admin = admin_user(stack)
        self._shopper = shopper_user(stack, f"bench-lines-{uuid4().hex[:8]}")
        connection = self._connect()
        self._product_ids = [self._product(connection, index) for index in range(max(LINES))]
        connection.close()

    def _order_count(self) -> int:
        pages = boto3.client("dynamodb").get_paginator("scan")
        selected = pages.paginate(TableName=self._orders_table, Select="COUNT")
        return sum(int(page["Count"]) for page in selected)

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self._port, timeout=HTTP_TIMEOUT_SECONDS)

    def _post(
        self, connection: http.client.HTTPConnection, path: str, body: object, user: User
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {user.token}", "Content-Type": "application/json"}
        connection.request("POST", f"/{self._stage}{path}", body=json.dumps(body), headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")

    def _product(self, connection: http.client.HTTPConnection, index: int) -> str:
        body = {"name": f"Bench line {index}", "price": round(9.99 + index, 2), "stock": STOCK}
        status, product = self._post(connection, "/product", body, self._admin)
        if status != 201:
            raise RuntimeError(f"POST /product answered {status}: {product}")
        return str(product["product_id"])

    def measure(self, lines: int, concurrency: int, count: int) -> Cell:
        body = {
            "lines": [
                {"product_id": product_id, "quantity": 1}
                for product_id in self._product_ids[:lines]
            ],
            "address": address(),
        }
        cell = Cell(lines, concurrency, os.getloadavg()[0], self._order_count())
        lock = threading.Lock()

        def place(connection: http.client.HTTPConnection) -> None:
            for _ in range(count // concurrency):
                if concurrency == 1:
                    self._clock.wait_idle()
                    self._clock.take()
                started = time.perf_counter()
                status, answer = self._post(connection, "/order", body, self._shopper)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    cell.statuses[status] += 1
                    if status != CREATED:
                        cell.refusals.setdefault(status, answer)
                    cell.latencies.append(elapsed)
                if concurrency == 1:
                    self._clock.wait_idle()
                    cell.emulator.append(sum(self._clock.take()))

        connections = [self._connect() for _ in range(concurrency)]
        with ThreadPoolExecutor(concurrency) as pool:
            # One order per connection first, untimed, so that every worker is warm.
            list(pool.map(lambda c: self._post(c, "/order", body, self._shopper), connections))
            started = time.perf_counter()
            list(pool.map(place, connections))
            cell.wall_seconds = time.perf_counter() - started
        for connection in connections:
            connection.close()
        return cell


def report(stack: RunningStack) -> str:
    placing = OrderPlacing(stack, EmulatorClock(stack.emulator_url))
    cells = []
    for lines in LINES:
        for concurrency, count in REQUESTS.items():
            progress(f"  {lines}-line orders at concurrency {concurrency}")
            cells.append(placing.measure(lines, concurrency, count))
    refusals = [
        f"- {cell.lines} lines at concurrency {cell.concurrency}, the first {status}: "
        f"`{json.dumps(answer)}`"
        for cell in cells
        for status, answer in sorted(cell.refusals.items())
    ]
    return (
        "## Placing an order through the local stack\n\n"
        "`POST /order` of 1 line and of 50 lines (each line 1 of a product whose stock is "
        "tracked and ample), over keep-alive HTTP to the local stack, signed in as a shopper, "
        f"{REQUESTS[1]} orders at concurrency 1 and {REQUESTS[8]} at 8 per size, after one "
        "untimed order per connection. p50 / p99 in milliseconds over every request, whatever "
        "its status; orders per second. *moto*: the time moto's server spent on the order's "
        "DynamoDB calls (at concurrency 1). *table*: the orders in the table as the cell "
        "started. DynamoDB writes run one at a time in the emulator, and moto's "
        "TransactWriteItems copies each table it writes to (every item) before it starts, so "
        "its time grows with the orders table: these are the emulator's figures, not "
        "DynamoDB's. Load: the machine's 1-minute load average as the cell started (2 cores, "
        "shared).\n\n"
        + table(
            [
                "lines",
                "conc.",
                "orders",
                "statuses",
                "p50 / p99",
                "moto p50 / p99",
                "per s",
                "table",
                "load",
            ],
            [_row(cell) for cell in cells],
        )
        + ("\nAnswers other than 201:\n\n" + "\n".join(refusals) + "\n" if refusals else "")
    )


def _row(cell: Cell) -> list[object]:
    statuses = ", ".join(f"{count}x {status}" for status, count in sorted(cell.statuses.items()))
    return [
        cell.lines,
        cell.concurrency,
        len(cell.latencies),
        statuses,
        _p50_p99(cell.latencies),
        _p50_p99(cell.emulator),
        f"{len(cell.latencies) / cell.wall_seconds:.1f}",
        f"{cell.orders_before:,}",
        f"{cell.load:.1f}",
    ]


def _p50_p99(samples: list[float]) -> str:
    if not samples:
        return "-"
    return f"{percentile(samples, 0.5):.0f} / {percentile(samples, 0.99):.0f}"
