"""Tracing is deferred, not given up: a handler imported as Lambda imports it leaves the
X-Ray SDK unloaded, and an invocation X-Ray samples is traced, its DynamoDB calls included.

Each handler runs in a process of its own with Lambda's environment (a fresh import, as a
cold start has), against moto's server; a UDP socket stands in for the X-Ray daemon.
"""

import json
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from local.aws import emulator
from stacks.environment import fake_credentials_environment, lambda_environment
from stacks.templates import REPO_ROOT
from tests.builders.callers import ADMIN, SHOPPER
from tests.builders.data import address, order_request, product_item
from tests.builders.environments import in_fresh_process
from tests.builders.events import WEB_ORIGIN, api_event
from tests.builders.tables import TEST_TABLE_NAMES, create_bootstrap_tables

COMMON_SOURCE = REPO_ROOT / "services" / "common"
REGION = "eu-west-1"

# Imports the handler, then invokes it once per trace header it is given, in turn.
_COLD_START = """
import json, os, sys
from tests.builders.events import LambdaContext
spec = json.load(sys.stdin)
module = __import__(spec["module"], fromlist=["lambda_handler"])
loaded_at_import = "aws_xray_sdk" in sys.modules
statuses = []
for header in spec["trace_headers"]:
    os.environ["_X_AMZN_TRACE_ID"] = header
    statuses.append(module.lambda_handler(spec["event"], LambdaContext())["statusCode"])
print(json.dumps({"xray_at_import": loaded_at_import,
                  "xray_after_call": "aws_xray_sdk" in sys.modules,
                  "status": statuses[-1]}))
"""


@dataclass(frozen=True)
class TracedFunction:
    """A handler module, its code and its template's variables, and the request it gets."""

    name: str
    module: str
    source: Path
    variables: dict[str, str]
    event: dict[str, Any]


COMMON_VARIABLES = {"POWERTOOLS_METRICS_NAMESPACE": "ShopTest", "ALLOWED_ORIGINS": WEB_ORIGIN}
GET_PRODUCTS = TracedFunction(
    name="GetProductsFunction",
    module="products.handlers.get_products",
    source=REPO_ROOT / "services" / "products" / "src",
    variables={
        **COMMON_VARIABLES,
        "POWERTOOLS_SERVICE_NAME": "products",
        "PRODUCTS_TABLE_NAME": TEST_TABLE_NAMES["ProductsTable"],
        "IMAGES_BUCKET_NAME": "shop-test-product-images",
        "IMAGE_BASE_URL": f"{WEB_ORIGIN}/",
    },
    event=api_event("GET", "/products", caller=ADMIN),
)
LAMP = product_item(name="Traced lamp")
# An address no segment could hold by chance.
DELIVERY = address(
    name="Untraced Recipient",
    lines=["7 Unseen Row"],
    postcode="ZX1 1XZ",
    city="Nowhereham",
    phone="+44 7700 900456",
)
PLACE_ORDER = TracedFunction(
    name="UpsertOrderFunction",
    module="orders.handlers.upsert_order",
    source=REPO_ROOT / "services" / "orders" / "src",
    variables={
        **COMMON_VARIABLES,
        "POWERTOOLS_SERVICE_NAME": "orders",
        "ORDERS_TABLE_NAME": TEST_TABLE_NAMES["OrdersTable"],
        "PRODUCTS_TABLE_NAME": TEST_TABLE_NAMES["ProductsTable"],
        "IDEMPOTENCY_TABLE_NAME": TEST_TABLE_NAMES["IdempotencyTable"],
        "USER_POOL_ID": "eu-west-1_traced",
        "SHOP_CURRENCY": "EUR",
    },
    event=api_event(
        "POST",
        "/order",
        caller=SHOPPER,
        body=order_request(LAMP["product_id"], address=DELIVERY),
        headers={"Idempotency-Key": "traced-1"},
    ),
)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with emulator() as url:
        client = boto3.client("dynamodb", endpoint_url=url, region_name=REGION)
        create_bootstrap_tables(client)
        boto3.resource("dynamodb", endpoint_url=url, region_name=REGION).Table(
            TEST_TABLE_NAMES["ProductsTable"]
        ).put_item(Item=LAMP)
        yield url


@pytest.fixture
def daemon() -> Iterator[socket.socket]:
    """A UDP socket where the X-Ray daemon would listen."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.settimeout(2)
        yield listener


def cold_start(
    endpoint: str,
    daemon: socket.socket,
    *,
    sampled: bool,
    initialization_type: str = "on-demand",
    earlier_unsampled_calls: int = 0,
    function: TracedFunction = GET_PRODUCTS,
) -> dict[str, Any]:
    """Import `function` in a fresh Lambda-like process and send it its request (after
    `earlier_unsampled_calls` that X-Ray did not sample)."""
    host, port = daemon.getsockname()
    environment = lambda_environment(
        f"shop-test-{function.name}",
        handler=f"{function.module}.lambda_handler",
        task_root=function.source,
        memory_mb=512,
        region=REGION,
        template_variables=function.variables,
        emulator={
            **fake_credentials_environment(REGION, endpoint),
            "AWS_XRAY_DAEMON_ADDRESS": f"{host}:{port}",
            "PYTHONPATH": os.pathsep.join(map(str, (function.source, COMMON_SOURCE, REPO_ROOT))),
        },
        initialization_type=initialization_type,
    )
    spec = {
        "module": function.module,
        "event": function.event,
        "trace_headers": [trace_header(sampled=False)] * earlier_unsampled_calls
        + [trace_header(sampled=sampled)],
    }
    result: dict[str, Any] = in_fresh_process(_COLD_START, environment, stdin=json.dumps(spec))
    return result


def trace_header(*, sampled: bool) -> str:
    """An invocation's `_X_AMZN_TRACE_ID`, as Lambda sets it, with X-Ray's sampling decision."""
    root = "Root=1-674a1b2c-0123456789abcdef01234567;Parent=53995c3f42cd8ad8"
    return f"{root};Sampled={int(sampled)}"


def sent_segments(daemon: socket.socket) -> list[dict[str, Any]]:
    """Every (sub)segment document the daemon received, nested ones included."""
    documents = []
    try:
        while True:
            datagram = daemon.recv(65536).decode()
            _header, _, body = datagram.partition("\n")
            documents.append(json.loads(body))
    except TimeoutError:
        pass
    return [segment for document in documents for segment in _flattened(document)]


def _flattened(segment: dict[str, Any]) -> list[dict[str, Any]]:
    nested = segment.get("subsegments", [])
    return [segment, *(inner for child in nested for inner in _flattened(child))]


def test_a_handler_import_leaves_the_xray_sdk_for_the_first_traced_call(
    endpoint: str, daemon: socket.socket
) -> None:
    # Given a cold start as Lambda runs it, When the first request is sampled by X-Ray
    result = cold_start(endpoint, daemon, sampled=True)

    # Then the import did not load the X-Ray SDK, the request did, and it answered
    assert result == {"xray_at_import": False, "xray_after_call": True, "status": 200}


def test_a_sampled_call_is_traced_with_its_dynamodb_calls(
    endpoint: str, daemon: socket.socket
) -> None:
    # Given a cold start whose first request X-Ray samples
    cold_start(endpoint, daemon, sampled=True)

    # Then the daemon got the handler's subsegment, marked as the cold start, and the Query
    segments = sent_segments(daemon)
    handler = next(s for s in segments if s["name"] == "## lambda_handler")
    assert handler["annotations"]["ColdStart"] is True
    assert handler["annotations"]["Service"] == "products"
    calls = [s for s in segments if s.get("namespace") == "aws"]
    assert [(s["name"], s["aws"]["operation"]) for s in calls] == [("dynamodb", "Query")]


def test_a_traced_call_records_neither_the_response_nor_the_request(
    endpoint: str, daemon: socket.socket
) -> None:
    # Given a cold start whose first request X-Ray samples
    cold_start(endpoint, daemon, sampled=True)

    # Then what the daemon got holds no part of the response (status, headers, body) and no
    # part of the request (its headers, who called)
    sent = json.dumps(sent_segments(daemon))
    handler = next(s for s in sent_segments_named(sent, "## lambda_handler"))
    assert "metadata" not in handler or "response" not in json.dumps(handler["metadata"])
    leaks = ["statusCode", "Access-Control-Allow-Origin", WEB_ORIGIN, ADMIN.username, "Bearer"]
    assert [leak for leak in leaks if leak in sent] == []


def test_a_traced_order_records_nowhere_where_it_is_delivered(
    endpoint: str, daemon: socket.socket
) -> None:
    # Given a cold start whose first request, placing an order with a delivery address, X-Ray
    # samples
    result = cold_start(endpoint, daemon, sampled=True, function=PLACE_ORDER)
    assert result["status"] == 201

    # Then the trace was sent (its DynamoDB calls included) and holds no part of the address
    sent = json.dumps(sent_segments(daemon), ensure_ascii=False)
    assert "TransactWriteItems" in sent
    values = [DELIVERY["name"], *DELIVERY["lines"], DELIVERY["postcode"], DELIVERY["city"]]
    assert [value for value in [*values, DELIVERY["phone"]] if value in sent] == []
    assert '"address"' not in sent


def sent_segments_named(sent: str, name: str) -> Iterator[dict[str, Any]]:
    return (segment for segment in json.loads(sent) if segment["name"] == name)


def test_a_first_sampled_call_after_unsampled_ones_is_not_annotated_as_the_cold_start(
    endpoint: str, daemon: socket.socket
) -> None:
    # Given a container whose first request X-Ray did not sample
    # When a later one is sampled
    cold_start(endpoint, daemon, sampled=True, earlier_unsampled_calls=1)

    # Then its trace does not claim the cold start
    segments = sent_segments(daemon)
    handler = next(s for s in segments if s["name"] == "## lambda_handler")
    assert handler["annotations"]["ColdStart"] is False


def test_a_call_x_ray_does_not_sample_sends_nothing_and_loads_no_sdk(
    endpoint: str, daemon: socket.socket
) -> None:
    # Given a cold start whose first request X-Ray does not sample
    result = cold_start(endpoint, daemon, sampled=False)

    # Then the request is answered without the SDK, and nothing goes to the daemon
    assert result == {"xray_at_import": False, "xray_after_call": False, "status": 200}
    assert sent_segments(daemon) == []


def test_the_tracer_is_made_at_import_when_lambda_initializes_ahead_of_requests(
    endpoint: str, daemon: socket.socket
) -> None:
    # Given SnapStart's initialization, which runs before any request (for the snapshot)
    # When the handler is imported and called
    result = cold_start(endpoint, daemon, sampled=True, initialization_type="snap-start")

    # Then the X-Ray SDK was loaded at import: the snapshot holds it
    assert result == {"xray_at_import": True, "xray_after_call": True, "status": 200}
