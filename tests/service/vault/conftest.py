"""The vault's functions as its template names them, against the local stack's AWS emulator:
moto's server with the faithful CloudFront in front (local/cloudfront), the Vault table built
from bootstrap/template.yaml and the bodies bucket. Each test gets a table and a bucket of
its own; CloudFront is the session's (distribution ids never repeat)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import boto3
import pytest

from local.aws import emulator
from shop_common.api import Handler, entrypoint
from shop_common.dynamodb import Table, python_typed
from stacks.templates import SERVICE_TEMPLATES, bootstrap_tables
from tests.builders.distributions import distribution_config
from tests.builders.environments import as_invoked, function_module
from tests.builders.mail import RecordingNotifier
from vault.dependencies import VaultDeps
from vault.repository import (
    BotoCloudFront,
    DynamoDBAuditLog,
    DynamoDBNotificationSettings,
    DynamoDBSchedules,
    DynamoDBVaultTable,
    EventBridgeScheduler,
    S3ConfigBodies,
)
from vault.schedules import ScheduleDeps

VAULT_TEMPLATE = SERVICE_TEMPLATES["vault"]
# The routes built on the schedules' deps rather than the vault's.
SCHEDULE_FUNCTIONS = frozenset(
    {
        "GetVaultSchedulesFunction",
        "CreateVaultScheduleFunction",
        "UpdateVaultScheduleFunction",
        "DeleteVaultScheduleFunction",
    }
)
DETECTION_ARN = (
    "arn:aws:lambda:eu-west-1:123456789012:function:shop-dev-DetectVaultChangesFunction:live"
)
SCHEDULER_ROLE_ARN = "arn:aws:iam::123456789012:role/shop-dev-vault-VaultSchedulerRole"
CLOUDFRONT_REGION = "us-east-1"


@pytest.fixture(scope="session")
def endpoint() -> Iterator[str]:
    with emulator() as url:
        yield url


@dataclass(frozen=True)
class Vault:
    """The vault's functions on one table and bucket, and CloudFront as the console uses it."""

    deps: VaultDeps
    cloudfront: Any
    table: Any
    notifier: RecordingNotifier
    schedules: ScheduleDeps
    scheduler: Any  # EventBridge Scheduler's client, on the vault's own group
    schedule_group: str

    def handler(self, logical_id: str) -> Handler:
        """The function's route, built on this vault, invoked in the function's environment."""
        module = function_module(VAULT_TEMPLATE, logical_id)
        deps = self.schedules if logical_id in SCHEDULE_FUNCTIONS else self.deps
        app = module.build_app(deps)
        return as_invoked(VAULT_TEMPLATE, logical_id, entrypoint(app))

    def distribution(self, **config: Any) -> tuple[str, str]:
        """A distribution created as the console creates one: its id and ETag."""
        created = self.cloudfront.create_distribution(
            DistributionConfig=distribution_config(f"ref-{uuid4()}", **config)
        )
        return created["Distribution"]["Id"], created["ETag"]

    def change(self, distribution_id: str, **fields: Any) -> str:
        """A change made in the console (read, edit, update with the ETag read): the new ETag."""
        current = self.cloudfront.get_distribution_config(Id=distribution_id)
        updated = self.cloudfront.update_distribution(
            Id=distribution_id,
            IfMatch=current["ETag"],
            DistributionConfig={**current["DistributionConfig"], **fields},
        )
        etag: str = updated["ETag"]
        return etag

    def delete(self, distribution_id: str) -> None:
        """Disabled, then deleted once CloudFront has deployed it, as in the console."""
        etag = self.change(distribution_id, Enabled=False)
        self.cloudfront.get_distribution(Id=distribution_id)  # CloudFront has deployed it
        self.cloudfront.delete_distribution(Id=distribution_id, IfMatch=etag)


def _client(service: str, endpoint: str, region: str = "eu-west-1") -> Any:
    return boto3.client(service, endpoint_url=endpoint, region_name=region)


@pytest.fixture
def vault(endpoint: str) -> Iterator[Vault]:
    suffix = uuid4().hex[:8]
    dynamodb = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="eu-west-1")
    table = dynamodb.create_table(
        **bootstrap_tables()["VaultTable"].create_table_request(f"test-vault-{suffix}")
    )
    items = Table(table.name, python_typed(_client("dynamodb", endpoint)))
    s3 = _client("s3", endpoint)
    bucket = f"test-vault-bodies-{suffix}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    cloudfront = _client("cloudfront", endpoint, CLOUDFRONT_REGION)
    notifier = RecordingNotifier()
    deps = VaultDeps(
        table=DynamoDBVaultTable(items),
        bodies=S3ConfigBodies(bucket, s3),
        cloudfront=BotoCloudFront(
            cloudfront=cloudfront,
            acm=_client("acm", endpoint, CLOUDFRONT_REGION),
            lambda_client=_client("lambda", endpoint, CLOUDFRONT_REGION),
        ),
        audit=DynamoDBAuditLog(items),
        notification_settings=DynamoDBNotificationSettings(items),
        notifier=notifier,
    )
    scheduler = _client("scheduler", endpoint)
    group = f"test-vault-{suffix}"
    scheduler.create_schedule_group(Name=group)
    schedules = ScheduleDeps(
        store=DynamoDBSchedules(items),
        scheduler=EventBridgeScheduler(
            group=group, target_arn=DETECTION_ARN, role_arn=SCHEDULER_ROLE_ARN, client=scheduler
        ),
        vault=deps,
    )
    yield Vault(
        deps=deps,
        cloudfront=cloudfront,
        table=table,
        notifier=notifier,
        schedules=schedules,
        scheduler=scheduler,
        schedule_group=group,
    )
    scheduler.delete_schedule_group(Name=group)
    table.delete()


HandlerOf = Callable[[str], Handler]
