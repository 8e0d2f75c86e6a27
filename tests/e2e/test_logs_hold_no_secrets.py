"""No token, e-mail address, password or delivery address reaches any log: everything the
local stack and its functions (authorizer included) write while a shopper and the admin go
through a whole flow, refusals and sign-out included, is read back and searched."""

import re
import uuid
from dataclasses import dataclass

import pytest

from tests.builders.data import address, order_request
from tests.e2e.stack import PASSWORD, RunningStack, Tokens

# A delivery address no other log line could hold by chance.
DELIVERY = address(
    name="Quietly Delivered",
    lines=["221B Hushed Lane", "Flat Ninety-Nine"],
    postcode="QX9 8ZZ",
    city="Whisperton",
    country="GB",
    phone="+44 7700 900123",
)
# An `address` key, in a JSON line or in JSON quoted inside one.
ADDRESS_FIELD = re.compile(r'address\\*"\s*:')
# Any JWT: three base64url parts, the first two JSON objects ("eyJ" is `{"`).
JWT = re.compile(r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+")
# The local mail server's delivery line: it stands for the mailbox SES delivers to, whose
# address is its point, as the printed sign-up codes stand for the e-mail Cognito sends.
MAIL_DELIVERY = re.compile(r"^Mail to \S+@\S+: ")


@dataclass(frozen=True)
class Flow:
    secrets: dict[str, str]  # what must not be logged, by what it is
    lines: list[str]  # everything written while the flow ran


@pytest.fixture(scope="module")
def flow(stack: RunningStack, admin_tokens: Tokens) -> Flow:
    start = len(stack.output.lines)
    username = f"logs-{uuid.uuid4().hex[:8]}"
    email = f"{username}.private@example.com"
    stack.cognito.sign_up(
        ClientId=stack.client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    stack.confirm(username, stack.confirmation_code(username, start))
    shopper = stack.sign_in(username)
    shop, admin = stack.client_for(shopper), stack.client_for(admin_tokens)

    product = admin.post("/product", {"name": "Log-free kettle", "price": 20}).json()
    order = shop.post(
        "/order",
        order_request(product["product_id"], quantity=2, address=DELIVERY),
        headers={"Idempotency-Key": str(uuid.uuid4())},
    ).json()
    assert stack.client_for(shopper, "id").get("/orders").status_code == 200
    assert admin.post("/order", {"order_id": order["order_id"], "status": "shipped"}).ok
    # Refusals the functions log (an unknown product, a shopper cancelling a shipped order)
    # and one the authorizer logs (a token it cannot verify).
    assert shop.post("/order", order_request(str(uuid.uuid4()), quantity=1)).status_code == 404
    # A delivery address refused (a country ISO does not know), and the admin reading them
    refused = order_request(product["product_id"], address={**DELIVERY, "country": "QQ"})
    assert shop.post("/order", refused).status_code == 400
    assert admin.get(f"/order/{order['order_id']}").json()["address"] == DELIVERY
    assert admin.get("/orders").status_code == 200
    assert (
        shop.post("/order", {"order_id": order["order_id"], "status": "cancelled"}).status_code
        == 403
    )
    forged = shopper.access_token[:-4] + "AAAA"
    assert stack.client(f"Bearer {forged}").get("/orders").status_code == 401
    stack.cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": shopper.refresh_token},
    )
    stack.cognito.revoke_token(Token=shopper.refresh_token, ClientId=stack.client_id)
    # The access log line of the last request is written after its answer.
    stack.output.wait_for(re.compile(r'"status": ?"?401'), timeout=10, start=start)
    secrets = {
        **{
            f"address {field}": value
            for field, value in DELIVERY.items()
            if field not in {"lines", "country"}
        },
        **{f"address line {n}": line for n, line in enumerate(DELIVERY["lines"], 1)},
        "e-mail": email,
        "password": PASSWORD,
        "forged token": forged,
        **{
            f"{who}'s {kind} token": token
            for who, tokens in (("shopper", shopper), ("admin", admin_tokens))
            for kind, token in (
                ("access", tokens.access_token),
                ("ID", tokens.id_token),
                ("refresh", tokens.refresh_token),
            )
        },
    }
    return Flow(secrets, stack.output.lines[start:])


def test_the_flow_was_logged_by_the_functions_and_the_authorizer(flow: Flow) -> None:
    # (Without their lines, the absence below would prove nothing.)
    logged = "\n".join(flow.lines).replace(" ", "")
    assert "Requestrefused" in logged
    assert '"service":"authorizer"' in logged
    assert '"service":"orders"' in logged


def test_nothing_that_looks_like_a_token_reaches_any_log(flow: Flow) -> None:
    assert [line for line in flow.lines if JWT.search(line)] == []


def test_no_token_password_or_email_of_the_flow_reaches_any_log(flow: Flow) -> None:
    logged = "\n".join(line for line in flow.lines if not MAIL_DELIVERY.match(line))
    assert [what for what, secret in flow.secrets.items() if secret in logged] == []


def test_no_address_field_reaches_any_log(flow: Flow) -> None:
    assert [line for line in flow.lines if ADDRESS_FIELD.search(line)] == []
