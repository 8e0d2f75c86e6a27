"""The caller, as the JWT authorizer put it in the request context."""

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shop_common.errors import UnauthorizedError


class Caller(BaseModel):
    model_config = ConfigDict(frozen=True)

    username: str = Field(min_length=1)
    sub: str = Field(min_length=1)
    is_admin: bool = False

    @field_validator("is_admin", mode="before")
    @classmethod
    def parse_flag(cls, value: object) -> object:
        # API Gateway hands a REST authorizer's context values to the function as strings.
        if isinstance(value, str):
            return value.lower() == "true"
        return value


def caller_from(event: APIGatewayProxyEvent) -> Caller:
    try:
        return Caller.model_validate(event.request_context.authorizer.get_context())
    except ValidationError as exc:
        raise UnauthorizedError("No authenticated caller in the request") from exc
