"""GET /vault/distributions: a page of the vault's distributions, active or deleted (viewer)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_query
from shop_common.pagination import NEXT_CURSOR_HEADER
from vault import logic, runtime
from vault.dependencies import VaultRecords
from vault.models import DistributionListQuery, vault_caller_from


def build_app(deps: VaultRecords) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.get("/vault/distributions")
    def get_distributions() -> Response[str]:
        caller = vault_caller_from(app.current_event)
        query = parse_query(app.current_event.query_string_parameters, DistributionListQuery)
        listing = logic.list_distributions(caller, query, deps)
        headers = {NEXT_CURSOR_HEADER: listing.next_cursor} if listing.next_cursor else None
        return json_response(HTTPStatus.OK, listing.distributions, headers)

    return app


app = build_app(runtime.vault_records())
lambda_handler = entrypoint(app)
