"""POST /vault/distributions {source_id, version}: a new distribution from a version, also how
a deleted one is recreated (201; aliases another distribution holds are left out) (editor)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_body
from vault import logic, runtime
from vault.dependencies import VaultDeps
from vault.models import CreateIn, vault_caller_from


def build_app(deps: VaultDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.post("/vault/distributions")
    def create_distribution() -> Response[str]:
        caller = vault_caller_from(app.current_event)
        request = parse_body(app.current_event.decoded_body, CreateIn)
        return json_response(HTTPStatus.CREATED, logic.create(caller, request, deps))

    return app


app = build_app(runtime.vault_deps())
lambda_handler = entrypoint(app)
