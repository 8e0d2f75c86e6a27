"""GET /partners: every partner with its tier, state and requests today and this week (admin)."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from partners import runtime
from partners.logic import PartnerDesk
from partners.settings import PartnerAdminSettings
from shop_common.api import create_app, entrypoint, json_response
from shop_common.caller import caller_from


def build_app(settings: PartnerAdminSettings, desk: PartnerDesk) -> APIGatewayRestResolver:
    """The route on `desk` (tests pass their own; the Lambda gets the real one)."""
    app = create_app(settings)

    @app.get("/partners")
    def get_partners() -> Response[str]:
        caller = caller_from(app.current_event)
        return json_response(HTTPStatus.OK, desk.list(caller))

    return app


_settings = runtime.admin_settings()
app = build_app(_settings, runtime.partner_desk(_settings))
lambda_handler = entrypoint(app)
