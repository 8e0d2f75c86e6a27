"""GET /vault/distributions/{distribution_id}/diff?from=N&to=M|current: a JSON Patch between
two versions, or a version and the configuration now (viewer)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_path, parse_query
from vault import logic, runtime
from vault.dependencies import VaultDeps
from vault.models import DiffQuery, DistributionKey, vault_caller_from


def build_app(deps: VaultDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.get("/vault/distributions/<distribution_id>/diff")
    def get_diff(distribution_id: str) -> Response[str]:
        caller = vault_caller_from(app.current_event)
        key = parse_path({"distribution_id": distribution_id}, DistributionKey)
        query = parse_query(app.current_event.query_string_parameters, DiffQuery)
        return json_response(HTTPStatus.OK, logic.diff(caller, key.distribution_id, query, deps))

    return app


app = build_app(runtime.vault_deps())
lambda_handler = entrypoint(app)
