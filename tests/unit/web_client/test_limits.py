"""The limits the web client checks before sending (limits.js) against the ones the API
enforces: the services' constants and the templates' settings, read where they are defined.
The page's module runs in Node, as the browser runs it."""

import json
import math
import unicodedata
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

import pytest
from iso3166 import countries_by_alpha2
from pydantic import TypeAdapter, ValidationError

from orders.models import (
    MAX_ADDRESS_LINES,
    MAX_ADDRESS_TEXT_LENGTH,
    MAX_LINES,
    MAX_PHONE_LENGTH,
    MAX_POSTCODE_LENGTH,
    Phone,
    Postcode,
)
from partners.models import MAX_PARTNER_NAME_LENGTH
from products.models import (
    IMAGE_MAX_BYTES,
    IMAGE_TYPES,
    MAX_DESCRIPTION_LENGTH,
    MAX_NAME_LENGTH,
    MAX_STOCK,
)
from shop_common.money import MAX_PRICE, Price
from shop_common.pagination import MAX_LIMIT
from shop_common.pricing import MAX_QUANTITY
from shop_common.text import EMAIL_ADDRESS_PATTERN, LINES, ONE_LINE
from stacks.templates import (
    API_TEMPLATE,
    BOOTSTRAP_TEMPLATE,
    load_openapi,
    load_template,
    parameter_defaults,
)
from tests.builders.javascript import evaluate
from vault.models import DistributionId

NAMES = [
    "MAX_LINES",
    "MAX_QUANTITY",
    "MAX_PRICE",
    "PRICE_DECIMALS",
    "MAX_NAME_LENGTH",
    "MAX_DESCRIPTION_LENGTH",
    "MAX_STOCK",
    "IMAGE_TYPES",
    "IMAGE_MAX_BYTES",
    "MAX_PAGE_SIZE",
    "MAX_PARTNER_NAME_LENGTH",
    "PARTNER_TIERS",
    "PASSWORD_MIN_LENGTH",
    "MAX_ADDRESS_TEXT_LENGTH",
    "MAX_ADDRESS_LINES",
    "MAX_POSTCODE_LENGTH",
    "MAX_PHONE_LENGTH",
    "POSTCODE_PATTERN",
    "PHONE_PATTERN",
    "COUNTRY_CODES",
    "DISTRIBUTION_ID_PATTERN",
    "EMAIL_ADDRESS_PATTERN",
    "SIGNED_OUT_WITHIN_MINUTES",
]


def pattern_of(annotated: Any) -> str:
    """The regular expression of a constrained string type, as its JSON schema gives it."""
    return str(TypeAdapter(annotated).json_schema()["pattern"])


@cache
def web_limits() -> dict[str, Any]:
    limits: dict[str, Any] = evaluate("limits.js", NAMES, f"{{ {', '.join(NAMES)} }}")
    return limits


def tiers() -> dict[str, dict[str, int]]:
    defaults = parameter_defaults(load_template(API_TEMPLATE))
    return {
        tier: {"rate": defaults[f"{tier}RateLimit"], "daily": defaults[f"{tier}DailyQuota"]}
        for tier in ("Basic", "Pro")
    }


def password_policy() -> dict[str, Any]:
    pool = load_template(BOOTSTRAP_TEMPLATE)["Resources"]["UserPool"]["Properties"]
    policy: dict[str, Any] = pool["Policies"]["PasswordPolicy"]
    return policy


@pytest.mark.parametrize(
    ("name", "python"),
    [
        ("MAX_LINES", MAX_LINES),
        ("MAX_QUANTITY", MAX_QUANTITY),
        ("MAX_PRICE", MAX_PRICE),
        ("MAX_NAME_LENGTH", MAX_NAME_LENGTH),
        ("MAX_DESCRIPTION_LENGTH", MAX_DESCRIPTION_LENGTH),
        ("MAX_STOCK", MAX_STOCK),
        ("IMAGE_TYPES", list(IMAGE_TYPES)),
        ("IMAGE_MAX_BYTES", IMAGE_MAX_BYTES),
        ("MAX_PAGE_SIZE", MAX_LIMIT),
        ("MAX_PARTNER_NAME_LENGTH", MAX_PARTNER_NAME_LENGTH),
        ("MAX_ADDRESS_TEXT_LENGTH", MAX_ADDRESS_TEXT_LENGTH),
        ("MAX_ADDRESS_LINES", MAX_ADDRESS_LINES),
        ("MAX_POSTCODE_LENGTH", MAX_POSTCODE_LENGTH),
        ("MAX_PHONE_LENGTH", MAX_PHONE_LENGTH),
        ("POSTCODE_PATTERN", pattern_of(Postcode)),
        ("PHONE_PATTERN", pattern_of(Phone)),
        ("COUNTRY_CODES", sorted(countries_by_alpha2)),
        ("DISTRIBUTION_ID_PATTERN", pattern_of(DistributionId)),
        ("EMAIL_ADDRESS_PATTERN", EMAIL_ADDRESS_PATTERN),
    ],
)
def test_the_page_checks_the_limit_the_service_enforces(name: str, python: Any) -> None:
    assert web_limits()[name] == python


def test_prices_have_the_decimals_the_service_allows() -> None:
    decimals = web_limits()["PRICE_DECIMALS"]
    prices = TypeAdapter(Price)
    prices.validate_python(Decimal(1).scaleb(-decimals))
    with pytest.raises(ValidationError):
        prices.validate_python(Decimal(1).scaleb(-decimals - 1))


def test_the_tiers_the_page_describes_are_the_usage_plans() -> None:
    assert web_limits()["PARTNER_TIERS"] == {
        tier.lower(): figures for tier, figures in tiers().items()
    }


def test_the_password_rules_are_the_user_pool_policy() -> None:
    policy = password_policy()
    assert web_limits()["PASSWORD_MIN_LENGTH"] == policy["MinimumLength"]
    # The page asks for each kind of character: the policy requires every one.
    assert all(
        policy[rule]
        for rule in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols")
    )


@pytest.mark.parametrize(
    "text", ["Kettle", "\U0001f431" * 200, "Cr\u00e8me", "e\u0301", "\u4e2d\u6587"]
)
def test_the_page_counts_a_texts_characters_as_the_service_does(text: str) -> None:
    # A string's length in the page counts UTF-16 code units (an emoji takes two); the
    # service's limits count code points, as len() does.
    assert evaluate("limits.js", ["characters"], f"characters({json.dumps(text)})") == len(text)


def test_the_page_says_how_long_a_browser_signed_out_everywhere_may_still_act() -> None:
    # An access token lives on at the API until it expires, or until the authorizer's cached
    # answer for it does (Cognito refuses to renew it at once)
    client = next(
        resource["Properties"]
        for resource in load_template(BOOTSTRAP_TEMPLATE)["Resources"].values()
        if resource["Type"] == "AWS::Cognito::UserPoolClient"
    )
    assert client["TokenValidityUnits"]["AccessToken"] == "minutes"
    authorizer = next(
        scheme["x-amazon-apigateway-authorizer"]
        for scheme in load_openapi()["components"]["securitySchemes"].values()
        if "x-amazon-apigateway-authorizer" in scheme
    )
    cache_minutes = math.ceil(authorizer["authorizerResultTtlInSeconds"] / 60)

    assert web_limits()["SIGNED_OUT_WITHIN_MINUTES"] == (
        client["AccessTokenValidity"] + cache_minutes
    )


# Every character of the Basic Multilingual Plane, and those of the other planes the rule
# names: emoji, tags, private use, the last two of each plane (noncharacters).
CODE_POINT_RANGES = [
    (0, 0x10000),
    (0x1F300, 0x1F400),
    (0xE0000, 0xE0100),
    (0xF0000, 0xF0010),
    *((plane * 0x10000 + 0xFFFE, plane * 0x10000 + 0x10000) for plane in range(1, 17)),
]


def refused_by(text_type: Any, text_of: str) -> list[int]:
    """The code points `c` of CODE_POINT_RANGES for which `text_of` with `{c}` in it is
    refused by `text_type`."""
    adapter = TypeAdapter(text_type)
    refused = []
    for start, end in CODE_POINT_RANGES:
        for code in range(start, end):
            try:
                adapter.validate_python(text_of.format(c=chr(code)))
            except ValidationError:
                refused.append(code)
    return refused


def refused_by_page(expression: str) -> list[int]:
    """The code points `c` for which the page's `expression` (of `text`) is true."""
    found: list[int] = evaluate(
        "limits.js",
        ["hiddenCharacter", "visible"],
        f"{json.dumps(CODE_POINT_RANGES)}.flatMap(([start, end]) =>"
        " Array.from({ length: end - start }, (_, i) => start + i))"
        f".filter((code) => {{ const c = String.fromCodePoint(code); return {expression}; }})",
    )
    return found


@pytest.mark.parametrize(
    ("text_type", "lines"),
    [(Annotated[str, ONE_LINE], "false"), (Annotated[str, LINES], "true")],
    ids=["one line", "lines"],
)
def test_the_page_refuses_the_characters_the_service_refuses(text_type: Any, lines: str) -> None:
    assert refused_by_page(f"hiddenCharacter(`a${{c}}a`, {{ lines: {lines} }}) !== null") == (
        refused_by(text_type, "a{c}a")
    )


def test_the_page_asks_for_a_visible_character_as_the_service_does() -> None:
    # Given the characters that pass the hidden-character rule and are not whitespace (a
    # field's text is trimmed first), of the Unicode version Python knows (a browser may know
    # a newer one, whose new letters it would take)
    hidden = set(refused_by(Annotated[str, ONE_LINE], "a{c}a"))

    def considered(code: int) -> bool:
        char = chr(code)
        return code not in hidden and char.strip() != "" and unicodedata.category(char) != "Cn"

    # Then the page refuses a text of one of them alone exactly when the service does
    on_page = refused_by_page("!visible(c) && hiddenCharacter(c) === null && c.trim() !== ''")
    by_service = refused_by(Annotated[str, ONE_LINE], "{c}")
    assert [code for code in on_page if considered(code)] == [
        code for code in by_service if considered(code)
    ]
