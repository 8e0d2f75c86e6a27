"""POST /vault/users/{username} {"role": ...} or {"action": "reset_password"}: change the
user's role (a demoted user is signed out everywhere) or send them a new password (admin)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_body, parse_path
from vault import runtime, users
from vault.models import vault_caller_from
from vault.user_models import UserChangeIn, UserKey


def build_app(deps: users.UserDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.post("/vault/users/<username>")
    def update_user(username: str) -> Response[str]:
        caller = vault_caller_from(app.current_event)
        key = parse_path({"username": username}, UserKey)
        request = parse_body(app.current_event.decoded_body, UserChangeIn)
        return json_response(HTTPStatus.OK, users.change(caller, key.username, request, deps))

    return app


app = build_app(runtime.user_deps())
lambda_handler = entrypoint(app)
