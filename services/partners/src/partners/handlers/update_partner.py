"""POST /partner/{partner_id}: the admin moves a partner to another tier, or disables or
enables its key."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from partners import runtime
from partners.logic import PartnerDesk
from partners.models import PartnerChangeRequest, PartnerKey
from partners.settings import PartnerAdminSettings
from shop_common.api import create_app, entrypoint, json_response, parse_body, parse_path
from shop_common.caller import caller_from


def build_app(settings: PartnerAdminSettings, desk: PartnerDesk) -> APIGatewayRestResolver:
    """The route on `desk` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.post("/partner/<partner_id>")
    def update_partner(partner_id: str) -> Response[str]:
        caller = caller_from(app.current_event)
        key = parse_path({"partner_id": partner_id}, PartnerKey)
        request = parse_body(app.current_event.decoded_body, PartnerChangeRequest)
        return json_response(HTTPStatus.OK, desk.change(caller, key.partner_id, request))

    return app


_settings = runtime.admin_settings()
app = build_app(_settings, runtime.partner_desk(_settings))
lambda_handler = entrypoint(app)
