"""The policy of a verified caller: exactly the routes of the caller's role, on this API."""

import pytest

from authorizer.errors import AuthorizationRefusedError
from authorizer.policy import policy_for
from authorizer.verification import Identity
from tests.builders.callers import ADMIN, EDITOR, SHOPPER, VIEWER, Caller
from tests.builders.events import method_arn
from tests.unit.auth.iam import is_allowed

# Every route of the API contract behind the authorizer (a concrete request for each) and
# who may call it; the open catalogue has no authorizer.
ROUTE_ACCESS = {
    ("POST", "/product"): {"admin"},
    ("DELETE", "/product/6f1c7a52-3b8e-4d0a-9a57-0c2f4e8b1d93"): {"admin"},
    ("POST", "/images"): {"admin"},
    ("GET", "/orders"): {"shopper", "viewer", "editor", "admin"},
    ("POST", "/order"): {"shopper", "viewer", "editor", "admin"},
    ("DELETE", "/order/0b5d3e1a-7c44-4e29-8f61-2a9d8c7e5f10"): {"admin"},
    # The config vault: a viewer reads, an editor also changes.
    ("GET", "/vault/distributions"): {"viewer", "editor", "admin"},
    ("GET", "/vault/distributions/E1ABC"): {"viewer", "editor", "admin"},
    ("GET", "/vault/distributions/E1ABC/versions"): {"viewer", "editor", "admin"},
    ("GET", "/vault/distributions/E1ABC/versions/3"): {"viewer", "editor", "admin"},
    ("GET", "/vault/distributions/E1ABC/diff"): {"viewer", "editor", "admin"},
    ("POST", "/vault/distributions"): {"editor", "admin"},
    ("POST", "/vault/distributions/E1ABC/versions"): {"editor", "admin"},
    ("POST", "/vault/distributions/E1ABC/versions/3/copy"): {"editor", "admin"},
    ("POST", "/vault/distributions/E1ABC/rollback"): {"editor", "admin"},
    # Users: the admin only.
    ("GET", "/vault/users"): {"admin"},
    ("POST", "/vault/users"): {"admin"},
    ("POST", "/vault/users/edith"): {"admin"},
    ("DELETE", "/vault/users/edith"): {"admin"},
    # Schedules are settings: a viewer reads them, an admin changes them.
    ("GET", "/vault/schedules"): {"viewer", "editor", "admin"},
    ("POST", "/vault/schedules"): {"admin"},
    ("POST", "/vault/schedules/hourly"): {"admin"},
    ("DELETE", "/vault/schedules/hourly"): {"admin"},
    # The audit trail is read as the versions are; the notification lists are an admin's.
    ("GET", "/vault/audit"): {"viewer", "editor", "admin"},
    ("GET", "/vault/notifications"): {"viewer", "editor", "admin"},
    ("POST", "/vault/notifications"): {"admin"},
}
NOT_ROUTES = [
    ("PUT", "/product"),
    ("GET", "/products"),
    ("GET", "/product/6f1c7a52"),
    ("PATCH", "/order/0b5d3e1a"),
    ("DELETE", "/products"),
    ("DELETE", "/orders"),
    ("GET", "/admin"),
    ("DELETE", "/vault/distributions/E1ABC"),
    ("PUT", "/vault/distributions/E1ABC/rollback"),
    ("GET", "/vault/schedules/hourly"),
    ("DELETE", "/vault/schedules"),
    ("DELETE", "/vault/notifications"),
]
CALLERS = {"shopper": SHOPPER, "viewer": VIEWER, "editor": EDITOR, "admin": ADMIN}


def identity_of(caller: Caller) -> Identity:
    return Identity(
        sub=caller.sub,
        username=caller.username,
        is_admin=caller.is_admin,
        vault_role=caller.vault_role,
    )


@pytest.mark.parametrize("role", CALLERS)
@pytest.mark.parametrize(("method", "path"), ROUTE_ACCESS, ids=" ".join)
def test_the_policy_allows_exactly_the_routes_of_the_role(
    role: str, method: str, path: str
) -> None:
    # Given the policy issued for the caller's first request, listing orders
    policy = policy_for(identity_of(CALLERS[role]), method_arn("GET", "/orders"))

    # When API Gateway reuses it for this route
    allowed = is_allowed(policy, method_arn(method, path))

    # Then the route is allowed if and only if the contract gives it to the role
    assert allowed is (role in ROUTE_ACCESS[method, path])


@pytest.mark.parametrize("role", CALLERS)
@pytest.mark.parametrize(("method", "path"), NOT_ROUTES, ids=" ".join)
def test_the_policy_allows_nothing_outside_the_contract(role: str, method: str, path: str) -> None:
    # Given / When
    policy = policy_for(identity_of(CALLERS[role]), method_arn("GET", "/orders"))

    # Then
    assert not is_allowed(policy, method_arn(method, path))


@pytest.mark.parametrize(
    "elsewhere",
    [
        {"stage": "prod"},
        {"api_id": "otherapi"},
        {"account_id": "210987654321"},
        {"region": "us-east-1"},
    ],
    ids=lambda changed: next(iter(changed)),
)
def test_the_policy_is_bound_to_the_api_and_stage_it_was_issued_for(
    elsewhere: dict[str, str],
) -> None:
    # Given an admin's policy for this API's stage
    policy = policy_for(identity_of(ADMIN), method_arn("GET", "/orders"))

    # When / Then it opens nothing on another stage, API, account or region
    assert not is_allowed(policy, method_arn("GET", "/orders", **elsewhere))


@pytest.mark.parametrize(("method", "path"), ROUTE_ACCESS, ids=" ".join)
def test_the_policy_does_not_depend_on_the_route_that_asked_for_it(method: str, path: str) -> None:
    # Given / When a shopper's first request is to any route
    policy = policy_for(identity_of(SHOPPER), method_arn(method, path))

    # Then the policy is the one a request to list orders gets (it is cached across routes)
    assert policy == policy_for(identity_of(SHOPPER), method_arn("GET", "/orders"))


@pytest.mark.parametrize("role", CALLERS)
def test_the_principal_and_context_describe_the_caller(role: str) -> None:
    # Given / When
    caller = CALLERS[role]
    policy = policy_for(identity_of(caller), method_arn("GET", "/orders"))

    # Then the functions behind the API learn who calls, as strings
    assert policy["principalId"] == caller.sub
    assert policy["context"] == {
        "username": caller.username,
        "sub": caller.sub,
        "is_admin": "true" if caller.is_admin else "false",
        "vault_role": caller.vault_role or "",
    }


def test_the_context_is_what_the_services_read_as_their_caller() -> None:
    # Given / When
    policy = policy_for(identity_of(ADMIN), method_arn("GET", "/orders"))

    # Then it matches the request context the service tests build for that caller
    assert {**policy["context"], "principalId": policy["principalId"]} == (
        ADMIN.authorizer_context()
    )


def test_a_malformed_method_arn_is_refused() -> None:
    # Given / When / Then
    with pytest.raises(AuthorizationRefusedError, match="methodArn"):
        policy_for(identity_of(SHOPPER), "arn:aws:execute-api")
