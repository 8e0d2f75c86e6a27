"""Time from `make run` (a clean environment: PATH and HOME) to the first signed-in
`GET /products` (the virtualenv built)."""

import time

import requests

from bench.common import median, table, verdict
from tests.e2e.stack import RunningStack, local_stack

RUNS = 3
TARGET_SECONDS = 10.0
GIVE_UP_SECONDS = 120.0


def seconds_to_first_products() -> float:
    """`make run` as a newcomer types it (only PATH and HOME) to a signed-in GET /products."""
    started = time.perf_counter()
    with local_stack() as stack:
        wait_for_products(stack)
        return time.perf_counter() - started


def wait_for_products(stack: RunningStack) -> str:
    """Polls until the admin the stack printed signs in and `GET /products` answers 200; the
    admin's token."""
    started = time.perf_counter()
    while time.perf_counter() - started < GIVE_UP_SECONDS:
        token = _products_answer(stack.base_url, stack.admin_username, stack.admin_password)
        if token is not None:
            return token
        time.sleep(0.05)
    raise TimeoutError(f"no GET /products within {GIVE_UP_SECONDS} s")


def _products_answer(base_url: str, username: str, password: str) -> str | None:
    """Signs in as the admin (Cognito through the stack) and lists the products: the token
    that got a 200, or None."""
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
                    "USERNAME": username,
                    "PASSWORD": password,
                },
            },
            timeout=5,
        )
        token: str = auth.json()["AuthenticationResult"]["IdToken"]
        products = requests.get(
            f"{config['apiUrl']}/products", headers={"Authorization": f"Bearer {token}"}, timeout=5
        )
    except (requests.RequestException, ValueError, KeyError):
        return None
    return token if products.status_code == 200 else None


def report() -> str:
    timings = [seconds_to_first_products() for _ in range(RUNS)]
    middle = median(timings)
    return (
        "## Start-up\n\n"
        f"`make run` (virtualenv built; only PATH and HOME in its environment) until a "
        f"signed-in `GET /products` answers 200, median of "
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
