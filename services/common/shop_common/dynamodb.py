"""DynamoDB access shared by the services' data-access layers (the only users of boto3)."""

from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from shop_common.errors import InvalidCursorError

# Short timeouts and standard retries: a Lambda should fail fast rather than hang.
_CLIENT_CONFIG = Config(
    connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"}
)


def dynamodb_table(name: str) -> Any:
    """A boto3 Table; `AWS_ENDPOINT_URL` in the environment points it at an emulator."""
    return boto3.resource("dynamodb", config=_CLIENT_CONFIG).Table(name)


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def raise_for_start_key(exc: ClientError) -> None:
    """A start key that does not fit the table or index is a bad cursor, not a server error."""
    if error_code(exc) == "ValidationException":
        raise InvalidCursorError from exc
