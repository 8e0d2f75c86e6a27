"""The caller comes from the authorizer's context, whose values API Gateway stringifies."""

import pytest
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from shop_common.caller import caller_from
from shop_common.errors import UnauthorizedError
from tests.builders.callers import ADMIN, SHOPPER
from tests.builders.events import api_event


def test_an_admin_context_gives_an_admin_caller() -> None:
    event = APIGatewayProxyEvent(api_event("GET", "/orders", caller=ADMIN))

    caller = caller_from(event)

    assert (caller.username, caller.is_admin) == (ADMIN.username, True)


def test_a_shopper_context_gives_a_shopper() -> None:
    event = APIGatewayProxyEvent(api_event("GET", "/orders", caller=SHOPPER))

    assert caller_from(event).is_admin is False


def test_no_authorizer_context_is_unauthorized() -> None:
    event = APIGatewayProxyEvent(api_event("GET", "/orders", caller=None))

    with pytest.raises(UnauthorizedError):
        caller_from(event)
