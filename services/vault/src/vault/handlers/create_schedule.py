"""POST /vault/schedules {distribution_id, cron, active}: a distribution's own detection
schedule, in EventBridge Scheduler (201) (admin)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_body
from vault import runtime, schedules
from vault.models import vault_caller_from
from vault.schedule_models import ScheduleIn


def build_app(deps: schedules.ScheduleDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.post("/vault/schedules")
    def create_schedule() -> Response[str]:
        caller = vault_caller_from(app.current_event)
        request = parse_body(app.current_event.decoded_body, ScheduleIn)
        return json_response(HTTPStatus.CREATED, schedules.create_schedule(caller, request, deps))

    return app


app = build_app(runtime.schedule_deps())
lambda_handler = entrypoint(app)
