"""GET /vault/distributions/{distribution_id}/versions/{version}: one version with its whole
configuration (viewer)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_path
from vault import logic, runtime
from vault.dependencies import VaultStore
from vault.models import VersionKey, vault_caller_from


def build_app(deps: VaultStore) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.get("/vault/distributions/<distribution_id>/versions/<version>")
    def get_version(distribution_id: str, version: str) -> Response[str]:
        caller = vault_caller_from(app.current_event)
        key = parse_path({"distribution_id": distribution_id, "version": version}, VersionKey)
        return json_response(
            HTTPStatus.OK, logic.get_version(caller, key.distribution_id, key.version, deps)
        )

    return app


app = build_app(runtime.vault_store())
lambda_handler = entrypoint(app)
