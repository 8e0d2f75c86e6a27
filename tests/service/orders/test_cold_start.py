"""A cold start loads what the function's first request needs, not what other functions or
later requests need: the API's functions leave the mail transports out, and Powertools'
idempotency utility waits for the first order placed with an Idempotency-Key.

Each handler module is imported in a process of its own with the function's environment, as
Lambda's init phase imports it (the time it takes is `make bench`'s, not a test's).
"""

import pytest

from stacks.templates import REPO_ROOT, SERVICE_TEMPLATES
from tests.builders.environments import loaded_at_init

ORDERS = SERVICE_TEMPLATES["orders"]
SOURCES = (
    REPO_ROOT / "services" / "orders" / "src",
    REPO_ROOT / "services" / "common",
    REPO_ROOT,
)
IDEMPOTENCY = "aws_lambda_powertools.utilities.idempotency"
MAIL = ("smtplib", "shop_common.mail", "orders.notifications")


@pytest.mark.parametrize(
    "function",
    ["GetOrdersFunction", "GetOrderFunction", "DeleteOrderFunction", "UpsertOrderFunction"],
)
def test_an_api_function_cold_start_loads_neither_mail_nor_idempotency(function: str) -> None:
    # Given a function of the API, When Lambda's init phase imports its handler
    loaded = loaded_at_init(ORDERS, function, SOURCES, (IDEMPOTENCY, *MAIL))

    # Then neither the mail transports nor the idempotency utility are loaded
    assert loaded == []


def test_the_notifier_cold_start_loads_its_mail_and_idempotency() -> None:
    # Given the function that e-mails order changes, When Lambda's init phase imports it
    loaded = loaded_at_init(
        ORDERS, "NotifyOrderFunction", SOURCES, (IDEMPOTENCY, "shop_common.mail")
    )

    # Then what its first record needs is loaded at init, not at that record
    assert loaded == [IDEMPOTENCY, "shop_common.mail"]
