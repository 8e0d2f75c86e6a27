"""The IAM policy a caller gets: every route of the API this caller may invoke.

API Gateway caches the policy per token (60 s) and reuses it for every route, so it lists
all the caller's routes, not only the one being called. This table is the one place that
says which role may call which route: the shop's (admin or any signed-in caller), and for
the config vault's routes the least vault role (viewer < editor < admin). The open
catalogue (`GET /products`, `GET /product/{product_id}`) has no authorizer, so it is not
listed.
"""

from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerResponse,
    HttpVerb,
    parse_api_gateway_arn,
)

from authorizer.errors import AuthorizationRefusedError
from authorizer.verification import VAULT_ROLE_GROUPS, Identity


@dataclass(frozen=True)
class Route:
    method: HttpVerb
    # As it appears in a method ARN: a path parameter is `*`.
    resource: str
    admin_only: bool = False
    # A vault route: the least vault role that may call it.
    vault_role: str | None = None

    def allows(self, identity: Identity) -> bool:
        if self.vault_role is not None:
            return _vault_rank(identity.vault_role) >= _vault_rank(self.vault_role)
        return identity.is_admin or not self.admin_only


ROUTES: tuple[Route, ...] = (
    Route(HttpVerb.POST, "/product", admin_only=True),
    Route(HttpVerb.DELETE, "/product/*", admin_only=True),
    Route(HttpVerb.POST, "/images", admin_only=True),
    Route(HttpVerb.GET, "/orders", admin_only=False),
    Route(HttpVerb.POST, "/order", admin_only=False),
    Route(HttpVerb.GET, "/order/*", admin_only=False),
    Route(HttpVerb.DELETE, "/order/*", admin_only=True),
    Route(HttpVerb.POST, "/partner", admin_only=True),
    Route(HttpVerb.GET, "/partners", admin_only=True),
    Route(HttpVerb.POST, "/partner/*", admin_only=True),
    Route(HttpVerb.DELETE, "/partner/*", admin_only=True),
    Route(HttpVerb.GET, "/vault/distributions", vault_role="viewer"),
    Route(HttpVerb.GET, "/vault/distributions/*", vault_role="viewer"),
    Route(HttpVerb.GET, "/vault/distributions/*/versions", vault_role="viewer"),
    Route(HttpVerb.GET, "/vault/distributions/*/versions/*", vault_role="viewer"),
    Route(HttpVerb.GET, "/vault/distributions/*/diff", vault_role="viewer"),
    Route(HttpVerb.POST, "/vault/distributions", vault_role="editor"),
    Route(HttpVerb.POST, "/vault/distributions/*/versions", vault_role="editor"),
    Route(HttpVerb.POST, "/vault/distributions/*/versions/*/copy", vault_role="editor"),
    Route(HttpVerb.POST, "/vault/distributions/*/rollback", vault_role="editor"),
    Route(HttpVerb.GET, "/vault/users", vault_role="admin"),
    Route(HttpVerb.POST, "/vault/users", vault_role="admin"),
    Route(HttpVerb.POST, "/vault/users/*", vault_role="admin"),
    Route(HttpVerb.DELETE, "/vault/users/*", vault_role="admin"),
    # Schedules are settings: an admin's.
    Route(HttpVerb.GET, "/vault/schedules", vault_role="viewer"),
    Route(HttpVerb.POST, "/vault/schedules", vault_role="admin"),
    Route(HttpVerb.POST, "/vault/schedules/*", vault_role="admin"),
    Route(HttpVerb.DELETE, "/vault/schedules/*", vault_role="admin"),
    # The audit trail is read like the versions; the notification lists are a setting.
    Route(HttpVerb.GET, "/vault/audit", vault_role="viewer"),
    Route(HttpVerb.GET, "/vault/notifications", vault_role="viewer"),
    Route(HttpVerb.POST, "/vault/notifications", vault_role="admin"),
)


def _vault_rank(role: str | None) -> int:
    """viewer 1, editor 2, admin 3; no role 0."""
    if role is None:
        return 0
    return len(VAULT_ROLE_GROUPS) - VAULT_ROLE_GROUPS.index(role)


def routes_for(identity: Identity) -> tuple[Route, ...]:
    return tuple(route for route in ROUTES if route.allows(identity))


def policy_for(identity: Identity, method_arn: str) -> dict[str, Any]:
    """Allow the caller's routes on the API and stage that `method_arn` belongs to."""
    try:
        arn = parse_api_gateway_arn(method_arn)
    except IndexError as exc:
        raise AuthorizationRefusedError(f"malformed methodArn {method_arn!r}") from exc
    response = APIGatewayAuthorizerResponse(
        principal_id=identity.sub,
        region=arn.region,
        aws_account_id=arn.aws_account_id,
        api_id=arn.api_id,
        stage=arn.stage,
        # API Gateway hands context values to the functions as strings; these already are.
        context={
            "username": identity.username,
            "sub": identity.sub,
            "is_admin": "true" if identity.is_admin else "false",
            "vault_role": identity.vault_role or "",
        },
        partition=arn.partition,
    )
    for route in routes_for(identity):
        response.allow_route(route.method.value, route.resource)
    return response.asdict()
