"""Lambda's API for the local functions (local/lambda_/api.py): ListFunctions,
GetFunctionConfiguration and Invoke with its REPORT line, other Lambda calls to moto."""

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from werkzeug.test import Client

from local.lambda_.api import LambdaApi
from local.lambda_.functions import FunctionConfig, FunctionError, Invocation, LocalFunction

NAME = "shop-dev-GetProductsFunction"
FUNCTIONS = "/2015-03-31/functions"


@dataclass
class FakeFunction:
    """A function whose handler answers with the event it got, after 12.5 ms, its first
    invocation a cold start of 250 ms; or fails, when `fails`."""

    config: FunctionConfig
    fails: bool = False
    invocations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.config.name

    def invoke(self, event: dict[str, Any], request_id: str) -> Invocation:
        if self.fails:
            raise FunctionError({"errorType": "KeyError", "errorMessage": "'body'"})
        self.invocations.append(event)
        init_ms = 250.0 if len(self.invocations) == 1 else None
        return Invocation({"echo": event}, 12.5, init_ms)


def function(name: str = NAME, *, fails: bool = False) -> FakeFunction:
    config = FunctionConfig(
        name=name,
        arn=f"arn:aws:lambda:eu-west-1:123456789012:function:{name}:live",
        handler="products.handlers.get_products.lambda_handler",
        task_root=Path("services/products/src"),
        layers=(),
        environment={"PRODUCTS_TABLE": "shop-dev-ProductsTable"},
        timeout_seconds=10,
        memory_mb=512,
    )
    return FakeFunction(config, fails)


def moto(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Stands in for moto's server: answers 404 naming the path."""
    start_response("404 Not Found", [])
    return [environ["PATH_INFO"].encode()]


def api(*functions: FakeFunction) -> Client:
    by_arn = {fake.config.arn: cast(LocalFunction, fake) for fake in functions}
    return Client(LambdaApi(moto, lambda: by_arn))


def test_list_functions_describes_each_function() -> None:
    # Given the stack's functions
    client = api(function(), function("shop-dev-AuthorizerFunction"))

    # When they are listed
    listed = client.get(f"{FUNCTIONS}/").json["Functions"]

    # Then each is there, by name, with its handler, memory and environment
    assert [item["FunctionName"] for item in listed] == ["shop-dev-AuthorizerFunction", NAME]
    assert listed[1]["Handler"] == "products.handlers.get_products.lambda_handler"
    assert listed[1]["MemorySize"] == 512
    assert listed[1]["Environment"] == {"Variables": {"PRODUCTS_TABLE": "shop-dev-ProductsTable"}}


def test_a_function_is_found_by_its_name_or_its_arn() -> None:
    # Given a function invoked through its alias
    client = api(function())

    # When its configuration is asked by name and by its ARN without the alias
    by_name = client.get(f"{FUNCTIONS}/{NAME}/configuration").json
    arn = f"arn:aws:lambda:eu-west-1:123456789012:function:{NAME}"
    by_arn = client.get(f"{FUNCTIONS}/{arn}/configuration").json

    # Then both are its configuration
    assert by_name["FunctionName"] == by_arn["FunctionName"] == NAME


def test_an_unknown_function_is_lambdas_404() -> None:
    # Given the stack's functions
    client = api(function())

    # When another one's configuration is asked
    answer = client.get(f"{FUNCTIONS}/shop-dev-Nothing/configuration")

    # Then it is Lambda's ResourceNotFoundException
    assert answer.status_code == 404
    assert answer.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"


def test_invoke_with_log_tail_gives_the_answer_and_the_report_line() -> None:
    # Given a function not yet invoked
    client = api(function())

    # When it is invoked twice with LogType=Tail
    answers = [
        client.post(
            f"{FUNCTIONS}/{NAME}/invocations",
            data=json.dumps({"n": number}),
            headers={"X-Amz-Log-Type": "Tail"},
        )
        for number in range(2)
    ]

    # Then each answer is the handler's, and its REPORT line has the handler's duration,
    # with the init duration on the first (cold) invocation only
    assert [answer.json for answer in answers] == [{"echo": {"n": 0}}, {"echo": {"n": 1}}]
    reports = [base64.b64decode(answer.headers["X-Amz-Log-Result"]).decode() for answer in answers]
    assert all(report.startswith("REPORT RequestId: ") for report in reports)
    assert "\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB" in reports[0]
    assert "Init Duration: 250.00 ms" in reports[0]
    assert "Init Duration" not in reports[1]


def test_a_failed_invocation_is_lambdas_function_error() -> None:
    # Given a function whose handler raises
    client = api(function(fails=True))

    # When it is invoked
    answer = client.post(f"{FUNCTIONS}/{NAME}/invocations", data="{}")

    # Then the answer is 200 with X-Amz-Function-Error and the error, as Lambda answers it
    assert answer.status_code == 200
    assert answer.headers["X-Amz-Function-Error"] == "Unhandled"
    assert answer.json == {"errorType": "KeyError", "errorMessage": "'body'"}


def test_a_payload_that_is_not_json_is_lambdas_400() -> None:
    # Given a function
    fake = function()
    client = api(fake)

    # When it is invoked with a payload that is not JSON
    answer = client.post(f"{FUNCTIONS}/{NAME}/invocations", data="{not json")

    # Then Lambda's InvalidRequestContentException answers, and the function never ran
    assert answer.status_code == 400
    assert answer.headers["x-amzn-ErrorType"] == "InvalidRequestContentException"
    assert fake.invocations == []


def test_other_lambda_calls_go_to_moto() -> None:
    # Given the stack's functions
    client = api(function())

    # When a call the local stack does not answer is made (CreateFunction)
    answer = client.post(f"{FUNCTIONS}/", data="{}")

    # Then moto's server got it
    assert answer.status_code == 404
    assert answer.get_data() == f"{FUNCTIONS}/".encode()
