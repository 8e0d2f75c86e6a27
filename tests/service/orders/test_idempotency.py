"""POST /order with an Idempotency-Key: a retry gets the first response, nothing new."""

import threading
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from orders.repository import (
    DynamoDBOrderRepository,
    DynamoDBProductCatalog,
)
from shop_common.api import Handler
from shop_common.dynamodb import Table
from shop_common.product import Product
from tests.builders.callers import OTHER_SHOPPER, SHOPPER
from tests.builders.data import order_request
from tests.builders.events import response_json
from tests.service.orders.conftest import repository_tables, upsert_order_on
from tests.service.orders.support import error_fields, post_order, stored

KEY = {"Idempotency-Key": "3b1f0e2c-retry"}


def test_a_retry_gets_the_first_response_and_stores_nothing_new(
    upsert_order: Handler, lamp: dict[str, Any], orders_table: Any, idempotency_table: Any
) -> None:
    # Given an order placed with an Idempotency-Key
    body = order_request(lamp["product_id"], quantity=3)
    first = post_order(upsert_order, body, SHOPPER, KEY)

    # When the same request is sent again
    retry = post_order(upsert_order, body, SHOPPER, KEY)

    # Then it gets the same status and body, and there is still one order
    assert first["statusCode"] == retry["statusCode"] == HTTPStatus.CREATED
    assert retry["body"] == first["body"]
    assert [item["order_id"] for item in stored(orders_table)] == [response_json(first)["order_id"]]
    assert [item["status"] for item in stored(idempotency_table)] == ["COMPLETED"]


def test_records_keep_the_key_prefix_that_earlier_deploys_wrote(
    upsert_order: Handler, lamp: dict[str, Any], idempotency_table: Any
) -> None:
    # Given an order placed with an Idempotency-Key
    post_order(upsert_order, order_request(lamp["product_id"]), SHOPPER, KEY)

    # Then its record is keyed as before the orders rules were split by job (Powertools'
    # default prefix then: the function's name and the wrapped method's path), so a retry
    # sent across a deploy still finds it
    (record,) = stored(idempotency_table)
    prefix, _, _ = record["id"].partition("#")
    assert prefix.endswith(".orders.logic.OrderDesk._place_attempt")


def test_the_header_name_is_case_insensitive(
    upsert_order: Handler, lamp: dict[str, Any], orders_table: Any
) -> None:
    body = order_request(lamp["product_id"])
    first = post_order(upsert_order, body, SHOPPER, {"idempotency-key": "k-1"})

    retry = post_order(upsert_order, body, SHOPPER, {"IDEMPOTENCY-KEY": "k-1"})

    assert retry["body"] == first["body"]
    assert len(stored(orders_table)) == 1


def test_the_same_key_with_another_body_is_a_409(
    upsert_order: Handler, lamp: dict[str, Any], orders_table: Any
) -> None:
    post_order(upsert_order, order_request(lamp["product_id"], quantity=3), SHOPPER, KEY)

    response = post_order(upsert_order, order_request(lamp["product_id"], quantity=4), SHOPPER, KEY)

    assert response["statusCode"] == HTTPStatus.CONFLICT
    assert response_json(response)["message"] == (
        "This Idempotency-Key was already used for a different order"
    )
    assert error_fields(response) == ["Idempotency-Key"]
    assert len(stored(orders_table)) == 1


def test_two_users_with_the_same_key_get_an_order_each(
    upsert_order: Handler, lamp: dict[str, Any], orders_table: Any
) -> None:
    body = order_request(lamp["product_id"])

    alices = response_json(post_order(upsert_order, body, SHOPPER, KEY))
    bobs = response_json(post_order(upsert_order, body, OTHER_SHOPPER, KEY))

    assert (alices["username"], bobs["username"]) == ("alice", "bob")
    assert len(stored(orders_table)) == 2


def test_without_the_header_every_request_places_an_order(
    upsert_order: Handler, lamp: dict[str, Any], orders_table: Any, idempotency_table: Any
) -> None:
    body = order_request(lamp["product_id"])

    first = post_order(upsert_order, body, SHOPPER)
    second = post_order(upsert_order, body, SHOPPER)

    assert response_json(first)["order_id"] != response_json(second)["order_id"]
    assert len(stored(orders_table)) == 2
    assert stored(idempotency_table) == []


def test_a_failed_request_leaves_no_record_and_its_retry_places_the_order(
    upsert_order: Handler,
    lamp: dict[str, Any],
    products_table: Any,
    orders_table: Any,
    idempotency_table: Any,
) -> None:
    # Given a request refused because its product is not there (yet)
    products_table.delete_item(Key={"product_id": lamp["product_id"]})
    body = order_request(lamp["product_id"])
    refused = post_order(upsert_order, body, SHOPPER, KEY)
    assert refused["statusCode"] == HTTPStatus.NOT_FOUND
    assert stored(idempotency_table) == []

    # When the product is back and the request is retried with the same key
    products_table.put_item(Item=lamp)
    retry = post_order(upsert_order, body, SHOPPER, KEY)

    # Then the order is placed
    assert retry["statusCode"] == HTTPStatus.CREATED
    assert len(stored(orders_table)) == 1


class HeldProductCatalog(DynamoDBProductCatalog):
    """Holds every lookup until released, saying when one has started."""

    def __init__(self, table: Any) -> None:
        super().__init__(table)
        self.started = threading.Event()
        self.release = threading.Event()

    def get_many(self, product_ids: Sequence[str]) -> dict[str, Product]:
        self.started.set()
        assert self.release.wait(timeout=10)
        return super().get_many(product_ids)


def test_a_retry_while_the_first_request_is_in_progress_is_a_409(
    lamp: dict[str, Any], orders_table: Any, products_table: Any, idempotency_table: Any
) -> None:
    # Given a first request held in the middle of placing its order
    catalog = HeldProductCatalog(Table(products_table.name))
    handler = upsert_order_on(DynamoDBOrderRepository(*repository_tables()), catalog)
    body = order_request(lamp["product_id"])
    responses: list[dict[str, Any]] = []
    first = threading.Thread(
        target=lambda: responses.append(post_order(handler, body, SHOPPER, KEY))
    )
    first.start()
    assert catalog.started.wait(timeout=10)

    # When the same request arrives meanwhile
    retry = post_order(handler, body, SHOPPER, KEY)
    catalog.release.set()
    first.join(timeout=10)

    # Then the retry is refused as in progress, and the first request completes alone
    assert retry["statusCode"] == HTTPStatus.CONFLICT
    assert response_json(retry)["message"] == (
        "A request with this Idempotency-Key is still in progress"
    )
    assert [response["statusCode"] for response in responses] == [HTTPStatus.CREATED]
    assert len(stored(orders_table)) == 1
