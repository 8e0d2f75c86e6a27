"""DELETE /partner/{partner_id}: the admin revokes a partner's key."""

from http import HTTPStatus
from typing import Any

import pytest
from botocore.exceptions import ClientError

from shop_common.api import Handler
from tests.builders.callers import SHOPPER
from tests.service.partners.support import created, error_fields, revoke


def test_a_revoked_key_is_gone_from_api_gateway(
    create_partner: Handler, delete_partner: Handler, apigateway: Any
) -> None:
    partner = created(create_partner)

    response = revoke(delete_partner, partner["partner_id"])

    assert response["statusCode"] == HTTPStatus.NO_CONTENT
    with pytest.raises(ClientError, match="NotFoundException"):
        apigateway.get_api_key(apiKey=partner["partner_id"])


def test_revoking_twice_is_404(create_partner: Handler, delete_partner: Handler) -> None:
    partner = created(create_partner)
    revoke(delete_partner, partner["partner_id"])

    response = revoke(delete_partner, partner["partner_id"])

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert error_fields(response) == ["partner_id"]


def test_a_key_that_is_no_partners_is_not_revoked(delete_partner: Handler, apigateway: Any) -> None:
    # Given a key of the account in no partner plan
    key = apigateway.create_api_key(name="someone else's", enabled=True)
    # When the admin asks to revoke it  Then it is not a partner, and it stays
    assert revoke(delete_partner, key["id"])["statusCode"] == HTTPStatus.NOT_FOUND
    assert apigateway.get_api_key(apiKey=key["id"])["id"] == key["id"]


def test_a_partner_between_plans_is_revoked(
    create_partner: Handler, delete_partner: Handler, apigateway: Any, plan_ids: dict[str, str]
) -> None:
    # Given a partner a move took out of its plan and never put into the other (it died, or
    # is under way: it then finds the key gone)
    partner = created(create_partner, tier="basic")
    apigateway.delete_usage_plan_key(usagePlanId=plan_ids["basic"], keyId=partner["partner_id"])
    # When the admin revokes it  Then its key is gone
    assert revoke(delete_partner, partner["partner_id"])["statusCode"] == HTTPStatus.NO_CONTENT
    with pytest.raises(ClientError, match="NotFoundException"):
        apigateway.get_api_key(apiKey=partner["partner_id"])


def test_a_shopper_may_not_revoke_a_partner(
    create_partner: Handler, delete_partner: Handler, apigateway: Any
) -> None:
    partner = created(create_partner)

    assert revoke(delete_partner, partner["partner_id"], SHOPPER)["statusCode"] == 403
    assert apigateway.get_api_key(apiKey=partner["partner_id"])["enabled"] is True
