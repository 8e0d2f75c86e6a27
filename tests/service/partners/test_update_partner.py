"""POST /partner/{partner_id}: the admin moves a partner between tiers, disables and
enables its key."""

from http import HTTPStatus
from typing import Any

import pytest

from shop_common.api import Handler
from tests.builders.callers import SHOPPER
from tests.builders.events import response_json
from tests.service.partners.support import change, created, error_fields, plan_members

UNKNOWN_PARTNER = "abcde12345"


def test_a_partner_moves_to_the_other_tiers_plan(
    create_partner: Handler, update_partner: Handler, apigateway: Any, plan_ids: dict[str, str]
) -> None:
    # Given a basic partner
    partner = created(create_partner, tier="basic")
    # When the admin moves it to pro
    response = change(update_partner, partner["partner_id"], {"tier": "pro"})
    # Then its key is in the pro plan and no longer in the basic one
    assert response["statusCode"] == HTTPStatus.OK
    assert response_json(response)["tier"] == "pro"
    assert plan_members(apigateway, plan_ids["pro"]) == {partner["partner_id"]}
    assert plan_members(apigateway, plan_ids["basic"]) == set()


def test_a_disabled_key_is_disabled_in_api_gateway_and_can_be_enabled_again(
    create_partner: Handler, update_partner: Handler, apigateway: Any
) -> None:
    partner = created(create_partner)

    disabled = change(update_partner, partner["partner_id"], {"enabled": False})
    assert response_json(disabled)["enabled"] is False
    assert apigateway.get_api_key(apiKey=partner["partner_id"])["enabled"] is False

    enabled = change(update_partner, partner["partner_id"], {"enabled": True})
    assert response_json(enabled)["enabled"] is True
    assert apigateway.get_api_key(apiKey=partner["partner_id"])["enabled"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"tier": "gold"}, "tier"),
        ({"enabled": "no"}, "enabled"),
        ({"tier": "pro", "name": "Renamed"}, "name"),
    ],
    ids=["nothing to change", "unknown tier", "enabled not a boolean", "a field it does not take"],
)
def test_a_bad_change_names_the_field_and_changes_nothing(
    create_partner: Handler,
    update_partner: Handler,
    apigateway: Any,
    plan_ids: dict[str, str],
    body: dict[str, Any],
    field: str,
) -> None:
    partner = created(create_partner, tier="basic")

    response = change(update_partner, partner["partner_id"], body)

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert field in error_fields(response)
    assert plan_members(apigateway, plan_ids["basic"]) == {partner["partner_id"]}
    assert apigateway.get_api_key(apiKey=partner["partner_id"])["enabled"] is True


def test_an_unknown_partner_is_404(update_partner: Handler) -> None:
    response = change(update_partner, UNKNOWN_PARTNER, {"tier": "pro"})

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert error_fields(response) == ["partner_id"]


def test_a_partner_id_that_cannot_be_a_key_id_is_400(update_partner: Handler) -> None:
    response = change(update_partner, "not-a-key!", {"tier": "pro"})

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert error_fields(response) == ["partner_id"]


def test_a_shopper_may_not_change_a_partner(
    create_partner: Handler, update_partner: Handler, plan_ids: dict[str, str], apigateway: Any
) -> None:
    partner = created(create_partner, tier="basic")

    response = change(update_partner, partner["partner_id"], {"tier": "pro"}, SHOPPER)

    assert response["statusCode"] == HTTPStatus.FORBIDDEN
    assert plan_members(apigateway, plan_ids["basic"]) == {partner["partner_id"]}
