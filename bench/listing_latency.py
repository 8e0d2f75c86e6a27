"""p50 / p99 of a page of each listing over HTTP through the local stack, as the tables grow
to 1,000, 10,000 and 100,000 items (filled by `bench.scanned` and `bench.catalogue`, which call
back here at each size), and how much of it is the emulator's.

Every DynamoDB request moto's server (in the stack's process) answers is timed, as its
request log gives it: a listing reads at
most its page + 1 items in one Query (the items-read tables), so in DynamoDB its cost stays
the page's; moto answers a Query on an index by walking and sorting the whole table in
Python, so its share grows with the table. What is left, the answer's time less the
emulator's, is the function and the gateway (routing, the cached authorizer policy, the proxy
event, the worker's pipe, the handler and its HTTP round trip to the emulator).

One request at a time; before each, the emulator is idle (a call the function abandoned on a
timeout may still be running in moto and is waited for, not left to slow the next sample).
"""

import http.client
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests

from bench import catalogue, scanned
from bench.common import User, admin_user, median, percentile, progress, stage, table
from tests.e2e.stack import RunningStack

PAGE = 50
# Requests per listing and page (first, cursor): up to MAX_SAMPLES, as many as CELL_SECONDS
# allow past MIN_SAMPLES (on large tables each is moto walking the whole table, seconds).
MAX_SAMPLES = 100
MIN_SAMPLES = 3
CELL_SECONDS = 60.0
IDLE_GIVE_UP_SECONDS = 600.0
HTTP_TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True)
class Listing:
    """A listing as a request names it: the route and its query (besides limit and cursor)."""

    name: str
    path: str
    query: dict[str, str]


ORDER_LISTINGS = (
    # (listing, who asks): the shopper's status filter has 60 matches, so a second page.
    (Listing("admin, newest first", "/orders", {}), "admin"),
    (
        Listing(
            f"admin, ?status={scanned.RARE_STATUS} (1 % match)",
            "/orders",
            {"status": scanned.RARE_STATUS},
        ),
        "admin",
    ),
    (Listing("shopper, ?status=shipped", "/orders", {"status": "shipped"}), "shopper"),
)
PRODUCT_LISTINGS = tuple(
    Listing(f"products {name}", "/products", query) for name, query in catalogue.LISTINGS.items()
)


class EmulatorClock:
    """The DynamoDB requests the stack's AWS emulator answered and how long each took (from
    the parsed request to the serialized answer), read from its request log: a local-only,
    read-only endpoint (`GET /_local/dynamodb/requests`; in AWS the nearest figure is
    CloudWatch's per-operation `SuccessfulRequestLatency`)."""

    def __init__(self, emulator_url: str) -> None:
        self._url = f"{emulator_url}/_local/dynamodb/requests"
        self._session = requests.Session()
        self._after = 0
        self.take()

    def _read(self) -> dict[str, Any]:
        answer: dict[str, Any] = self._session.get(
            self._url, params={"after": self._after}, timeout=30
        ).json()
        return answer

    def wait_idle(self) -> None:
        """Until no request is in the emulator (one the function gave up on still runs there)."""
        deadline = time.monotonic() + IDLE_GIVE_UP_SECONDS
        while time.monotonic() < deadline:
            if self._read()["in_flight"] == 0:
                return
            time.sleep(0.01)
        progress(f"  the emulator still busy after {IDLE_GIVE_UP_SECONDS:.0f} s: going on")

    def take(self) -> list[float]:
        """The requests' durations (ms) since the last take."""
        finished = self._read()["requests"]
        if finished:
            self._after = finished[-1]["sequence"]
        return [float(entry["ms"]) for entry in finished]


@dataclass
class Cell:
    """The requests of one listing's page at one table size."""

    size: int
    listing: str
    page: str
    load: float
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    emulator: list[float] = field(default_factory=list)  # per answered request: moto's time
    rest: list[float] = field(default_factory=list)  # per answered request: all but moto's
    moto_calls: list[int] = field(default_factory=list)  # DynamoDB requests per request
    moto_call_ms: list[float] = field(default_factory=list)  # each DynamoDB request's time


class ListingLatency:
    """Measures each listing at each size the fillers reach; `report()` is the table."""

    def __init__(self, stack: RunningStack, clock: EmulatorClock) -> None:
        self._stack = stack
        self._clock = clock
        self._stage = stage(stack)
        self._cells: list[Cell] = []
        # A cursor from a smaller table still names an item of the larger one: used when the
        # first page of the larger one does not answer (so its cursor is unknown).
        self._cursors: dict[str, str] = {}

    def orders(self, size: int, admin: User, shopper: User) -> None:
        users = {"admin": admin, "shopper": shopper}
        for listing, who in ORDER_LISTINGS:
            self._measure(size, listing, users[who])

    def products(self, size: int) -> None:
        user = admin_user(self._stack)
        for listing in PRODUCT_LISTINGS:
            self._measure(size, listing, user)

    def _measure(self, size: int, listing: Listing, user: User) -> None:
        progress(f"  {listing.name} at {size:,}")
        connection = http.client.HTTPConnection(
            "127.0.0.1", self._stack.port, timeout=HTTP_TIMEOUT_SECONDS
        )
        headers = {"Authorization": f"Bearer {user.token}"}
        first = {"limit": str(PAGE), **listing.query}
        status, cursor = self._send(connection, listing.path, first, headers)  # warms it
        if status == 200:
            self._cursors.pop(listing.name, None)
            if cursor:
                self._cursors[listing.name] = cursor
        pages = {"first": first}
        if listing.name in self._cursors:
            pages["cursor"] = {**first, "cursor": self._cursors[listing.name]}
        for page, query in pages.items():
            cell = Cell(size, listing.name, page, os.getloadavg()[0])
            started = time.monotonic()
            while len(cell.latencies) < MAX_SAMPLES and (
                len(cell.latencies) < MIN_SAMPLES or time.monotonic() - started < CELL_SECONDS
            ):
                self._sample(cell, connection, listing.path, query, headers)
            self._cells.append(cell)
        connection.close()

    def _send(
        self,
        connection: http.client.HTTPConnection,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
    ) -> tuple[int, str | None]:
        connection.request("GET", f"/{self._stage}{path}?{urlencode(query)}", headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("X-Next-Cursor")

    def _sample(
        self,
        cell: Cell,
        connection: http.client.HTTPConnection,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
    ) -> None:
        self._clock.wait_idle()
        self._clock.take()
        started = time.perf_counter()
        status, _ = self._send(connection, path, query, headers)
        elapsed = (time.perf_counter() - started) * 1000
        self._clock.wait_idle()  # what the function abandoned is the request's too
        durations = self._clock.take()
        cell.statuses[status] += 1
        cell.latencies.append(elapsed)
        cell.moto_calls.append(len(durations))
        cell.moto_call_ms += durations
        if status == 200:
            cell.emulator.append(sum(durations))
            cell.rest.append(elapsed - sum(durations))

    def report(self) -> str:
        rows = [_row(cell) for cell in self._cells]
        return (
            "## Listing latency through the local stack\n\n"
            f"`GET /orders` and `GET /products` with `limit={PAGE}`, over keep-alive HTTP to "
            "the local stack (gateway, cached authorizer policy, the function's warm worker, "
            "moto's server), one request at a time, signed in as the listing's user, as "
            "the tables grow (the items-read tables' data). Requests per listing and page: "
            f"{MAX_SAMPLES}, or as many as {CELL_SECONDS:.0f} s allow (at least {MIN_SAMPLES}); "
            "with fewer than 100 the p99 is the slowest. *first*: the first page; *cursor*: "
            "the page its `X-Next-Cursor` reaches. p50 / p99 in milliseconds over every "
            "request, whatever its status. "
            "*moto*: the time moto's server spent answering the request's DynamoDB calls; "
            "*function + gateway*: the answer's time less moto's (answered requests only). "
            "*calls*: the DynamoDB requests moto received per request (the function's client "
            "retries a read that times out). Load: the machine's 1-minute load average as the "
            "cell started (2 cores, shared).\n\n"
            + table(
                [
                    "items",
                    "listing",
                    "page",
                    "requests",
                    "statuses",
                    "p50 / p99",
                    "moto p50 / p99",
                    "function + gateway p50 / p99",
                    "calls",
                    "one moto call (median)",
                    "load",
                ],
                rows,
            )
        )


def _row(cell: Cell) -> list[object]:
    statuses = ", ".join(f"{count}x {status}" for status, count in sorted(cell.statuses.items()))
    return [
        f"{cell.size:,}",
        cell.listing,
        cell.page,
        len(cell.latencies),
        statuses,
        _p50_p99(cell.latencies),
        _p50_p99(cell.emulator),
        _p50_p99(cell.rest),
        "-".join(str(n) for n in sorted({min(cell.moto_calls), max(cell.moto_calls)})),
        f"{median(cell.moto_call_ms):.0f}" if cell.moto_call_ms else "-",
        f"{cell.load:.1f}",
    ]


def _p50_p99(samples: list[float]) -> str:
    if not samples:
        return "-"
    return f"{percentile(samples, 0.5):.0f} / {percentile(samples, 0.99):.0f}"


def sections(
    stack: RunningStack,
    counter: scanned.ScanCounter,
    parts: tuple[str, ...] = ("orders", "products"),
) -> list[str]:
    """The items-read tables of `parts` and the latency table, from one filling of the
    tables."""
    measured = ListingLatency(stack, EmulatorClock(stack.emulator_url))
    found = []
    if "orders" in parts:
        found.append(scanned.report(stack, counter, at_each_size=measured.orders))
    if "products" in parts:
        found.append(catalogue.report(stack, counter, at_each_size=measured.products))
    return [*found, measured.report()]
