"""POST /vault/distributions/{distribution_id}/versions {note}: record the configuration now
(201 a new version, 200 unchanged: the latest version) (editor)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_body, parse_path
from vault import logic, runtime
from vault.dependencies import VaultDeps
from vault.models import CaptureIn, DistributionKey, vault_caller_from


def build_app(deps: VaultDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.post("/vault/distributions/<distribution_id>/versions")
    def capture_version(distribution_id: str) -> Response[str]:
        caller = vault_caller_from(app.current_event)
        key = parse_path({"distribution_id": distribution_id}, DistributionKey)
        request = parse_body(app.current_event.decoded_body, CaptureIn)
        captured = logic.capture(caller, key.distribution_id, request.note, deps)
        status = HTTPStatus.CREATED if captured.created else HTTPStatus.OK
        return json_response(status, captured)

    return app


app = build_app(runtime.vault_deps())
lambda_handler = entrypoint(app)
