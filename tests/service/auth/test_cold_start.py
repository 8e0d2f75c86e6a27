"""The authorizer's cold start runs before the first request of every route, so its init
loads no validation library heavier than msgspec (pydantic's import alone is about half of
`import boto3`'s: `make bench`)."""

from stacks.templates import AUTH_TEMPLATE, REPO_ROOT
from tests.builders.environments import loaded_at_init
from tests.builders.tokens import USER_POOL_ID

SOURCES = (REPO_ROOT / "auth_lambda" / "src",)


def test_the_authorizer_cold_start_loads_msgspec_not_pydantic() -> None:
    # Given the authorizer function, When Lambda's init phase imports its handler
    loaded = loaded_at_init(
        AUTH_TEMPLATE,
        "AuthorizerFunction",
        SOURCES,
        ("msgspec", "pydantic"),
        user_pool_id=USER_POOL_ID,
    )

    # Then its settings were validated with msgspec, and pydantic was never imported
    assert loaded == ["msgspec"]
