"""GET /vault/notifications: each event's list of addresses (viewer)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response
from vault import notifications, runtime
from vault.dependencies import VaultRecords
from vault.models import vault_caller_from


def build_app(deps: VaultRecords) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.get("/vault/notifications")
    def get_notifications() -> Response[str]:
        caller = vault_caller_from(app.current_event)
        return json_response(HTTPStatus.OK, notifications.get_lists(caller, deps))

    return app


app = build_app(runtime.vault_records())
lambda_handler = entrypoint(app)
