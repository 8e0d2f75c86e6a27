"""GET /vault/distributions/{distribution_id}/versions: its versions, newest first (viewer)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_path, parse_query
from shop_common.pagination import NEXT_CURSOR_HEADER, ListQuery
from vault import logic, runtime
from vault.dependencies import VaultRecords
from vault.models import DistributionKey, vault_caller_from


def build_app(deps: VaultRecords) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.get("/vault/distributions/<distribution_id>/versions")
    def get_versions(distribution_id: str) -> Response[str]:
        caller = vault_caller_from(app.current_event)
        key = parse_path({"distribution_id": distribution_id}, DistributionKey)
        query = parse_query(app.current_event.query_string_parameters, ListQuery)
        listing = logic.list_versions(caller, key.distribution_id, query, deps)
        headers = {NEXT_CURSOR_HEADER: listing.next_cursor} if listing.next_cursor else None
        return json_response(HTTPStatus.OK, listing.versions, headers)

    return app


app = build_app(runtime.vault_records())
lambda_handler = entrypoint(app)
