"""POST /partner/{partner_id}: the admin moves a partner between tiers, disables and
enables its key."""

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import pytest

from shop_common.api import Handler
from tests.builders.callers import SHOPPER
from tests.builders.events import response_json
from tests.service.partners.conftest import admin_handler
from tests.service.partners.support import (
    Interleaved,
    change,
    created,
    error_fields,
    move_key,
    plan_members,
)

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
        ({"enabled": None}, "enabled"),
        ({"tier": None}, "tier"),
        ({"tier": "pro", "name": "Renamed"}, "name"),
    ],
    ids=[
        "nothing to change",
        "unknown tier",
        "enabled not a boolean",
        "enabled null",
        "tier null",
        "a field it does not take",
    ],
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


# ---------------------------------------------------------------- changes that race
def change_amid(
    apigateway: Any,
    partner_id: str,
    body: dict[str, Any],
    operation: str,
    rival: Callable[[], object],
    *,
    after: bool = False,
) -> dict[str, Any]:
    """The admin's change, another request acting just before (or after) its `operation`."""
    client = Interleaved(apigateway, operation, rival, after=after)
    return change(admin_handler("UpdatePartnerFunction", client), partner_id, body)


def test_a_change_racing_another_that_moved_the_key_first_is_409_and_the_key_in_one_plan(
    create_partner: Handler, apigateway: Any, plan_ids: dict[str, str]
) -> None:
    # Given a basic partner, and another request moving it to pro just after this one read it
    partner_id = created(create_partner, tier="basic")["partner_id"]

    def moved() -> None:
        move_key(apigateway, partner_id, plan_ids["basic"], plan_ids["pro"])

    # When this request moves it to pro too
    response = change_amid(apigateway, partner_id, {"tier": "pro"}, "delete_usage_plan_key", moved)
    # Then it is told the partner changed meanwhile, and the key is in the pro plan alone
    assert response["statusCode"] == HTTPStatus.CONFLICT
    assert error_fields(response) == ["partner_id"]
    assert plan_members(apigateway, plan_ids["pro"]) == {partner_id}
    assert plan_members(apigateway, plan_ids["basic"]) == set()


def test_a_partner_read_while_it_is_between_plans_is_409_not_404(
    create_partner: Handler, update_partner: Handler, apigateway: Any, plan_ids: dict[str, str]
) -> None:
    # Given a partner another request has taken out of its plan, not yet into the other
    partner_id = created(create_partner, tier="basic")["partner_id"]
    apigateway.delete_usage_plan_key(usagePlanId=plan_ids["basic"], keyId=partner_id)
    # When the admin changes it
    response = change(update_partner, partner_id, {"enabled": False})
    # Then it is a conflict, and nothing changed
    assert response["statusCode"] == HTTPStatus.CONFLICT
    assert "retry" in response_json(response)["message"]
    assert apigateway.get_api_key(apiKey=partner_id)["enabled"] is True


def test_a_partner_revoked_while_it_moves_is_404(
    create_partner: Handler, apigateway: Any, plan_ids: dict[str, str]
) -> None:
    # Given a partner revoked after this request took its key out of the basic plan
    partner_id = created(create_partner, tier="basic")["partner_id"]

    def revoked() -> None:
        apigateway.delete_api_key(apiKey=partner_id)

    # When this request moves it to pro
    response = change_amid(
        apigateway, partner_id, {"tier": "pro"}, "create_usage_plan_key", revoked
    )
    # Then the partner no longer exists: a 404, and no plan holds the key
    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert plan_members(apigateway, plan_ids["pro"]) == set()


def test_a_partner_revoked_before_it_is_disabled_is_404(
    create_partner: Handler, apigateway: Any
) -> None:
    partner_id = created(create_partner)["partner_id"]

    def revoked() -> None:
        apigateway.delete_api_key(apiKey=partner_id)

    response = change_amid(apigateway, partner_id, {"enabled": False}, "update_api_key", revoked)

    assert response["statusCode"] == HTTPStatus.NOT_FOUND
    assert error_fields(response) == ["partner_id"]


def test_a_move_answers_what_it_did_though_another_change_follows_at_once(
    create_partner: Handler, apigateway: Any, plan_ids: dict[str, str]
) -> None:
    # Given another request that takes the key out of pro just after this one put it there
    partner_id = created(create_partner, tier="basic")["partner_id"]

    def moving_on() -> None:
        apigateway.delete_usage_plan_key(usagePlanId=plan_ids["pro"], keyId=partner_id)

    # When this request moves it to pro
    response = change_amid(
        apigateway, partner_id, {"tier": "pro"}, "create_usage_plan_key", moving_on, after=True
    )
    # Then it answers the move it made
    assert response["statusCode"] == HTTPStatus.OK
    assert response_json(response)["tier"] == "pro"
