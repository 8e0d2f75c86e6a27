"""An order placed at most once per caller and Idempotency-Key (Powertools' idempotency):
a retry of the same order gets the first response back, a different order under the same
key is a 409."""

import os
from collections.abc import Callable

from aws_lambda_powertools.utilities.idempotency import (
    BasePersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import (
    PydanticSerializer,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from orders.models import IDEMPOTENCY_KEY_HEADER, CreationAttempt, NewOrder, Order
from shop_common.errors import ConflictError, FieldError

# How long a creation's response is replayed for a retry with the same Idempotency-Key.
IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60
# What the records' keys start with after the function's name: the path of the method
# Powertools first wrapped (its default prefix), so that records written before the
# orders rules were split by job still answer their retries.
_RECORD_KEY_PREFIX = "orders.logic.OrderDesk._place_attempt"


class OncePerKey:
    """`place`, once per `CreationAttempt` (the caller's `sub` and their key), checked
    against the order it placed."""

    def __init__(self, place: Callable[[NewOrder], Order], store: BasePersistenceLayer) -> None:
        self._config = IdempotencyConfig(
            event_key_jmespath="[caller, idempotency_key]",
            payload_validation_jmespath="order",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=IDEMPOTENCY_TTL_SECONDS,
        )

        def place_attempt(attempt: CreationAttempt) -> Order:
            return place(attempt.order)

        function_name = os.getenv("AWS_LAMBDA_FUNCTION_NAME", "test-func")
        self._place_once: Callable[..., Order] = idempotent_function(
            place_attempt,
            data_keyword_argument="attempt",
            persistence_store=store,
            config=self._config,
            output_serializer=PydanticSerializer(Order),
            key_prefix=f"{function_name}.{_RECORD_KEY_PREFIX}",
        )

    def place(self, attempt: CreationAttempt, lambda_context: LambdaContext) -> Order:
        # The in-progress record expires with this invocation if it is cut short.
        self._config.register_lambda_context(lambda_context)
        try:
            return self._place_once(attempt=attempt)
        except IdempotencyValidationError as exc:
            raise ConflictError(
                f"This {IDEMPOTENCY_KEY_HEADER} was already used for a different order",
                [FieldError(IDEMPOTENCY_KEY_HEADER, "already used with another request body")],
            ) from exc
        except IdempotencyAlreadyInProgressError as exc:
            raise ConflictError(
                f"A request with this {IDEMPOTENCY_KEY_HEADER} is still in progress",
                [FieldError(IDEMPOTENCY_KEY_HEADER, "in progress: retry later")],
            ) from exc
