"""POST /partner: the admin creates a partner's API key in its tier's usage plan; the key's
value is in that answer and nowhere else, logs included."""

import io
from http import HTTPStatus
from typing import Any

import pytest

from shop_common.api import Handler
from tests.builders.callers import ADMIN, SHOPPER
from tests.builders.events import LambdaContext, api_event, response_json
from tests.service.partners.support import (
    change,
    create,
    created,
    error_fields,
    listing,
    plan_members,
    revoke,
)


def test_the_admin_gets_an_enabled_key_in_the_tiers_plan(
    create_partner: Handler, apigateway: Any, plan_ids: dict[str, str]
) -> None:
    # When the admin creates a partner on the pro tier
    response = create(create_partner, "Compare-o-matic", "pro")
    # Then it is created with its key's value, and API Gateway holds the key in the pro plan
    assert response["statusCode"] == HTTPStatus.CREATED
    partner = response_json(response)
    assert partner["name"] == "Compare-o-matic"
    assert (partner["tier"], partner["enabled"]) == ("pro", True)
    assert (partner["requests_today"], partner["requests_this_week"]) == (0, 0)
    key = apigateway.get_api_key(apiKey=partner["partner_id"], includeValue=True)
    assert (key["value"], key["enabled"]) == (partner["api_key"], True)
    assert plan_members(apigateway, plan_ids["pro"]) == {partner["partner_id"]}
    assert plan_members(apigateway, plan_ids["basic"]) == set()


def test_a_name_pasted_decomposed_is_kept_composed(
    create_partner: Handler, apigateway: Any
) -> None:
    # When the admin creates a partner whose accent was pasted as an e and a combining accent
    partner = created(create_partner, "Comparateur Fe\u0301lix")
    # Then the partner and its key are named with the accented letter as one character
    key = apigateway.get_api_key(apiKey=partner["partner_id"], includeValue=False)
    assert partner["name"] == key["name"] == "Comparateur F\u00e9lix"


def test_the_key_carries_the_stage_that_the_boundary_scopes_keys_by(
    create_partner: Handler, apigateway: Any
) -> None:
    # When the admin creates a partner in dev
    partner = created(create_partner)
    # Then its key is tagged with the stage: the only keys dev's functions may use
    key = apigateway.get_api_key(apiKey=partner["partner_id"], includeValue=False)
    assert key["tags"] == {"stage": "dev"}


def test_the_keys_value_is_in_one_answer_and_no_log_line(
    create_partner: Handler,
    get_partners: Handler,
    update_partner: Handler,
    delete_partner: Handler,
    log_lines: io.StringIO,
) -> None:
    # Given a partner created, then listed, moved, refused a change, disabled and revoked
    answers = [create(create_partner)]
    partner_id = response_json(answers[0])["partner_id"]
    answers += [
        listing(get_partners),
        change(update_partner, partner_id, {"tier": "pro"}),
        change(update_partner, partner_id, {"tier": "gold"}),
        change(update_partner, partner_id, {"enabled": False}),
        revoke(delete_partner, partner_id),
    ]
    value = response_json(answers[0])["api_key"]
    # Then only the creation's answer holds the value, and no log line does
    assert [value in (answer["body"] or "") for answer in answers] == [True, *[False] * 5]
    assert "Request refused" in log_lines.getvalue()  # the log was captured
    assert value not in log_lines.getvalue()


def test_a_shopper_may_not_create_a_partner(create_partner: Handler, apigateway: Any) -> None:
    response = create(create_partner, caller=SHOPPER)

    assert response["statusCode"] == HTTPStatus.FORBIDDEN
    assert apigateway.get_api_keys()["items"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Compare-o-matic", "tier": "gold"}, "tier"),
        ({"name": "   ", "tier": "basic"}, "name"),
        ({"name": "x" * 129, "tier": "basic"}, "name"),
        ({"tier": "basic"}, "name"),
        ({"name": "Compare-o-matic", "tier": "basic", "api_key": "mine"}, "api_key"),
        ({"name": "Compare\x00matic", "tier": "basic"}, "name"),
        ({"name": "\u202eCompare", "tier": "basic"}, "name"),
    ],
    ids=[
        "unknown tier",
        "blank name",
        "name too long",
        "no name",
        "a chosen key",
        "a control character",
        "a bidi override",
    ],
)
def test_a_bad_request_names_the_field_and_creates_no_key(
    create_partner: Handler, apigateway: Any, body: dict[str, Any], field: str
) -> None:
    response = create_partner(
        api_event("POST", "/partner", caller=ADMIN, body=body), LambdaContext()
    )

    assert response["statusCode"] == HTTPStatus.BAD_REQUEST
    assert field in error_fields(response)
    assert apigateway.get_api_keys()["items"] == []


def test_two_partners_get_two_different_keys(create_partner: Handler) -> None:
    first, second = created(create_partner, "One"), created(create_partner, "Two")

    assert first["partner_id"] != second["partner_id"]
    assert first["api_key"] != second["api_key"]
