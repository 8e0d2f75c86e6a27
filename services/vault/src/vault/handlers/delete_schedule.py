"""DELETE /vault/schedules/{schedule_id}: a distribution's schedule, gone from EventBridge
Scheduler (204); the default hourly schedule cannot be deleted, only paused (admin)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_path
from vault import runtime, schedules
from vault.models import vault_caller_from
from vault.schedule_models import ScheduleKey


def build_app(deps: schedules.ScheduleDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.delete("/vault/schedules/<schedule_id>")
    def delete_schedule(schedule_id: str) -> Response[str]:
        caller = vault_caller_from(app.current_event)
        key = parse_path({"schedule_id": schedule_id}, ScheduleKey)
        schedules.delete_schedule(caller, key.schedule_id, deps)
        return json_response(HTTPStatus.NO_CONTENT)

    return app


app = build_app(runtime.schedule_deps())
lambda_handler = entrypoint(app)
