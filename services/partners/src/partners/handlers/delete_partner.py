"""DELETE /partner/{partner_id}: the admin revokes a partner's key (204; 404 if none)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from partners import runtime
from partners.logic import PartnerDesk
from partners.models import PartnerKey
from partners.settings import PartnerAdminSettings
from shop_common.api import create_app, entrypoint, json_response, parse_path
from shop_common.caller import caller_from


def build_app(settings: PartnerAdminSettings, desk: PartnerDesk) -> APIGatewayRestResolver:
    """The route on `desk` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.delete("/partner/<partner_id>")
    def delete_partner(partner_id: str) -> Response[str]:
        caller = caller_from(app.current_event)
        key = parse_path({"partner_id": partner_id}, PartnerKey)
        desk.revoke(caller, key.partner_id)
        return json_response(HTTPStatus.NO_CONTENT)

    return app


_settings = runtime.admin_settings()
app = build_app(_settings, runtime.partner_desk(_settings))
lambda_handler = entrypoint(app)
