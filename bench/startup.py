"""Time from `make run` to the first successful `GET /products` (the virtualenv built)."""

import os
import signal
import subprocess
import time

import requests

from bench.common import free_port, median, table, verdict
from local.shop import Options
from local.templates import REPO_ROOT

RUNS = 3
TARGET_SECONDS = 10.0
GIVE_UP_SECONDS = 120.0


def seconds_to_first_products() -> float:
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if key != "AWS_ENDPOINT_URL"}
    started = time.perf_counter()
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while time.perf_counter() - started < GIVE_UP_SECONDS:
            if _products_answer(f"http://127.0.0.1:{port}/"):
                return time.perf_counter() - started
            time.sleep(0.05)
        raise TimeoutError(f"no GET /products within {GIVE_UP_SECONDS} s")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)


def _products_answer(base_url: str) -> bool:
    """Signs in as the admin (Cognito through the stack) and lists the products: 200?"""
    try:
        config = requests.get(f"{base_url}config.json", timeout=2).json()
        auth = requests.post(
            config["cognitoEndpoint"],
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
            },
            json={
                "ClientId": config["userPoolClientId"],
                "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {
                    "USERNAME": Options.admin_username,
                    "PASSWORD": Options.admin_password,
                },
            },
            timeout=5,
        )
        token = auth.json()["AuthenticationResult"]["IdToken"]
        products = requests.get(
            f"{config['apiUrl']}/products", headers={"Authorization": f"Bearer {token}"}, timeout=5
        )
    except (requests.RequestException, ValueError, KeyError):
        return False
    return products.status_code == 200


def report() -> str:
    timings = [seconds_to_first_products() for _ in range(RUNS)]
    middle = median(timings)
    return (
        "## Start-up\n\n"
        f"`make run` (virtualenv built) until a signed-in `GET /products` answers 200, median of "
        f"{RUNS} runs (each: {', '.join(f'{t:.1f} s' for t in timings)}).\n\n"
        + table(
            ["", "time", f"target < {TARGET_SECONDS:.0f} s"],
            [
                [
                    "make run to first GET /products",
                    f"{middle:.1f} s",
                    verdict(middle < TARGET_SECONDS),
                ]
            ],
        )
    )
