"""What a page says about a refused request (api.js's errorFrom, run in Node as the browser
runs it): never API Gateway's own answer, nor a service's developer wording."""

import json
import re

import pytest

from stacks.templates import load_openapi
from tests.builders.javascript import evaluate

GATEWAY_RESPONSES = load_openapi()["x-amazon-apigateway-gateway-responses"]


def gateway_answers() -> list[tuple[int, str]]:
    """(status, message) of each gateway response whose message openapi.yaml writes out."""
    answers = []
    for name, response in GATEWAY_RESPONSES.items():
        template = response["responseTemplates"]["application/json"]
        written = re.fullmatch(r'\{"message":"(?P<message>[^"]+)"\}', template)
        status = int(response.get("statusCode", 500 if name.endswith("5XX") else 400))
        if written:
            answers.append((status, written["message"]))
    return answers


def shown(status: int, payload: dict[str, object]) -> str:
    message: str = evaluate(
        "api.js", ["errorFrom"], f"errorFrom({status}, {json.dumps(payload)}).message"
    )
    return message


@pytest.mark.parametrize(("status", "message"), gateway_answers())
def test_api_gateways_own_answer_never_reaches_a_page(status: int, message: str) -> None:
    assert message not in shown(status, {"message": message})


def test_a_services_wording_never_reaches_a_page() -> None:
    payload = {
        "message": "Product 0b6f0c3e-3c1b-4b51-a3a2-6b0e4f3c9d01 not found",
        "errors": [{"field": "product_id", "message": "no such product"}],
    }

    assert shown(404, payload) == "That item no longer exists."
