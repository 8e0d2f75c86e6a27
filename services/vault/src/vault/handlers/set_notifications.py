"""POST /vault/notifications {<event>: [address, ...], ...}: replace each event's list of
addresses (admin); an invalid address is a 400 naming `<event>.<index>`."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_body
from vault import notifications, runtime
from vault.dependencies import VaultRecords
from vault.models import NotificationLists, vault_caller_from


def build_app(deps: VaultRecords) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.post("/vault/notifications")
    def set_notifications() -> Response[str]:
        caller = vault_caller_from(app.current_event)
        lists = parse_body(app.current_event.decoded_body, NotificationLists)
        return json_response(HTTPStatus.OK, notifications.set_lists(caller, lists, deps))

    return app


app = build_app(runtime.vault_records())
lambda_handler = entrypoint(app)
