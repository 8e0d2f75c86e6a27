"""POST /vault/distributions/{distribution_id}/rollback {version, expected_etag,
acknowledge_drift?}: put a version back (202 with the new version and ETag; 200 unchanged: the
distribution had that configuration already, and keeps its version and ETag) (editor)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_body, parse_path
from vault import logic, runtime
from vault.dependencies import VaultDeps
from vault.models import DistributionKey, RollbackIn, vault_caller_from


def build_app(deps: VaultDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.post("/vault/distributions/<distribution_id>/rollback")
    def rollback(distribution_id: str) -> Response[str]:
        caller = vault_caller_from(app.current_event)
        key = parse_path({"distribution_id": distribution_id}, DistributionKey)
        request = parse_body(app.current_event.decoded_body, RollbackIn)
        applied = logic.rollback(caller, key.distribution_id, request, deps)
        status = HTTPStatus.ACCEPTED if applied.created else HTTPStatus.OK
        return json_response(status, applied)

    return app


app = build_app(runtime.vault_deps())
lambda_handler = entrypoint(app)
