"""What the orders service tests share besides fixtures."""

import json
from typing import Any

from shop_common.api import Handler
from tests.builders.callers import Caller
from tests.builders.events import LambdaContext, api_event, next_cursor, response_json


def post_order(
    handler: Handler, body: Any, caller: Caller | None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    event = api_event("POST", "/order", caller=caller, body=body, headers=headers)
    return handler(event, LambdaContext())


def change_status(handler: Handler, order_id: str, status: str, caller: Caller) -> dict[str, Any]:
    return post_order(handler, {"order_id": order_id, "status": status}, caller)


def get_orders_page(handler: Handler, caller: Caller | None, **query: str) -> dict[str, Any]:
    event = api_event("GET", "/orders", caller=caller, query=query or None)
    return handler(event, LambdaContext())


def all_pages(handler: Handler, caller: Caller, **query: str) -> list[list[dict[str, Any]]]:
    """Every page of a listing, following `X-Next-Cursor` until it is absent."""
    pages = []
    while True:
        response = get_orders_page(handler, caller, **query)
        assert response["statusCode"] == 200, response["body"]
        pages.append(response_json(response))
        cursor = next_cursor(response)
        if cursor is None:
            return pages
        query = {**query, "cursor": cursor}


def error_fields(response: dict[str, Any]) -> list[str]:
    return [error["field"] for error in response_json(response)["errors"]]


def stored(table: Any) -> list[dict[str, Any]]:
    """Everything a table holds, to show what a request wrote (or did not)."""
    return table.scan()["Items"]  # type: ignore[no-any-return]


def emitted_metrics(stdout: str) -> list[dict[str, Any]]:
    """The CloudWatch embedded-metric documents Powertools printed: each metric's name, its
    dimensions and their values."""
    documents = [json.loads(line) for line in stdout.splitlines() if line.startswith('{"_aws"')]
    return [
        {
            "name": metric["Name"],
            "dimensions": {name: document[name] for name in directive["Dimensions"][0]},
        }
        for document in documents
        for directive in document["_aws"]["CloudWatchMetrics"]
        for metric in directive["Metrics"]
    ]
