"""GET /partners: the admin sees every partner, its tier, state and requests today and this
week as API Gateway counted them (GetUsage); never a key's value."""

from datetime import date
from http import HTTPStatus
from typing import Any

from botocore.exceptions import ClientError

from local.apigateway.usage_plans import USAGE
from shop_common.api import Handler
from tests.builders.callers import SHOPPER
from tests.builders.events import response_json
from tests.service.partners.conftest import NOW
from tests.service.partners.support import change, created, listing, revoke


def record_requests(plan_id: str, key_id: str, day: date, count: int) -> None:
    """Requests the gateway let through for a key on a day."""
    for _ in range(count):
        assert USAGE.take(plan_id, key_id, day, quota=None)


def test_each_partner_is_listed_with_its_tier_and_state_but_not_its_key(
    create_partner: Handler, get_partners: Handler, update_partner: Handler
) -> None:
    # Given a basic partner and a disabled pro partner
    basic = created(create_partner, "Basic Co", "basic")
    pro = created(create_partner, "Pro Co", "pro")
    change(update_partner, pro["partner_id"], {"enabled": False})
    # When the admin lists the partners
    response = listing(get_partners)
    # Then both are there as they are now, without their keys' values
    assert response["statusCode"] == HTTPStatus.OK
    partners = {partner["partner_id"]: partner for partner in response_json(response)}
    assert (partners[basic["partner_id"]]["tier"], partners[basic["partner_id"]]["enabled"]) == (
        "basic",
        True,
    )
    assert (partners[pro["partner_id"]]["tier"], partners[pro["partner_id"]]["enabled"]) == (
        "pro",
        False,
    )
    assert all("api_key" not in partner for partner in partners.values())
    assert basic["api_key"] not in response["body"]
    assert pro["api_key"] not in response["body"]


def test_usage_is_todays_and_this_weeks_requests(
    create_partner: Handler, get_partners: Handler, plan_ids: dict[str, str]
) -> None:
    # Given a partner that made 7 requests on Monday, 5 today (Wednesday), 9 last Sunday
    partner = created(create_partner)
    today = NOW.date()
    record_requests(plan_ids["basic"], partner["partner_id"], date(2026, 11, 23), 7)
    record_requests(plan_ids["basic"], partner["partner_id"], today, 5)
    record_requests(plan_ids["basic"], partner["partner_id"], date(2026, 11, 22), 9)
    # When the admin lists the partners
    [listed] = response_json(listing(get_partners))
    # Then today's are today's, and the week's are Monday's and today's
    assert (listed["requests_today"], listed["requests_this_week"]) == (5, 12)


def test_other_keys_of_the_account_are_not_partners(
    create_partner: Handler, get_partners: Handler, apigateway: Any
) -> None:
    # Given a key of the account that is in no partner plan, and one partner
    apigateway.create_api_key(name="someone else's", enabled=True)
    partner = created(create_partner)
    # When the admin lists the partners  Then only the partner is listed
    listed = response_json(listing(get_partners))
    assert [entry["partner_id"] for entry in listed] == [partner["partner_id"]]


def test_a_shopper_may_not_list_partners(get_partners: Handler, apigateway: Any) -> None:
    assert listing(get_partners, SHOPPER)["statusCode"] == HTTPStatus.FORBIDDEN


def test_the_listing_never_lists_the_regions_keys(
    create_partner: Handler, get_partners: Handler, apigateway: Any
) -> None:
    # Given a partner, and API Gateway refusing GetApiKeys as the boundary does (listing the
    # region's keys could return every stage's key values)
    partner = created(create_partner)

    def refuse(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "AccessDeniedException"}}, "GetApiKeys")

    apigateway.meta.events.register("before-call.apigateway.GetApiKeys", refuse)
    # When the admin lists the partners  Then the partner is listed all the same
    response = listing(get_partners)
    assert response["statusCode"] == HTTPStatus.OK, response["body"]
    assert [entry["partner_id"] for entry in response_json(response)] == [partner["partner_id"]]


def test_a_revoked_partner_is_no_longer_listed(
    create_partner: Handler, get_partners: Handler, delete_partner: Handler, apigateway: Any
) -> None:
    # Given two partners, one of them revoked (its key gone, whatever its plan still lists)
    kept = created(create_partner, "Kept Co")
    gone = created(create_partner, "Gone Co")
    assert revoke(delete_partner, gone["partner_id"])["statusCode"] == HTTPStatus.NO_CONTENT
    # When the admin lists the partners  Then only the one kept is there
    response = listing(get_partners)
    assert response["statusCode"] == HTTPStatus.OK, response["body"]
    assert [entry["partner_id"] for entry in response_json(response)] == [kept["partner_id"]]
