"""POST /vault/users {username, email, role}: invite a user; Cognito e-mails them a temporary
password (201 with the user) (admin)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_body
from vault import runtime, users
from vault.models import vault_caller_from
from vault.user_models import InviteIn


def build_app(deps: users.UserDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.post("/vault/users")
    def invite_user() -> Response[str]:
        caller = vault_caller_from(app.current_event)
        request = parse_body(app.current_event.decoded_body, InviteIn)
        return json_response(HTTPStatus.CREATED, users.invite(caller, request, deps))

    return app


app = build_app(runtime.user_deps())
lambda_handler = entrypoint(app)
