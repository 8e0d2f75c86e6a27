"""GET /vault/users: a page of the vault's users, admins first (admin)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_query
from shop_common.pagination import NEXT_CURSOR_HEADER
from vault import runtime, users
from vault.models import vault_caller_from
from vault.user_models import UserListQuery


def build_app(deps: users.UserDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.get("/vault/users")
    def get_users() -> Response[str]:
        caller = vault_caller_from(app.current_event)
        query = parse_query(app.current_event.query_string_parameters, UserListQuery)
        listing = users.list_users(caller, query, deps)
        headers = {NEXT_CURSOR_HEADER: listing.next_cursor} if listing.next_cursor else None
        return json_response(HTTPStatus.OK, listing.users, headers)

    return app


app = build_app(runtime.user_deps())
lambda_handler = entrypoint(app)
