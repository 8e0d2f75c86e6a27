"""A vault function's cold start makes the clients its route uses and no other: the S3
client for a route that reads configuration bodies, CloudFront's (with ACM's and Lambda's,
which check a configuration's references) for one that reads or changes CloudFront, and
only the user functions load the user pool's models and client.

Each handler module is imported in a process of its own with the function's environment, as
Lambda's init phase imports it (the time it takes is `make bench`'s, not a test's).
"""

import pytest

from stacks.templates import REPO_ROOT, SERVICE_TEMPLATES
from tests.builders.environments import clients_made_at_init, loaded_at_init

VAULT = SERVICE_TEMPLATES["vault"]
SOURCES = (REPO_ROOT / "services" / "vault" / "src", REPO_ROOT / "services" / "common")
USER_MODULES = ("vault.user_pool", "vault.users")


TABLE_ONLY = ["dynamodb"]
WITH_BODIES = ["dynamodb", "s3"]
CHANGES_CLOUDFRONT = ["acm", "cloudfront", "dynamodb", "lambda", "s3"]


@pytest.mark.parametrize(
    ("function", "clients"),
    [
        ("GetVaultDistributionsFunction", TABLE_ONLY),
        ("GetVaultVersionsFunction", TABLE_ONLY),
        ("GetVaultAuditFunction", TABLE_ONLY),
        ("GetVaultNotificationsFunction", TABLE_ONLY),
        ("SetVaultNotificationsFunction", TABLE_ONLY),
        ("GetVaultSchedulesFunction", ["dynamodb", "scheduler"]),
        ("GetVaultUsersFunction", ["cognito-identity-provider", "dynamodb"]),
        ("GetVaultDistributionFunction", WITH_BODIES),
        ("GetVaultVersionFunction", WITH_BODIES),
        ("GetVaultDiffFunction", CHANGES_CLOUDFRONT),
        ("CaptureVaultVersionFunction", CHANGES_CLOUDFRONT),
        ("DetectVaultChangesFunction", CHANGES_CLOUDFRONT),
    ],
)
def test_a_cold_start_makes_the_clients_of_its_route(function: str, clients: list[str]) -> None:
    # Given a vault function, When Lambda's init phase imports its handler
    made = clients_made_at_init(VAULT, function, SOURCES)

    # Then it makes every client its route uses (not at its first request), and no other
    assert made == clients


@pytest.mark.parametrize(
    ("function", "loaded"),
    [
        ("GetVaultDistributionsFunction", []),
        ("CaptureVaultVersionFunction", []),
        ("GetVaultUsersFunction", list(USER_MODULES)),
    ],
)
def test_only_a_user_function_loads_the_user_pool(function: str, loaded: list[str]) -> None:
    # Given a vault function, When Lambda's init phase imports its handler
    # Then the user pool's modules are loaded by the user functions alone
    assert loaded_at_init(VAULT, function, SOURCES, USER_MODULES) == loaded
