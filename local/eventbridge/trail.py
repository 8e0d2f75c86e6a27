"""CloudTrail's management events of the emulated CloudFront, as EventBridge receives them in
us-east-1 ("AWS API Call via CloudTrail"): one per call that changed something, naming who
made it by the access key that signed the request (its IAM user in the emulator, if any)."""

import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.iam.models import iam_backends

Event = dict[str, Any]
# The calls CloudTrail records as CloudFront management events that change a distribution.
CHANGING_CALLS = frozenset(
    {
        "CreateDistribution",
        "CreateDistributionWithTags",
        "UpdateDistribution",
        "DeleteDistribution",
        "TagResource",
        "UntagResource",
    }
)
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/")


def access_key_of(authorization: str) -> str | None:
    """The access key id a SigV4 `Authorization` header was signed with."""
    found = _CREDENTIAL.search(authorization)
    return found.group(1) if found else None


def identity(access_key_id: str | None) -> dict[str, str]:
    """CloudTrail's `userIdentity` for the access key: its IAM user's, or the account's own
    (the emulator's default credentials belong to no user)."""
    users = iam_backends[DEFAULT_ACCOUNT_ID]["global"]
    user = users.get_user_from_access_key_id(access_key_id) if access_key_id else None
    if user is None:
        return {
            "type": "Root",
            "arn": f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:root",
            "principalId": DEFAULT_ACCOUNT_ID,
            "accessKeyId": access_key_id or "",
        }
    return {
        "type": "IAMUser",
        "arn": user.arn,
        "principalId": user.id,
        "userName": user.name,
        "accessKeyId": access_key_id or "",
    }


class ManagementEvents:
    """The trail: each recorded call goes to every subscriber (the local EventBridge)."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[[Event], None]] = []

    def subscribe(self, deliver: Callable[[Event], None]) -> None:
        self._subscribers.append(deliver)

    def record(
        self,
        call: str,
        params: Mapping[str, Any],
        result: Mapping[str, Any] | None,
        access_key_id: str | None,
    ) -> None:
        if call not in CHANGING_CALLS or not self._subscribers:
            return
        event = trail_event(call, params, result, identity(access_key_id))
        for deliver in self._subscribers:
            deliver(event)


def trail_event(
    call: str,
    params: Mapping[str, Any],
    result: Mapping[str, Any] | None,
    user_identity: Mapping[str, str],
) -> Event:
    """The EventBridge event of one call, with CloudTrail's names for what it was about."""
    request = {
        name: params[key] for key, name in (("Id", "id"), ("Resource", "resource")) if key in params
    }
    created = (result or {}).get("Distribution")
    response = {"distribution": {"id": created["Id"], "aRN": created["ARN"]}} if created else None
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.cloudfront",
        "account": DEFAULT_ACCOUNT_ID,
        "time": now,
        "region": "us-east-1",
        "resources": [],
        "detail": {
            "eventVersion": "1.08",
            "userIdentity": dict(user_identity),
            "eventTime": now,
            "eventSource": "cloudfront.amazonaws.com",
            "eventName": call,
            "awsRegion": "us-east-1",
            "requestParameters": request or None,
            "responseElements": response,
            "eventID": str(uuid.uuid4()),
            "eventType": "AwsApiCall",
            "managementEvent": True,
        },
    }
