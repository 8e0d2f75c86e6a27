"""POST /partner: the admin creates a partner's API key in a tier (201, the key's value in
this answer only)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from partners import runtime
from partners.logic import PartnerDesk
from partners.models import NewPartnerRequest
from partners.settings import PartnerAdminSettings
from shop_common.api import create_app, entrypoint, json_response, parse_body
from shop_common.caller import caller_from


def build_app(settings: PartnerAdminSettings, desk: PartnerDesk) -> APIGatewayRestResolver:
    """The route on `desk` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.post("/partner")
    def create_partner() -> Response[str]:
        caller = caller_from(app.current_event)
        request = parse_body(app.current_event.decoded_body, NewPartnerRequest)
        return json_response(HTTPStatus.CREATED, desk.create(caller, request))

    return app


_settings = runtime.admin_settings()
app = build_app(_settings, runtime.partner_desk(_settings))
lambda_handler = entrypoint(app)
