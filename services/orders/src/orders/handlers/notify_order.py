"""The Orders table's stream: the shopper's e-mail about each order placed, shipped,
delivered or cancelled. A record whose e-mail fails is reported (ReportBatchItemFailures),
retried by the event source, then recorded in the dead-letter queue; the order is untouched."""

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders import runtime
from orders.notifications import OrderMailer
from shop_common.notify import MailDeliveryError
from shop_common.observability import logger, traced


def build_handler(mailer: OrderMailer) -> Any:
    """The stream's handler on `mailer` (tests pass their own; the Lambda gets the real one)."""
    # A batch that fails whole is reported like any other, record by record.
    processor = BatchProcessor(EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)

    def on_record(record: DynamoDBRecord) -> None:
        change = record.dynamodb
        assert change is not None  # a stream record always has its change
        try:
            mailer.on_change(change.old_image, change.new_image)
        except Exception as exc:
            # Which order and what failed, never why in words that could hold an address
            # (a mail refusal names only its code; anything else only its class).
            failure = str(exc) if isinstance(exc, MailDeliveryError) else type(exc).__name__
            logger.warning(
                "Order e-mail not sent: the stream retries it",
                order_id=change.keys.get("order_id"),
                failure=failure,
            )
            raise

    @logger.inject_lambda_context
    @traced
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        mailer.start(context)
        return process_partial_response(  # type: ignore[return-value]
            event=event, record_handler=on_record, processor=processor, context=context
        )

    return lambda_handler


lambda_handler = build_handler(runtime.order_mailer(runtime.settings()))
