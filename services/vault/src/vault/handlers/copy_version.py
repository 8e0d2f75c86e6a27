"""POST /vault/distributions/{distribution_id}/versions/{version}/copy {target_id,
expected_etag, acknowledge_drift?}: put a version on another distribution (202; 200 unchanged:
the target had that configuration already) (editor)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_body, parse_path
from vault import logic, runtime
from vault.dependencies import VaultDeps
from vault.models import CopyIn, VersionKey, vault_caller_from


def build_app(deps: VaultDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.post("/vault/distributions/<distribution_id>/versions/<version>/copy")
    def copy_version(distribution_id: str, version: str) -> Response[str]:
        caller = vault_caller_from(app.current_event)
        key = parse_path({"distribution_id": distribution_id, "version": version}, VersionKey)
        request = parse_body(app.current_event.decoded_body, CopyIn)
        applied = logic.copy(caller, key.distribution_id, key.version, request, deps)
        status = HTTPStatus.ACCEPTED if applied.created else HTTPStatus.OK
        return json_response(status, applied)

    return app


app = build_app(runtime.vault_deps())
lambda_handler = entrypoint(app)
