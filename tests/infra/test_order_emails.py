"""The order e-mails' wiring in the templates: the Orders stream into NotifyOrder with partial
batch failures, bounded retries and a dead-letter queue; SES as the stage's identity only;
the SMTP password never a parameter's value."""

from typing import Any

from stacks.templates import BOOTSTRAP_TEMPLATE, SERVICE_TEMPLATES, load_template

ORDERS = load_template(SERVICE_TEMPLATES["orders"])
NOTIFY = ORDERS["Resources"]["NotifyOrderFunction"]["Properties"]


def statements(function: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for policy in function.get("Policies", []):
        for statement in policy.get("Statement", []):
            if "Fn::If" in statement:
                statement = statement["Fn::If"][1]
            found.append(statement)
    return found


def test_the_orders_table_streams_both_images_of_each_change() -> None:
    table = load_template(BOOTSTRAP_TEMPLATE)["Resources"]["OrdersTable"]["Properties"]
    assert table["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}


def test_notify_order_reports_failed_records_retries_a_few_times_then_dead_letters() -> None:
    (event,) = NOTIFY["Events"].values()
    properties = event["Properties"]
    assert event["Type"] == "DynamoDB"
    assert properties["Stream"] == {
        "Fn::ImportValue": {"Fn::Sub": "shop-${Stage}-OrdersTableStreamArn"}
    }
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert properties["BisectBatchOnFunctionError"] is True
    assert 0 < properties["MaximumRetryAttempts"] <= 10
    assert properties["DestinationConfig"]["OnFailure"] == {
        "Type": "SQS",
        "Destination": {"Fn::GetAtt": ["OrderEmailDeadLetters", "Arn"]},
    }
    queue = ORDERS["Resources"]["OrderEmailDeadLetters"]
    assert queue["Type"] == "AWS::SQS::Queue"
    assert queue["Properties"]["SqsManagedSseEnabled"] is True


def test_only_notify_order_may_send_email_and_only_as_one_identity() -> None:
    for logical_id, resource in ORDERS["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        sends = [s for s in statements(resource["Properties"]) if s["Action"] == "ses:SendEmail"]
        if logical_id != "NotifyOrderFunction":
            assert sends == [], logical_id
            continue
        (statement,) = sends
        arn, _ = statement["Resource"]["Fn::Sub"]
        assert arn.endswith(":identity/${Identity}")


def test_the_smtp_password_is_read_from_a_named_secret_never_a_parameter() -> None:
    variables = NOTIFY["Environment"]["Variables"]
    assert "SMTP_PASSWORD" not in variables
    assert variables["SMTP_PASSWORD_SECRET"] == {"Ref": "SmtpPasswordSecret"}
    parameter = ORDERS["Parameters"]["SmtpPasswordSecret"]
    assert parameter["AllowedPattern"].startswith("^(shop-")
