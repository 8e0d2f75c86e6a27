"""POST /vault/schedules/{schedule_id} {cron, active}: a new cron, paused or active again; the
default hourly schedule only pauses and resumes (admin)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from shop_common.api import create_app, entrypoint, json_response, parse_body, parse_path
from vault import runtime, schedules
from vault.models import vault_caller_from
from vault.schedule_models import ScheduleChange, ScheduleKey


def build_app(deps: schedules.ScheduleDeps) -> APIGatewayRestResolver:
    """The route on `deps` (tests pass their own; the Lambda gets the real ones)."""
    app = create_app(runtime.settings)

    @app.post("/vault/schedules/<schedule_id>")
    def update_schedule(schedule_id: str) -> Response[str]:
        caller = vault_caller_from(app.current_event)
        key = parse_path({"schedule_id": schedule_id}, ScheduleKey)
        request = parse_body(app.current_event.decoded_body, ScheduleChange)
        changed = schedules.change_schedule(caller, key.schedule_id, request, deps)
        return json_response(HTTPStatus.OK, changed)

    return app


app = build_app(runtime.schedule_deps())
lambda_handler = entrypoint(app)
