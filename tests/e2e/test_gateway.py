"""API Gateway's behaviour over HTTP on the running stack: its own answers, CORS, throttling,
request ids and access log; and the rest of the local server (config.json, site, Cognito)."""

import socket
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import requests
from jose import jwt

from stacks.templates import load_openapi
from tests.e2e.stack import ApiClient, RunningStack, Tokens

GATEWAY_RESPONSES = load_openapi()["x-amazon-apigateway-gateway-responses"]
# Per client: with the stage's default burst (100) and rate (50/s), 8 clients empty the
# bucket unless the machine answers under ~60 requests per second.
MAX_HAMMER_REQUESTS = 300


def configured_status(response_type: str) -> int:
    """The status openapi.yaml gives API Gateway's answer of this type."""
    return int(GATEWAY_RESPONSES[response_type]["statusCode"])


def assert_cors(response: requests.Response, origin: str) -> None:
    assert response.headers["Access-Control-Allow-Origin"] == origin


def test_an_unknown_route_gets_api_gateways_configured_answer(
    shopper: ApiClient, stack: RunningStack
) -> None:
    for method, path in (("GET", "/nope"), ("PUT", "/products"), ("GET", "/product")):
        response = shopper.request(method, path)
        assert response.status_code == configured_status("MISSING_AUTHENTICATION_TOKEN")
        assert response.json()["message"]
        assert_cors(response, stack.origin)


def test_no_token_is_a_401_with_cors(anonymous: ApiClient, stack: RunningStack) -> None:
    response = anonymous.get("/orders")
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}
    assert_cors(response, stack.origin)


def test_a_shopper_on_an_admin_route_is_a_403_with_cors(
    shopper: ApiClient, stack: RunningStack
) -> None:
    response = shopper.post("/product", {"name": "Not mine", "price": 1})
    assert response.status_code == 403
    assert response.json()["message"]
    assert_cors(response, stack.origin)


def test_a_success_carries_cors_for_the_web_origin(shopper: ApiClient, stack: RunningStack) -> None:
    response = shopper.get("/products", params={"limit": 1})
    assert response.status_code == 200
    assert_cors(response, stack.origin)
    assert "X-Next-Cursor" in response.headers["Access-Control-Expose-Headers"]


def test_a_preflight_allows_the_web_clients_headers(
    anonymous: ApiClient, stack: RunningStack
) -> None:
    response = anonymous.request(
        "OPTIONS",
        "/order",
        headers={
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
        },
    )
    assert response.status_code == 204
    assert_cors(response, stack.origin)
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Idempotency-Key" in response.headers["Access-Control-Allow-Headers"]


def test_every_answer_has_a_request_id_and_one_access_log_line(
    shopper: ApiClient, anonymous: ApiClient, stack: RunningStack
) -> None:
    # When a success and a gateway refusal are answered
    responses = [shopper.get("/products"), anonymous.get("/orders")]
    # Then each has a request id, logged once with its status
    time.sleep(0.2)
    log = stack.output.access_log()
    for response in responses:
        request_id = response.headers["x-amzn-RequestId"]
        (entry,) = [entry for entry in log if entry["requestId"] == request_id]
        assert entry["status"] == str(response.status_code)


def test_an_answer_of_a_function_carries_its_handlers_run_in_server_timing(
    shopper: ApiClient, anonymous: ApiClient
) -> None:
    # When a function answers, and the gateway refuses a request before any function runs
    answered, refused = shopper.get("/products"), anonymous.get("/orders")

    # Then the first names the handler's run in its worker (local only: Lambda's REPORT
    # Duration), the second has nothing to time
    entries = dict(
        entry.strip().split(";dur=") for entry in answered.headers["Server-Timing"].split(",")
    )
    assert float(entries["lambda"]) > 0
    assert "Server-Timing" not in refused.headers


def test_past_the_stage_burst_the_gateway_throttles_with_cors(
    stack: RunningStack, anonymous: ApiClient
) -> None:
    # Given one route hammered by 8 clients (anonymous: throttling comes before authorization)
    path = f"/order/{uuid.uuid4()}"

    def hammer(_: int) -> list[requests.Response]:
        # Each client stops at its first 429 (bounded, however slow the machine is).
        client = stack.client(None)
        responses = []
        for _ in range(MAX_HAMMER_REQUESTS):
            responses.append(client.delete(path))
            if responses[-1].status_code == 429:
                break
        return responses

    # When they send more than the stage's burst at once
    with ThreadPoolExecutor(8) as pool:
        responses = [response for batch in pool.map(hammer, range(8)) for response in batch]
    # Then some are throttled: 429 with a message and CORS, the rest 401
    throttled = [response for response in responses if response.status_code == 429]
    assert throttled
    assert {response.status_code for response in responses} == {401, 429}
    assert throttled[0].json()["message"]
    assert_cors(throttled[0], stack.origin)
    # (let the route's bucket refill for the tests that follow)
    time.sleep(2.5)


def test_config_json_names_the_api_the_pool_and_the_currency(stack: RunningStack) -> None:
    config = requests.get(f"{stack.base_url}config.json", timeout=10).json()
    assert set(config) == {
        "apiUrl",
        "region",
        "userPoolId",
        "userPoolClientId",
        "cognitoEndpoint",
        "currency",
    }
    assert config["currency"] == "EUR"  # the bootstrap template's default
    assert config["apiUrl"].startswith(stack.base_url)
    assert config["cognitoEndpoint"].startswith(stack.base_url)


def test_the_web_client_is_served_at_the_root_and_a_wrong_address_is_s3s_403(
    stack: RunningStack,
) -> None:
    # When a browser asks for the site's root, a file of it, and paths it does not have
    root = requests.get(stack.base_url, timeout=10)
    script = requests.get(f"{stack.base_url}assets/js/main.js", timeout=10)
    wrong = [
        requests.get(f"{stack.base_url}{path}", timeout=10)
        for path in ("orders/some-page", f"{urlsplit(stack.api_url).path.strip('/')}product")
    ]
    # Then the root is the web client and the file is served, but no wrong address is a
    # page: S3 answers 403 through CloudFront, which may only read the bucket's objects
    assert (root.status_code, root.headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert script.status_code == 200
    for response in wrong:
        assert response.status_code == 403, response.url
        assert "<Code>AccessDenied</Code>" in response.text
        assert response.headers["X-Frame-Options"] == "DENY"


def test_the_site_takes_only_the_methods_its_distribution_allows(stack: RunningStack) -> None:
    # When a client sends to the site what CloudFront's behaviours do not allow
    refused = [
        requests.request(method, f"{stack.base_url}{path}", timeout=10)
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS")
        for path in ("", "devproduct/x", "images/some.png")
    ]
    head = requests.head(stack.base_url, timeout=10)
    # Then each is CloudFront's 403, never the site's page; HEAD is answered as GET is
    for response in refused:
        assert response.status_code == 403, (response.request.method, response.url)
        assert "<html" not in response.text.lower()
    assert (head.status_code, head.content) == (200, b"")


def test_under_the_stage_every_method_and_path_is_api_gateways(stack: RunningStack) -> None:
    # When a client sends to paths of the stage that the API does not have
    answers = [
        requests.request(method, f"{stack.api_url}{path}", timeout=10)
        for method, path in (("DELETE", "/productx"), ("POST", ""), ("GET", "/"), ("PATCH", "/x/y"))
    ]
    # Then API Gateway answers them itself, as openapi.yaml configures it
    for response in answers:
        assert response.status_code == configured_status("MISSING_AUTHENTICATION_TOKEN")
        assert response.json() == {"message": "Missing Authentication Token"}


def test_the_site_carries_the_distributions_security_headers(stack: RunningStack) -> None:
    # When the browser loads the page
    root = requests.get(stack.base_url, timeout=10)
    # Then it gets the headers of bootstrap/template.yaml's response-headers policy
    assert "default-src 'self'" in root.headers["Content-Security-Policy"]
    assert root.headers["X-Frame-Options"] == "DENY"
    assert root.headers["X-Content-Type-Options"] == "nosniff"
    assert root.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_cognito_answers_the_sites_preflight_for_the_site_only(stack: RunningStack) -> None:
    response = requests.options(
        stack.config["cognitoEndpoint"],
        headers={"Origin": stack.origin, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == stack.origin
    assert "X-Amz-Target" in response.headers["Access-Control-Allow-Headers"]


def test_a_username_with_quotes_keeps_every_access_log_line_json(stack: RunningStack) -> None:
    # Given a shopper whose username holds the characters JSON escapes (Cognito accepts them)
    tokens = stack.new_shopper('o"brien\\')
    client = stack.client_for(tokens)
    # When they call the API
    response = client.get("/orders")
    assert response.status_code == 200
    # Then their access-log line parses as JSON and names them by their immutable sub
    time.sleep(0.2)
    (entry,) = [
        entry
        for entry in stack.output.access_log()
        if entry["requestId"] == response.headers["x-amzn-RequestId"]
    ]
    assert entry["sub"] == jwt.get_unverified_claims(tokens.access_token)["sub"]


def test_a_body_shorter_than_its_content_length_is_a_400_not_a_500(
    stack: RunningStack, shopper_tokens: Tokens
) -> None:
    # Given a client that announces 50 bytes more of body than it sends, then stops sending
    api = urlsplit(stack.api_url)
    body = b'{"product_id": "0b6f0c3e-3c1b-4b51-a3a2-6b0e4f3c9d01", "quantity": 1}'
    head = (
        f"POST {api.path}/order HTTP/1.1\r\nHost: {api.netloc}\r\n"
        f"Authorization: Bearer {shopper_tokens.access_token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body) + 50}\r\n\r\n"
    )

    # When it is answered
    with socket.create_connection((api.hostname, api.port), timeout=30) as connection:
        connection.sendall(head.encode() + body)
        connection.shutdown(socket.SHUT_WR)
        status_line = connection.makefile("rb").readline()

    # Then it is API Gateway's 400 for a bad body, not an emulator failure
    assert status_line.split()[1] == str(configured_status("BAD_REQUEST_BODY")).encode()
