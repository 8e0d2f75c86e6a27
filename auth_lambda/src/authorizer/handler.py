"""Lambda entry point of the TOKEN authorizer (`Authorization: Bearer <jwt>`).

Whatever goes wrong, API Gateway gets `Unauthorized` (its 401); the reason goes to the log
and never to the caller.
"""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerTokenEvent,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from authorizer.errors import AuthorizationRefusedError
from authorizer.jwks import JwksClient
from authorizer.logic import authorize
from authorizer.sessions import CognitoSessions
from authorizer.settings import AuthorizerSettings
from authorizer.verification import TokenVerifier

# The exact message API Gateway turns into a 401.
UNAUTHORIZED = "Unauthorized"

logger = Logger()
settings = AuthorizerSettings.from_env()
verifier = TokenVerifier(
    issuer=settings.issuer,
    client_id=settings.user_pool_client_id,
    signing_keys=JwksClient.from_url(settings.jwks_url),
)
sessions = CognitoSessions(settings.cognito_endpoint)


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = APIGatewayAuthorizerTokenEvent(event)
    try:
        return authorize(request.authorization_token, request.method_arn, verifier, sessions)
    except AuthorizationRefusedError as refusal:
        logger.warning("Request refused", reason=refusal.reason)
    except Exception:
        # Fail closed: a fault here must never let a request through, nor become a 500.
        logger.exception("Authorizer fault; request refused")
    raise Exception(UNAUTHORIZED)
