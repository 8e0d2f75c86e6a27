"""Request bodies, valid and invalid, that every layer must judge alike.

The API Gateway request schemas (api_gateway/openapi.yaml) and the handlers' models are
checked against these in tests/infra/test_openapi.py; the end-to-end suites can send the
same bodies to the running API. Bodies are JSON-ready values: a float literal here prints
back exactly as written, and the services read it as a `Decimal`.
"""

from dataclasses import dataclass
from typing import Any

from tests.builders.data import (
    address,
    as_json,
    as_returned,
    lines_request,
    order_item,
    order_line,
    order_request,
    product_request,
)

PRODUCT_ID = "5f0c9c6e-8a43-4b8e-9a59-3f1f4f0d8a11"
OTHER_PRODUCT_ID = "7d3e2c1b-0a9f-4e8d-8c7b-6a5f4e3d2c1b"
ORDER_ID = "0b6f1f2e-3c1d-4e5f-8a9b-7c6d5e4f3a2b"


@dataclass(frozen=True)
class BodyExample:
    """A request body and the field a 400 must name (`None`: the body is valid).
    `schema_blind`: invalid for a reason a JSON schema cannot express (two lines of one
    product), so only the function refuses it."""

    body: Any
    invalid_field: str | None = None
    schema_blind: bool = False

    @property
    def valid(self) -> bool:
        return self.invalid_field is None


def invalid(body: Any, field: str, *, schema_blind: bool = False) -> BodyExample:
    return BodyExample(body, invalid_field=field, schema_blind=schema_blind)


PRODUCT_BODIES: dict[str, BodyExample] = {
    "name and price": BodyExample(product_request()),
    "with its id": BodyExample(product_request(product_id=PRODUCT_ID)),
    "id in capitals": BodyExample(product_request(product_id=PRODUCT_ID.upper())),
    "id null (a new product)": BodyExample(product_request(product_id=None)),
    "whole price": BodyExample(product_request(price=10)),
    "one cent": BodyExample(product_request(price=0.01)),
    "one decimal place": BodyExample(product_request(price=19.5)),
    "the maximum price": BodyExample(product_request(price=1_000_000)),
    "name of 200 characters": BodyExample(product_request(name="x" * 200)),
    "name with surrounding spaces": BodyExample(product_request(name="  Desk lamp  ")),
    "name in other scripts": BodyExample(product_request(name="Lampe à poser ☀ 台灯")),
    "server fields echoed back": BodyExample(
        product_request(created_at="2026-11-21T06:33:00Z", updated_at="2026-11-21T06:33:00Z")
    ),
    "unknown field": BodyExample(product_request(colour="red")),
    "not an object": invalid([product_request()], "body"),
    "no name": invalid({"price": 24.99}, "name"),
    "no price": invalid({"name": "Desk lamp"}, "price"),
    "empty name": invalid(product_request(name=""), "name"),
    "blank name": invalid(product_request(name=" \t "), "name"),
    "name of 201 characters": invalid(product_request(name="x" * 201), "name"),
    "name a number": invalid(product_request(name=42), "name"),
    "name null": invalid(product_request(name=None), "name"),
    "zero price": invalid(product_request(price=0), "price"),
    "negative price": invalid(product_request(price=-5), "price"),
    "three decimal places": invalid(product_request(price=1.999), "price"),
    "binary float noise": invalid(product_request(price=0.30000000000000004), "price"),
    "over the maximum": invalid(product_request(price=1_000_000.01), "price"),
    "price a string": invalid(product_request(price="24.99"), "price"),
    "price a boolean": invalid(product_request(price=True), "price"),
    "price null": invalid(product_request(price=None), "price"),
    "id not a UUID": invalid(product_request(product_id="lamp-1"), "product_id"),
    "id a number": invalid(product_request(product_id=7), "product_id"),
    "with a description": BodyExample(product_request(description="Warm light.\nDimmable.")),
    "description of 2,000 characters": BodyExample(product_request(description="d" * 2000)),
    "description null": BodyExample(product_request(description=None)),
    "description of 2,001 characters": invalid(
        product_request(description="d" * 2001), "description"
    ),
    "description a number": invalid(product_request(description=5), "description"),
    "stock tracked": BodyExample(product_request(stock=12)),
    "stock none left": BodyExample(product_request(stock=0)),
    "stock not tracked": BodyExample(product_request(stock=None)),
    "stock changed as read": BodyExample(
        product_request(product_id=PRODUCT_ID, stock=8, expected_stock=10)
    ),
    "stock negative": invalid(product_request(stock=-1), "stock"),
    "stock a fraction": invalid(product_request(stock=1.5), "stock"),
    "stock a string": invalid(product_request(stock="3"), "stock"),
    "expected stock negative": invalid(
        product_request(product_id=PRODUCT_ID, stock=1, expected_stock=-1), "expected_stock"
    ),
    "image null": BodyExample(product_request(image=None)),
    "image a number": invalid(product_request(image=3), "image"),
}

IMAGE_UPLOAD_BODIES: dict[str, BodyExample] = {
    "a JPEG": BodyExample({"content_type": "image/jpeg"}),
    "a PNG": BodyExample({"content_type": "image/png"}),
    "a WebP": BodyExample({"content_type": "image/webp"}),
    "a GIF": invalid({"content_type": "image/gif"}, "content_type"),
    "an SVG": invalid({"content_type": "image/svg+xml"}, "content_type"),
    "no type": invalid({}, "content_type"),
    "type a number": invalid({"content_type": 5}, "content_type"),
    "unknown field": invalid({"content_type": "image/png", "size": 10}, "size"),
    "not an object": invalid(["image/png"], "body"),
}


def address_without(field: str) -> dict[str, Any]:
    return {name: value for name, value in address().items() if name != field}


def new_order(**overrides: Any) -> dict[str, Any]:
    return {**order_request(PRODUCT_ID), **overrides}


def status_change(**overrides: Any) -> dict[str, Any]:
    return {"order_id": ORDER_ID, "status": "shipped", **overrides}


def order_read_back(**overrides: Any) -> dict[str, Any]:
    """An order as `GET /orders` returns it (prices JSON numbers), to send back changed."""
    returned = as_returned(order_item(order_line(product_id=PRODUCT_ID), order_id=ORDER_ID))
    return {**as_json(returned), **overrides}


def new_lines(*quantities: Any, **overrides: Any) -> dict[str, Any]:
    """A new order of lines: one per quantity, of distinct products."""
    product_ids = [f"{PRODUCT_ID[:-4]}{number:04d}" for number in range(len(quantities))]
    return lines_request(*zip(product_ids, quantities, strict=True), **overrides)


ORDER_BODIES: dict[str, BodyExample] = {
    "new order": BodyExample(new_order()),
    "new order of 1000": BodyExample(new_order(quantity=1000)),
    "new order for a shopper": BodyExample(new_order(username="alice")),
    "new order, username null": BodyExample(new_order(username=None)),
    "new order echoing status and prices": BodyExample(
        new_order(status="pending", unit_price=24.99, total_price=49.98)
    ),
    "status change": BodyExample(status_change()),
    "status change with its product and quantity": BodyExample(
        status_change(product_id=PRODUCT_ID, quantity=2)
    ),
    "status change, product and quantity null": BodyExample(
        status_change(product_id=None, quantity=None)
    ),
    "an order read back, cancelled": BodyExample(order_read_back(status="cancelled")),
    "an order read back, no order id": BodyExample(order_read_back(order_id=None)),
    "new order of lines": BodyExample(new_lines(2, 1, 1000)),
    "new order of 50 lines": BodyExample(new_lines(*[1] * 50)),
    "new order of lines for a shopper": BodyExample(new_lines(1, username="alice")),
    "new order of lines echoing snapshots": BodyExample(
        lines_request((PRODUCT_ID, 2)) | {"lines": [order_read_back()["lines"][0]]}
    ),
    "new order of no lines": invalid(new_lines(), "lines"),
    "new order of 51 lines": invalid(new_lines(*[1] * 51), "lines"),
    "new order, lines null": invalid({"lines": None}, "lines"),
    "new order, lines an object": invalid({"lines": {"product_id": PRODUCT_ID}}, "lines"),
    "new order, a line of 0": invalid(new_lines(1, 0), "lines.1.quantity"),
    "new order, a line of 1001": invalid(new_lines(1001), "lines.0.quantity"),
    "new order, a line of 2.0": invalid(new_lines(2.0), "lines.0.quantity"),
    "new order, a line not a UUID": invalid(lines_request(("lamp", 1)), "lines.0.product_id"),
    "new order, a line without quantity": invalid(
        {"lines": [{"product_id": PRODUCT_ID}]}, "lines.0.quantity"
    ),
    "new order, a line with an unknown field": invalid(
        {"lines": [{"product_id": PRODUCT_ID, "quantity": 1, "gift": True}]}, "lines.0.gift"
    ),
    "new order, a product on two lines": invalid(
        lines_request((PRODUCT_ID, 1), (OTHER_PRODUCT_ID, 1), (PRODUCT_ID, 2)),
        "lines.2.product_id",
        schema_blind=True,
    ),
    "new order, lines and product": invalid(
        lines_request((PRODUCT_ID, 1), product_id=PRODUCT_ID), "lines"
    ),
    "new order, lines and quantity": invalid(lines_request((PRODUCT_ID, 1), quantity=1), "lines"),
    "status change with its lines": BodyExample(
        status_change(lines=[{"product_id": PRODUCT_ID, "quantity": 2}])
    ),
    "status change, a line of 0": invalid(
        status_change(lines=[{"product_id": PRODUCT_ID, "quantity": 0}]), "lines.0.quantity"
    ),
    "new order without a phone": BodyExample(new_order(address=address(phone=None))),
    "new order, phone left out": BodyExample(new_order(address=address_without("phone"))),
    "new order of lines, one address line": BodyExample(
        new_lines(1, address=address(lines=["1 Main Street"]))
    ),
    "new order, no address": invalid(
        {k: v for k, v in new_order().items() if k != "address"}, "address"
    ),
    "new order of lines, no address": invalid({"lines": new_lines(1)["lines"]}, "address"),
    "new order, address null": invalid(new_order(address=None), "address"),
    "new order, address a string": invalid(new_order(address="1 Main St, Paris"), "address"),
    "new order, no name": invalid(new_order(address=address_without("name")), "address.name"),
    "new order, blank name": invalid(new_order(address=address(name="  ")), "address.name"),
    "new order, name of 101 characters": invalid(
        new_order(address=address(name="x" * 101)), "address.name"
    ),
    "new order, name with a line break": invalid(
        new_order(address=address(name="Alice\nMartin")), "address.name"
    ),
    "new order, no address lines": invalid(new_order(address=address(lines=[])), "address.lines"),
    "new order, 4 address lines": invalid(
        new_order(address=address(lines=["a", "b", "c", "d"])), "address.lines"
    ),
    "new order, a blank address line": invalid(
        new_order(address=address(lines=["1 Main Street", ""])), "address.lines.1"
    ),
    "new order, address lines a string": invalid(
        new_order(address=address(lines="1 Main Street")), "address.lines"
    ),
    "new order, no postcode": invalid(
        new_order(address=address_without("postcode")),
        "address.postcode",
    ),
    "new order, postcode of symbols": invalid(
        new_order(address=address(postcode="#!?")), "address.postcode"
    ),
    "new order, postcode a number": invalid(
        new_order(address=address(postcode=75002)), "address.postcode"
    ),
    "new order, no city": invalid(new_order(address=address_without("city")), "address.city"),
    "new order, no country": invalid(
        new_order(address=address_without("country")),
        "address.country",
    ),
    "new order, country a name": invalid(
        new_order(address=address(country="France")), "address.country"
    ),
    "new order, country in lower case": invalid(
        new_order(address=address(country="fr")), "address.country"
    ),
    "new order, country no ISO code": invalid(
        new_order(address=address(country="XX")), "address.country", schema_blind=True
    ),
    "new order, phone of letters": invalid(
        new_order(address=address(phone="call me")), "address.phone"
    ),
    "new order, empty phone": invalid(new_order(address=address(phone="")), "address.phone"),
    "new order, address with an unknown field": invalid(
        new_order(address=address(floor=3)), "address.floor"
    ),
    "status change with its address": BodyExample(status_change(address=address())),
    "status change, address null": BodyExample(status_change(address=None)),
    "status change, address without a country": invalid(
        status_change(address=address_without("country")),
        "address.country",
    ),
    "not an object": invalid([new_order()], "body"),
    "new order, no product": invalid({"quantity": 2}, "product_id"),
    "new order, no quantity": invalid({"product_id": PRODUCT_ID}, "quantity"),
    "new order, product null": invalid(new_order(product_id=None), "product_id"),
    "new order, product not a UUID": invalid(new_order(product_id="lamp"), "product_id"),
    "new order of 0": invalid(new_order(quantity=0), "quantity"),
    "new order of 1001": invalid(new_order(quantity=1001), "quantity"),
    "new order of -1": invalid(new_order(quantity=-1), "quantity"),
    "new order of 2.5": invalid(new_order(quantity=2.5), "quantity"),
    "new order of 2.0": invalid(new_order(quantity=2.0), "quantity"),
    "new order, quantity a string": invalid(new_order(quantity="2"), "quantity"),
    "new order, quantity a boolean": invalid(new_order(quantity=True), "quantity"),
    "new order, empty username": invalid(new_order(username=""), "username"),
    "new order, username with a space": invalid(new_order(username="al ice"), "username"),
    "new order, username of 129": invalid(new_order(username="a" * 129), "username"),
    "new order, username a number": invalid(new_order(username=7), "username"),
    "new order, unknown field": invalid(new_order(coupon="FREE"), "coupon"),
    "status change, no status": invalid({"order_id": ORDER_ID}, "status"),
    "status change, unknown status": invalid(status_change(status="lost"), "status"),
    "status change, status null": invalid(status_change(status=None), "status"),
    # A null order_id is no order_id: the body is read as an order to create, which lacks a product.
    "status change, order null": invalid(status_change(order_id=None), "product_id"),
    "status change, order not a UUID": invalid(status_change(order_id="42"), "order_id"),
    "status change, quantity 0": invalid(status_change(quantity=0), "quantity"),
    "status change, product not a UUID": invalid(status_change(product_id="x"), "product_id"),
    "status change, unknown field": invalid(status_change(note="fragile"), "note"),
}

# `POST /partner` bodies (the admin creates a partner's key).
PARTNER_BODIES: dict[str, BodyExample] = {
    "name and tier": BodyExample({"name": "Compare-o-matic", "tier": "basic"}),
    "pro tier": BodyExample({"name": "Compare-o-matic", "tier": "pro"}),
    "name of 128 characters": BodyExample({"name": "x" * 128, "tier": "basic"}),
    "unknown tier": invalid({"name": "Compare-o-matic", "tier": "gold"}, "tier"),
    "no tier": invalid({"name": "Compare-o-matic"}, "tier"),
    "no name": invalid({"tier": "basic"}, "name"),
    "blank name": invalid({"name": "   ", "tier": "basic"}, "name"),
    "name of 129 characters": invalid({"name": "x" * 129, "tier": "basic"}, "name"),
    "name not a string": invalid({"name": 5, "tier": "basic"}, "name"),
    "a key value chosen": invalid(
        {"name": "Compare-o-matic", "tier": "basic", "api_key": "mine"}, "api_key"
    ),
}

# `POST /partner/{partner_id}` bodies (a new tier, the key enabled or disabled).
PARTNER_CHANGE_BODIES: dict[str, BodyExample] = {
    "new tier": BodyExample({"tier": "pro"}),
    "disabled": BodyExample({"enabled": False}),
    "both": BodyExample({"tier": "basic", "enabled": True}),
    "nothing": invalid({}, "body"),
    "unknown tier": invalid({"tier": "gold"}, "tier"),
    "enabled a string": invalid({"enabled": "false"}, "enabled"),
    "a name": invalid({"tier": "pro", "name": "Renamed"}, "name"),
}

VAULT_DISTRIBUTION_ID = "E2QWRUHAPOMQZL"
VAULT_ROLLBACK_BODIES: dict[str, BodyExample] = {
    "version and ETag": BodyExample({"version": 2, "expected_etag": "E3UN6WX5RRO2AG"}),
    "drift acknowledged": BodyExample(
        {"version": 1, "expected_etag": "E3UN6WX5RRO2AG", "acknowledge_drift": True}
    ),
    "no ETag": invalid({"version": 2}, "expected_etag"),
    "version 0": invalid({"version": 0, "expected_etag": "E3UN6WX5RRO2AG"}, "version"),
    "version as text": invalid({"version": "2", "expected_etag": "E3UN6WX5RRO2AG"}, "version"),
    "ETag with a quote": invalid({"version": 2, "expected_etag": 'E3"'}, "expected_etag"),
    "drift as text": invalid(
        {"version": 1, "expected_etag": "E3UN6WX5RRO2AG", "acknowledge_drift": "yes"},
        "acknowledge_drift",
    ),
    "unknown field": invalid(
        {"version": 1, "expected_etag": "E3UN6WX5RRO2AG", "force": True}, "force"
    ),
}
VAULT_COPY_BODIES: dict[str, BodyExample] = {
    "target and ETag": BodyExample(
        {"target_id": VAULT_DISTRIBUTION_ID, "expected_etag": "E3UN6WX5RRO2AG"}
    ),
    "no target": invalid({"expected_etag": "E3UN6WX5RRO2AG"}, "target_id"),
    "target in lower case": invalid(
        {"target_id": "e2qwruhapomqzl", "expected_etag": "E3UN6WX5RRO2AG"}, "target_id"
    ),
}
VAULT_CREATE_BODIES: dict[str, BodyExample] = {
    "source and version": BodyExample({"source_id": VAULT_DISTRIBUTION_ID, "version": 1}),
    "no version": invalid({"source_id": VAULT_DISTRIBUTION_ID}, "version"),
    "source too long": invalid({"source_id": "E" * 33, "version": 1}, "source_id"),
}
VAULT_SCHEDULE_BODIES: dict[str, BodyExample] = {
    "every 5 minutes": BodyExample(
        {"distribution_id": VAULT_DISTRIBUTION_ID, "cron": "*/5 * * * *"}
    ),
    "paused": BodyExample(
        {"distribution_id": VAULT_DISTRIBUTION_ID, "cron": "0 6 * * MON-FRI", "active": False}
    ),
    "no cron": invalid({"distribution_id": VAULT_DISTRIBUTION_ID}, "cron"),
    "every minute": invalid(
        {"distribution_id": VAULT_DISTRIBUTION_ID, "cron": "* * * * *"}, "cron", schema_blind=True
    ),
    "minute out of range": invalid(
        {"distribution_id": VAULT_DISTRIBUTION_ID, "cron": "61 * * * *"}, "cron", schema_blind=True
    ),
    "active as text": invalid(
        {"distribution_id": VAULT_DISTRIBUTION_ID, "cron": "0 * * * *", "active": "yes"}, "active"
    ),
}
VAULT_SCHEDULE_CHANGE_BODIES: dict[str, BodyExample] = {
    "paused": BodyExample({"active": False}),
    "a new cron": BodyExample({"cron": "30 2 * * *"}),
    "nothing": invalid({}, "body"),
    "four fields": invalid({"cron": "0 * * *"}, "cron", schema_blind=True),
    "backwards range": invalid({"cron": "0 9-5 * * *"}, "cron", schema_blind=True),
}
VAULT_NOTIFICATIONS_BODIES: dict[str, BodyExample] = {
    "every event": BodyExample(
        {
            "version_detected": ["ops@example.com"],
            "distribution_deleted": ["ops@example.com", "oncall@example.com"],
            "distribution_changed": [],
            "users_changed": ["admins@example.com"],
            "schedules_changed": ["admins@example.com"],
            "detection_failed": ["oncall@example.com"],
        }
    ),
    "no list": BodyExample({}),
    "not an address": invalid({"version_detected": ["ops"]}, "version_detected.0"),
    "a space in an address": invalid(
        {"detection_failed": ["ops@example.com", "on call@example.com"]}, "detection_failed.1"
    ),
    "an unknown event": invalid({"orders_placed": []}, "orders_placed"),
    "a list as a string": invalid({"users_changed": "ops@example.com"}, "users_changed"),
    "too many addresses": invalid(
        {"version_detected": [f"ops{n}@example.com" for n in range(51)]}, "version_detected"
    ),
}
VAULT_CAPTURE_BODIES: dict[str, BodyExample] = {
    "a note": BodyExample({"note": "before the migration"}),
    "no note": BodyExample({}),
    "note too long": invalid({"note": "x" * 501}, "note"),
    "note as a number": invalid({"note": 5}, "note"),
}
VAULT_INVITE_BODIES: dict[str, BodyExample] = {
    "username, e-mail and role": BodyExample(
        {"username": "edith.ops", "email": "edith@example.com", "role": "editor"}
    ),
    "e-mail with spaces around it": BodyExample(
        {"username": "vic", "email": " vic@example.com ", "role": "viewer"}
    ),
    "no e-mail": invalid({"username": "vic", "role": "viewer"}, "email"),
    "not an e-mail": invalid({"username": "vic", "email": "vic", "role": "viewer"}, "email"),
    "username with a space": invalid(
        {"username": "vic tor", "email": "vic@example.com", "role": "viewer"}, "username"
    ),
    "unknown role": invalid(
        {"username": "vic", "email": "vic@example.com", "role": "owner"}, "role"
    ),
    "unknown field": invalid(
        {"username": "vic", "email": "vic@example.com", "role": "viewer", "admin": True}, "admin"
    ),
}
VAULT_USER_CHANGE_BODIES: dict[str, BodyExample] = {
    "a role": BodyExample({"role": "viewer"}),
    "a password reset": BodyExample({"action": "reset_password"}),
    "unknown role": invalid({"role": "owner"}, "role"),
    "unknown action": invalid({"action": "disable"}, "action"),
    "both": invalid({"role": "viewer", "action": "reset_password"}, "body"),
    "neither": invalid({}, "body"),
}
