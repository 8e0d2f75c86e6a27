"""REST API (v1) proxy events as API Gateway builds them (local/apigateway/proxy.py), and a
Lambda context."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from boto3.dynamodb.types import TypeSerializer

from local.apigateway.policies import Authorization
from local.apigateway.proxy import Caller as ProxyCaller
from local.apigateway.proxy import ProxyRequest, Stage, proxy_event
from shop_common.pagination import NEXT_CURSOR_HEADER
from tests.builders.callers import Caller

STAGE = "test"
API_ID = "testapi"
ACCOUNT_ID = "123456789012"
REGION = "eu-west-1"
WEB_ORIGIN = "http://localhost:8000"


def api_event(
    method: str,
    resource: str,
    *,
    caller: Caller | None,
    path_parameters: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An event for `method resource` (e.g. `DELETE /order/{order_id}`), built by the local
    gateway's own proxy-event builder, so a test sends what the emulator sends.

    `body` is sent as JSON unless it is already a string (to send malformed JSON) or bytes.
    """
    path = resource
    for name, value in (path_parameters or {}).items():
        path = path.replace("{" + name + "}", value)
    all_headers = {"Content-Type": "application/json", "Origin": WEB_ORIGIN, **(headers or {})}
    now = datetime.now(UTC)
    request = ProxyRequest(
        method=method,
        resource=resource,
        path=path,
        stage=Stage(STAGE, API_ID, ACCOUNT_ID, f"{API_ID}.execute-api.{REGION}.amazonaws.com"),
        request_id=str(uuid4()),
        trace_id=f"Root=1-{int(now.timestamp()):08x}-{uuid4().hex[:24]}",
        extended_request_id=uuid4().hex[:16],
        request_time=now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        request_time_epoch=int(now.timestamp() * 1000),
        headers=list(all_headers.items()),
        query={name: [value] for name, value in (query or {}).items()},
        path_parameters=path_parameters or {},
        body=_raw_body(body),
        caller=ProxyCaller(user_agent="pytest"),
        authorization=_authorization(caller),
    )
    return proxy_event(request)


def _raw_body(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    return (body if isinstance(body, str) else json.dumps(body)).encode()


def _authorization(caller: Caller | None) -> Authorization | None:
    """What the shop's authorizer returns for `caller` (its policy is the gateway's concern)."""
    if caller is None:
        return None
    context = caller.authorizer_context()
    principal = context.pop("principalId")
    return Authorization(principal_id=principal, policy={}, context=context)


@dataclass
class LambdaContext:
    """The attributes of a Lambda context that Powertools reads."""

    function_name: str = "test-function"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:test-function"
    aws_request_id: str = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def response_json(response: dict[str, Any]) -> Any:
    return json.loads(response["body"]) if response.get("body") else None


def method_arn(
    method: str,
    path: str,
    *,
    stage: str = STAGE,
    api_id: str = "testapi",
    account_id: str = "123456789012",
    region: str = "eu-west-1",
) -> str:
    """The ARN API Gateway puts in an authorizer event for a request (`GET`, `/order/o-1`)."""
    return f"arn:aws:execute-api:{region}:{account_id}:{api_id}/{stage}/{method}{path}"


def token_authorizer_event(authorization: str, method: str, path: str) -> dict[str, Any]:
    """The event of a TOKEN authorizer whose identity source is the Authorization header."""
    return {
        "type": "TOKEN",
        "authorizationToken": authorization,
        "methodArn": method_arn(method, path),
    }


def stream_event(*changes: tuple[dict[str, Any] | None, dict[str, Any] | None]) -> dict[str, Any]:
    """A DynamoDB stream batch (NEW_AND_OLD_IMAGES) of the Orders table, one record per
    (old item, new item) change: None for no old item (INSERT) or no new one (REMOVE)."""
    serialize = TypeSerializer().serialize
    records = []
    for number, (old, new) in enumerate(changes, start=1):
        item = new if new is not None else old
        assert item is not None
        images = {"OldImage": old, "NewImage": new}
        record = {
            "eventID": uuid4().hex,
            "eventName": "INSERT" if old is None else "MODIFY" if new is not None else "REMOVE",
            "eventSource": "aws:dynamodb",
            "awsRegion": "eu-west-1",
            "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/x",
            "dynamodb": {
                "Keys": {"order_id": serialize(item["order_id"])},
                "SequenceNumber": f"{number:021d}",
                "StreamViewType": "NEW_AND_OLD_IMAGES",
                **{
                    name: {key: serialize(value) for key, value in image.items()}
                    for name, image in images.items()
                    if image is not None
                },
            },
        }
        records.append(record)
    return {"Records": records}


def cloudtrail_event(
    event_name: str,
    who: str,
    *,
    request: dict[str, Any] | None = None,
    response: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A CloudFront management call as CloudTrail delivers it to EventBridge (us-east-1)."""
    return {
        "version": "0",
        "id": str(uuid4()),
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.cloudfront",
        "account": "123456789012",
        "time": "2026-12-06T12:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": {
            "eventVersion": "1.08",
            "userIdentity": {"type": "IAMUser", "arn": who, "principalId": "AIDAEXAMPLE"},
            "eventSource": "cloudfront.amazonaws.com",
            "eventName": event_name,
            "awsRegion": "us-east-1",
            "requestParameters": request,
            "responseElements": response,
        },
    }


def scheduled_event(schedule: str) -> dict[str, Any]:
    """What EventBridge Scheduler sends a Lambda target without an Input: its schedule's
    identity, nothing else to act on."""
    return {"schedule": schedule}


def next_cursor(response: dict[str, Any]) -> str | None:
    """A listing's `X-Next-Cursor` (None on its last page)."""
    values = (response.get("multiValueHeaders") or {}).get(NEXT_CURSOR_HEADER)
    return values[0] if values else None
