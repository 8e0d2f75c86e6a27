"""DELETE /vault/users/{username}: sign the user out everywhere and delete them (204); never
the last admin (409) (admin)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_path
from vault import runtime, users
from vault.models import vault_caller_from
from vault.user_models import UserKey


def build_app(deps: users.UserDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.delete("/vault/users/<username>")
    def remove_user(username: str) -> Response[str]:
        caller = vault_caller_from(app.current_event)
        key = parse_path({"username": username}, UserKey)
        users.remove(caller, key.username, deps)
        return json_response(HTTPStatus.NO_CONTENT)

    return app


app = build_app(runtime.user_deps())
lambda_handler = entrypoint(app)
