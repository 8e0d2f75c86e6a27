"""Resident memory of the whole local stack (`make run`) with every function warm."""

from pathlib import Path

import requests

from bench.common import table, verdict
from bench.startup import wait_for_products
from tests.builders.data import order_request
from tests.e2e.stack import local_stack

TARGET_MIB = 1024


def report() -> str:
    with local_stack() as shop:
        token = wait_for_products(shop)
        _warm_every_function(shop.base_url, token)
        sizes = _resident_kib(shop.process.pid)
    total_mib = sum(sizes.values()) / 1024
    workers = {name: size for name, size in sizes.items() if "lambda_runtime" in name}
    handlers = {
        next(arg for arg in name.split() if arg.endswith(".lambda_handler")) for name in workers
    }
    stack = sum(size for name, size in sizes.items() if "-m local" in name)
    rows = [
        ["the stack's process (emulator, gateway, site)", f"{stack / 1024:.0f} MiB", ""],
        [
            f"{len(workers)} warm workers of {len(handlers)} functions",
            f"{sum(workers.values()) / 1024:.0f} MiB ({min(workers.values()) / 1024:.0f}-"
            f"{max(workers.values()) / 1024:.0f} each)",
            "",
        ],
        ["whole stack (make included)", f"{total_mib:.0f} MiB", verdict(total_mib < TARGET_MIB)],
    ]
    return (
        "## Memory\n\n"
        "Sum of the resident set sizes (`VmRSS`) of `make run`'s processes once every function "
        "has answered at least once (a function the start-up's requests reached while its "
        "first worker was busy has a second one). Target: under "
        f"{TARGET_MIB // 1024} GiB.\n\n" + table(["", "resident", "target < 1 GiB"], rows)
    )


def _warm_every_function(base_url: str, token: str) -> None:
    api = requests.get(f"{base_url}config.json", timeout=5).json()["apiUrl"]
    headers = {"Authorization": f"Bearer {token}"}
    product = requests.post(
        f"{api}/product", json={"name": "Memory", "price": 1}, headers=headers, timeout=30
    ).json()
    order = requests.post(
        f"{api}/order",
        json=order_request(product["product_id"], quantity=1),
        headers=headers,
        timeout=30,
    ).json()
    requests.get(f"{api}/orders", headers=headers, timeout=30)
    requests.get(f"{api}/product/{product['product_id']}", headers=headers, timeout=30)
    requests.post(f"{api}/images", json={"content_type": "image/png"}, headers=headers, timeout=30)
    requests.delete(f"{api}/order/{order['order_id']}", headers=headers, timeout=30)
    requests.delete(f"{api}/product/{product['product_id']}", headers=headers, timeout=30)


def _resident_kib(root: int) -> dict[str, int]:
    """Each process of `root`'s tree (Linux /proc): its command line -> VmRSS in KiB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    sizes, pending = {}, [root]
    while pending:
        pid = pending.pop()
        pending += children.get(pid, [])
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
        except OSError:
            continue
        rss = next((line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")), 0)
        sizes[f"{pid} {command}"] = int(rss)
    return sizes
