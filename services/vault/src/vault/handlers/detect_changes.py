"""Change detection, not a route: the schedules (EventBridge Scheduler) run it over every
distribution (the default hourly one) or over their one distribution, each run kept as its
schedule's last; the EventBridge rule on CloudTrail's CloudFront management events runs it on
the one distribution a call changed, naming who made the call."""

from typing import Any

from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from shop_common.observability import logger, traced
from vault import detection, runtime, schedules
from vault.dependencies import VaultDeps
from vault.schedule_models import ScheduledRun

TRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail"


def build_handler(deps: VaultDeps, store: schedules.ScheduleStore) -> Any:
    """The function on `deps` (tests pass their own; the Lambda gets the real ones)."""

    @logger.inject_lambda_context
    @traced
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        if EventBridgeEvent(event).get("detail-type") == TRAIL_DETAIL_TYPE:
            trail = detection.TrailEvent.model_validate(event["detail"])
            outcome = detection.on_trail_event(deps, trail)
        else:
            outcome = schedules.run_scheduled(deps, store, ScheduledRun.model_validate(event))
        logger.info("Detection finished", **outcome.model_dump())
        return outcome.model_dump()

    return lambda_handler


lambda_handler = build_handler(runtime.vault_deps(), runtime.schedule_store())
