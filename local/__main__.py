"""`python -m local` (what `make run` starts): the whole shop on 127.0.0.1 until Ctrl-C."""

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from local.apigateway.gateway import log_line
from local.aws import DEFAULT_REGION, LOOPBACK
from local.shop import LocalShop, Options

DEFAULT_ADMIN_USERNAME = Options.admin_username
DEFAULT_ADMIN_PASSWORD = Options.admin_password


def parse_options(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(prog="python -m local", description=__doc__)
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", "8000")),
        help="default: $PORT or 8000",
    )
    parser.add_argument(
        "--persist",
        action="store_true",
        help="keep the data across restarts (saved to .local-state/ on exit, restored on start)",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=Options.state_dir,
        help="where --persist keeps the state (default: .local-state/ in the repository)",
    )
    parser.add_argument(
        "--parameter-overrides",
        nargs="*",
        default=[],
        metavar="NAME=VALUE",
        help="template parameters as `sam deploy` takes them (e.g. ThrottlingRateLimit=1000)",
    )
    parser.add_argument(
        "--mail-dir",
        type=Path,
        default=None,
        help="the Maildir the local mail server keeps every message in (default: STATE_DIR/mail)",
    )
    parser.add_argument(
        "--max-workers",
        type=int,
        default=Options.max_workers,
        help="worker processes per function before requests queue (default: %(default)s)",
    )
    arguments = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in arguments.parameter_overrides)
    return Options(
        port=arguments.port,
        persist=arguments.persist,
        state_dir=arguments.state_dir,
        admin_username=os.environ.get("SHOP_ADMIN_USERNAME", DEFAULT_ADMIN_USERNAME),
        admin_password=os.environ.get("SHOP_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD),
        parameter_overrides=overrides,
        max_workers=max(1, arguments.max_workers),
        mail_dir=arguments.mail_dir,
        region=os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION,
    )


def banner(shop: LocalShop) -> str:
    options = shop.options
    admin_source = (
        ""
        if "SHOP_ADMIN_PASSWORD" in os.environ
        else " (defaults; set SHOP_ADMIN_USERNAME / SHOP_ADMIN_PASSWORD)"
    )
    return "\n".join(
        [
            f"Shop local stack, stage {shop.gateway.api.stage}, region {options.region}",
            f"  Web client    {shop.base_url}",
            f"  API           {shop.api_url}",
            f"  Cognito       {shop.base_url}cognito/",
            f"  config.json   {shop.base_url}config.json",
            f"  AWS emulator  {shop.endpoint_url}",
            f"  Mail (SES)    smtp://{LOOPBACK}:{shop.mail.port}, "
            f"every message kept in {shop.mail.mail_dir}",
            f"  Admin         {options.admin_username} / {options.admin_password}{admin_source}",
            f"Shop is ready at {shop.base_url} (Ctrl-C to stop)",
        ]
    )


class StopRequests:
    """Ctrl-C (or SIGTERM) asks the stack to stop: it lets the requests under way finish and
    saves what `--persist` keeps. A second one, while it stops, ends the process at once
    (`end_now`): the function workers, whose request pipes then close, exit on their own."""

    def __init__(self, end_now: Callable[[int], object] = os._exit) -> None:
        self.requested = threading.Event()
        self._end_now = end_now

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if not self.requested.is_set():
            self.requested.set()
            return
        log_line("Stopped at once: requests under way dropped, the state not saved")
        self._end_now(128 + signum)


def main(argv: list[str]) -> int:
    options = parse_options(argv)
    stop = StopRequests()
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    with LocalShop(options, announce=log_line) as shop:
        log_line(banner(shop))
        stop.requested.wait()
        log_line("Stopping (Ctrl-C again to stop at once)")
    log_line("Stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
