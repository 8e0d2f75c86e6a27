"""GET /vault/audit: a page of the audit trail, newest first, `?distribution_id=` for one
distribution's (viewer: the trail is read like the versions are)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_query
from shop_common.pagination import NEXT_CURSOR_HEADER
from vault import audit, runtime
from vault.dependencies import VaultRecords
from vault.models import AuditQuery, vault_caller_from


def build_app(deps: VaultRecords) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.get("/vault/audit")
    def get_audit() -> Response[str]:
        caller = vault_caller_from(app.current_event)
        query = parse_query(app.current_event.query_string_parameters, AuditQuery)
        listing = audit.list_entries(caller, query, deps)
        headers = {NEXT_CURSOR_HEADER: listing.next_cursor} if listing.next_cursor else None
        return json_response(HTTPStatus.OK, listing.entries, headers)

    return app


app = build_app(runtime.vault_records())
lambda_handler = entrypoint(app)
