"""GET /vault/schedules: the default hourly schedule, then each distribution's (viewer)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response
from vault import runtime, schedules
from vault.models import vault_caller_from


def build_app(deps: schedules.ScheduleDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.get("/vault/schedules")
    def get_schedules() -> Response[str]:
        caller = vault_caller_from(app.current_event)
        return json_response(HTTPStatus.OK, schedules.list_schedules(caller, deps))

    return app


app = build_app(runtime.schedule_deps())
lambda_handler = entrypoint(app)
