"""Requests sent all at once, each from a thread of its own."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor


def all_at_once[Answer](count: int, send: Callable[[int], Answer]) -> list[Answer]:
    """`send(0)` ... `send(count - 1)`, each on a thread of its own, released together."""
    start = threading.Barrier(count)

    def released(index: int) -> Answer:
        start.wait()
        return send(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(released, range(count)))
