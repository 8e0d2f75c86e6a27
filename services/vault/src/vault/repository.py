"""The vault's table, its configuration bodies bucket and CloudFront: the only module of this
service that touches boto3."""

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError
from pydantic import BaseModel

from shop_common.dynamodb import CLIENT_CONFIG, Table, error_code, query_page
from shop_common.errors import (
    ConflictError,
    FieldError,
    StaleReadError,
    UnprocessableError,
)
from shop_common.pagination import CursorPage, Listing
from vault.dependencies import (
    AliasHeldError,
    DistributionGoneError,
    IncompleteListingError,
    ListedDistribution,
    LiveDistribution,
)
from vault.models import AuditEntry, Distribution, DistributionState, NotificationLists, Version
from vault.references import Reference, ReferenceKind
from vault.schedule_models import (
    Schedule,
    ScheduledRun,
    ScheduleRun,
    already_scheduled,
    no_such_schedule,
)

if TYPE_CHECKING:  # only the user functions load the user pool's models
    from vault.user_models import PoolUser

DISTRIBUTION_SK = "distribution"
VERSION_SK_PREFIX = "version#"
ETAG_SK_PREFIX = "etag#"
BY_STATE_INDEX = "ByState"
# The audit trail: one partition of entries sorted by time, and a sparse index of each
# distribution's (`audit_distribution`, only on entries about a distribution). A creation's
# entry is also copied under `audit-source`, indexed by its source: never listed whole.
AUDIT_PK = "audit"
AUDIT_SOURCE_PK = "audit-source"
AUDIT_SK_PREFIX = "audit#"
AUDIT_BY_DISTRIBUTION_INDEX = "AuditByDistribution"
SETTINGS_PK = "settings"
NOTIFICATIONS_SK = "notifications"
# CloudFront's, ACM's for CloudFront and Lambda@Edge's region.
CLOUDFRONT_REGION = "us-east-1"
# Errors that end a listing early: nothing may be concluded from what it lacks.
THROTTLING_CODES = frozenset({"Throttling", "ThrottlingException", "RequestLimitExceeded"})
# CloudFront refusing a configuration (as opposed to a race or a missing distribution).
REFUSAL_CODES = frozenset(
    {
        "InvalidArgument",
        "CNAMEAlreadyExists",
        "IllegalUpdate",
        "InvalidViewerCertificate",
        "InvalidOriginAccessControl",
        "NoSuchOrigin",
        "NoSuchCachePolicy",
        "NoSuchResponseHeadersPolicy",
        "NoSuchOriginRequestPolicy",
        "NoSuchFunctionExists",
        "InvalidLambdaFunctionAssociation",
        "InvalidFunctionAssociation",
        "TooManyDistributionCNAMEs",
    }
)


def _version_sk(number: int) -> str:
    return f"{VERSION_SK_PREFIX}{number:010d}"


class DynamoDBVaultTable:
    """One item per distribution (`distribution`), per version (`version#<n>`, zero-padded so
    they sort) and per ETag seen (`etag#<ETag>` -> its version), under the distribution's id."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def get_distribution(self, distribution_id: str) -> Distribution | None:
        item = self._get(distribution_id, DISTRIBUTION_SK)
        return Distribution.model_validate(item) if item else None

    def page_distributions(
        self, state: DistributionState, *, limit: int, cursor: str | None
    ) -> CursorPage[Distribution]:
        listing = Listing(
            name=f"vault/distributions/{state}",
            partition_key="state",
            partition_value=str(state),
            sort_key="distribution_id",
            table_key=("pk", "sk"),
            index=BY_STATE_INDEX,
        )
        page = query_page(self._table.query, listing, limit=limit, cursor=cursor)
        return CursorPage([Distribution.model_validate(i) for i in page.items], page.next_cursor)

    def get_version(self, distribution_id: str, number: int) -> Version | None:
        item = self._get(distribution_id, _version_sk(number))
        return Version.model_validate(item) if item else None

    def version_with_etag(self, distribution_id: str, etag: str) -> Version | None:
        item = self._get(distribution_id, f"{ETAG_SK_PREFIX}{etag}")
        return self.get_version(distribution_id, int(item["version"])) if item else None

    def page_versions(
        self, distribution_id: str, *, limit: int, cursor: str | None
    ) -> CursorPage[Version]:
        listing = Listing(
            name=f"vault/versions/{distribution_id}",
            partition_key="pk",
            partition_value=distribution_id,
            sort_key="sk",
            table_key=("pk", "sk"),
            descending=True,
            sort_key_prefix=VERSION_SK_PREFIX,
        )
        page = query_page(self._table.query, listing, limit=limit, cursor=cursor)
        return CursorPage([Version.model_validate(i) for i in page.items], page.next_cursor)

    def record(self, distribution: Distribution, version: Version, *, previous: int) -> None:
        pk = distribution.distribution_id
        if previous:
            summary_condition = {
                "ConditionExpression": "current_version = :previous",
                "ExpressionAttributeValues": {":previous": previous},
            }
        else:
            summary_condition = {"ConditionExpression": "attribute_not_exists(pk)"}
        items = [
            {
                "Put": {
                    "TableName": self._table.name,
                    "Item": {"pk": pk, "sk": _version_sk(version.version), **_item(version)},
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {
                "Put": {
                    "TableName": self._table.name,
                    "Item": {
                        "pk": pk,
                        "sk": f"{ETAG_SK_PREFIX}{version.etag}",
                        "version": version.version,
                    },
                }
            },
            {
                "Put": {
                    "TableName": self._table.name,
                    "Item": {"pk": pk, "sk": DISTRIBUTION_SK, **_item(distribution)},
                    **summary_condition,
                }
            },
        ]
        self._write_versions(items)

    def _write_versions(self, items: list[dict[str, Any]]) -> None:
        try:
            self._table.client.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if error_code(exc) in {
                "TransactionCanceledException",
                "ConditionalCheckFailedException",
            }:
                raise StaleReadError("Version number taken meanwhile") from exc
            raise

    def refresh_summary(self, distribution: Distribution) -> None:
        pk = distribution.distribution_id
        items = [
            {
                "Put": {
                    "TableName": self._table.name,
                    "Item": {
                        "pk": pk,
                        "sk": f"{ETAG_SK_PREFIX}{distribution.etag}",
                        "version": distribution.current_version,
                    },
                }
            },
            {
                "Put": {
                    "TableName": self._table.name,
                    "Item": {"pk": pk, "sk": DISTRIBUTION_SK, **_item(distribution)},
                    "ConditionExpression": "current_version = :current",
                    "ExpressionAttributeValues": {":current": distribution.current_version},
                }
            },
        ]
        self._write_versions(items)

    def mark_deleted(self, distribution_id: str, at: str) -> None:
        # CloudFront deletes only a disabled distribution: a disabling made just before the
        # deletion may never have been seen, so the summary says disabled whatever it said.
        self._table.update_item(
            Key={"pk": distribution_id, "sk": DISTRIBUTION_SK},
            UpdateExpression="SET #state = :deleted, deleted_at = :at, enabled = :disabled",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={
                ":deleted": str(DistributionState.DELETED),
                ":at": at,
                ":disabled": False,
            },
        )

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self._table.get_item(
            Key={"pk": pk, "sk": sk}, ConsistentRead=True
        ).get("Item")
        return item


class DynamoDBAuditLog:
    """Audit entries under `pk` = `audit` (lower case: never a distribution's id), `sk` =
    `audit#<at>#<entry_id>`, so a Query backwards lists the newest first; an entry about a
    distribution also carries `audit_distribution`, the `AuditByDistribution` index's key. An
    entry whose `source_id` is not its distribution (a creation's, once it made one) is written
    again under `pk` = `audit-source`, indexed by its source, in the same transaction."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def write(self, entry: AuditEntry) -> None:
        sk = f"{AUDIT_SK_PREFIX}{entry.at}#{entry.entry_id}"
        item = {"pk": AUDIT_PK, "sk": sk, **_item(entry)}
        if entry.distribution_id:
            item["audit_distribution"] = entry.distribution_id
        if not entry.source_id or entry.source_id == entry.distribution_id:
            self._table.put_item(Item=item)
            return
        under_source = {**item, "pk": AUDIT_SOURCE_PK, "audit_distribution": entry.source_id}
        self._table.client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": self._table.name, "Item": each}}
                for each in (item, under_source)
            ]
        )

    def page(
        self, distribution_id: str | None, *, limit: int, cursor: str | None
    ) -> CursorPage[AuditEntry]:
        if distribution_id is None:
            listing = Listing(
                name="vault/audit",
                partition_key="pk",
                partition_value=AUDIT_PK,
                sort_key="sk",
                table_key=("pk", "sk"),
                descending=True,
                sort_key_prefix=AUDIT_SK_PREFIX,
            )
        else:
            listing = Listing(
                name=f"vault/audit/{distribution_id}",
                partition_key="audit_distribution",
                partition_value=distribution_id,
                sort_key="sk",
                table_key=("pk", "sk"),
                index=AUDIT_BY_DISTRIBUTION_INDEX,
                descending=True,
            )
        page = query_page(self._table.query, listing, limit=limit, cursor=cursor)
        return CursorPage([AuditEntry.model_validate(i) for i in page.items], page.next_cursor)


class DynamoDBNotificationSettings:
    """The notification lists, one item (`settings` / `notifications`)."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self) -> NotificationLists:
        item = self._table.get_item(
            Key={"pk": SETTINGS_PK, "sk": NOTIFICATIONS_SK}, ConsistentRead=True
        ).get("Item")
        return NotificationLists.model_validate(item["lists"]) if item else NotificationLists()

    def put(self, lists: NotificationLists) -> None:
        self._table.put_item(
            Item={"pk": SETTINGS_PK, "sk": NOTIFICATIONS_SK, "lists": lists.model_dump()}
        )


INVITATIONS_PK = "invitations"


class DynamoDBInvitations:
    """The accounts the vault made by invitation, one item each under one partition
    (`invitations`, sk the username in lower case: the pool ignores case), holding the
    account's `sub`."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def record(self, user: "PoolUser") -> None:
        self._table.put_item(Item={**self._key(user.username), "sub": user.sub})

    def made(self, user: "PoolUser") -> bool:
        item = self._table.get_item(Key=self._key(user.username), ConsistentRead=True)
        recorded: str | None = item.get("Item", {}).get("sub")
        return recorded == user.sub

    def forget(self, user: "PoolUser") -> None:
        self._table.delete_item(Key=self._key(user.username))

    @staticmethod
    def _key(username: str) -> dict[str, str]:
        return {"pk": INVITATIONS_PK, "sk": username.lower()}


USER_LEASES_PK = "user-leases"


class DynamoDBUserLeases:
    """Which change holds each vault user: one item each under one partition (`user-leases`,
    sk the username in lower case, as the invitations), its `holder` and `until` (epoch
    seconds). Taken by a put on condition that none is held or the one held ran out, given
    back by a delete on condition that it is still the holder's; a function that dies
    leaves its item, taken again once it ran out."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def take(self, username: str, holder: str, *, now: datetime, until: datetime) -> None:
        try:
            self._table.put_item(
                Item={**self._key(username), "holder": holder, "until": int(until.timestamp())},
                ConditionExpression="attribute_not_exists(pk) OR #until <= :now",
                ExpressionAttributeNames={"#until": "until"},
                ExpressionAttributeValues={":now": int(now.timestamp())},
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise ConflictError(
                    "Another change of this user is under way: try again",
                    [FieldError("username", "being changed by another request")],
                ) from exc
            raise

    def give_back(self, username: str, holder: str) -> None:
        try:
            self._table.delete_item(
                Key=self._key(username),
                ConditionExpression="holder = :holder",
                ExpressionAttributeValues={":holder": holder},
            )
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise

    @staticmethod
    def _key(username: str) -> dict[str, str]:
        return {"pk": USER_LEASES_PK, "sk": username.lower()}


def _item(model: BaseModel) -> dict[str, Any]:
    """A model as a DynamoDB item: no None values (absent attributes)."""
    return {key: value for key, value in model.model_dump(mode="json").items() if value is not None}


class S3ConfigBodies:
    """Configurations by the hash of their normalized form (`configs/<sha256>.json`) in the
    vault's versioned, encrypted bucket: equal configurations are stored once."""

    def __init__(self, bucket: str, client: Any = None) -> None:
        self._bucket = bucket
        self._client = client or boto3.client("s3", config=CLIENT_CONFIG)

    def put(self, digest: str, config: Mapping[str, Any]) -> str:
        key = f"configs/{digest}.json"
        self._client.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=json.dumps(config, sort_keys=True).encode(),
            ContentType="application/json",
        )
        return key

    def get(self, key: str) -> dict[str, Any]:
        body = self._client.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        config: dict[str, Any] = json.loads(body)
        return config


class BotoCloudFront:
    """The account's distributions, and the resources a configuration refers to."""

    def __init__(
        self,
        cloudfront: Any = None,
        acm: Any = None,
        lambda_client: Any = None,
    ) -> None:
        self._cloudfront = cloudfront or boto3.client(
            "cloudfront", region_name=CLOUDFRONT_REGION, config=CLIENT_CONFIG
        )
        self._acm = acm or boto3.client("acm", region_name=CLOUDFRONT_REGION, config=CLIENT_CONFIG)
        self._lambda = lambda_client or boto3.client(
            "lambda", region_name=CLOUDFRONT_REGION, config=CLIENT_CONFIG
        )

    def get(self, distribution_id: str) -> LiveDistribution:
        """Its configuration and its tags: two reads, either of which CloudFront may throttle."""
        try:
            response = self._cloudfront.get_distribution(Id=distribution_id)
            return self._live(response["Distribution"], response["ETag"])
        except ClientError as exc:
            if error_code(exc) == "NoSuchDistribution":
                raise DistributionGoneError(
                    f"No distribution {distribution_id}",
                    [FieldError("distribution_id", "no such distribution")],
                ) from exc
            if error_code(exc) in THROTTLING_CODES:
                raise IncompleteListingError(error_code(exc)) from exc
            raise

    def list_all(self) -> list[ListedDistribution]:
        listed: list[ListedDistribution] = []
        try:
            for page in self._cloudfront.get_paginator("list_distributions").paginate():
                for item in page["DistributionList"].get("Items") or []:
                    aliases = tuple(item.get("Aliases", {}).get("Items") or [])
                    listed.append(ListedDistribution(item["Id"], aliases))
        except ClientError as exc:
            if error_code(exc) in THROTTLING_CODES:
                raise IncompleteListingError(error_code(exc)) from exc
            raise
        return listed

    def update(
        self, distribution_id: str, config: Mapping[str, Any], *, if_match: str
    ) -> LiveDistribution:
        response = self._refusing(
            lambda: self._cloudfront.update_distribution(
                Id=distribution_id, IfMatch=if_match, DistributionConfig=dict(config)
            )
        )
        return self._live(response["Distribution"], response["ETag"])

    def create(self, config: Mapping[str, Any], tags: Mapping[str, str]) -> LiveDistribution:
        items = [{"Key": key, "Value": value} for key, value in tags.items()]
        response = self._refusing(
            lambda: self._cloudfront.create_distribution_with_tags(
                DistributionConfigWithTags={
                    "DistributionConfig": dict(config),
                    "Tags": {"Items": items},
                }
            )
        )
        return self._live(response["Distribution"], response["ETag"])

    def exists(self, reference: Reference) -> bool:
        lookup, missing = self._lookups()[reference.kind]
        try:
            lookup(reference.target)
        except ClientError as exc:
            if error_code(exc) in missing:
                return False
            raise
        return True

    def _lookups(self) -> dict[ReferenceKind, tuple[Callable[[str], Any], frozenset[str]]]:
        cloudfront = self._cloudfront
        return {
            ReferenceKind.ORIGIN_ACCESS_CONTROL: (
                lambda target: cloudfront.get_origin_access_control(Id=target),
                frozenset({"NoSuchOriginAccessControl"}),
            ),
            ReferenceKind.CACHE_POLICY: (
                lambda target: cloudfront.get_cache_policy(Id=target),
                frozenset({"NoSuchCachePolicy"}),
            ),
            ReferenceKind.ORIGIN_REQUEST_POLICY: (
                lambda target: cloudfront.get_origin_request_policy(Id=target),
                frozenset({"NoSuchOriginRequestPolicy"}),
            ),
            ReferenceKind.RESPONSE_HEADERS_POLICY: (
                lambda target: cloudfront.get_response_headers_policy(Id=target),
                frozenset({"NoSuchResponseHeadersPolicy"}),
            ),
            ReferenceKind.FUNCTION: (
                lambda target: cloudfront.describe_function(
                    Name=target.rsplit("/", 1)[-1], Stage="LIVE"
                ),
                frozenset({"NoSuchFunctionExists"}),
            ),
            ReferenceKind.LAMBDA_EDGE: (
                lambda target: self._lambda.get_function(FunctionName=target),
                frozenset({"ResourceNotFoundException"}),
            ),
            ReferenceKind.CERTIFICATE: (
                lambda target: self._acm.describe_certificate(CertificateArn=target),
                frozenset({"ResourceNotFoundException"}),
            ),
        }

    def _refusing(self, call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        try:
            return call()
        except ClientError as exc:
            code = error_code(exc)
            message = str(exc.response.get("Error", {}).get("Message", code))
            if code in {"PreconditionFailed", "InvalidIfMatchVersion"}:
                raise ConflictError(
                    "The distribution changed meanwhile: review it and try again",
                    [FieldError("expected_etag", message)],
                ) from exc
            if code == "NoSuchDistribution":
                raise DistributionGoneError(
                    "The distribution no longer exists",
                    [FieldError("distribution_id", "no such distribution")],
                ) from exc
            refused = AliasHeldError if code == "CNAMEAlreadyExists" else UnprocessableError
            if code in REFUSAL_CODES:
                raise refused(
                    f"CloudFront refused the configuration ({code})",
                    [FieldError("config", message)],
                ) from exc
            raise

    def _live(self, distribution: Mapping[str, Any], etag: str) -> LiveDistribution:
        tags = self._cloudfront.list_tags_for_resource(Resource=distribution["ARN"])
        return LiveDistribution(
            distribution_id=distribution["Id"],
            arn=distribution["ARN"],
            domain_name=distribution["DomainName"],
            status=distribution["Status"],
            etag=etag,
            config=distribution["DistributionConfig"],
            tags={tag["Key"]: tag.get("Value", "") for tag in tags["Tags"].get("Items") or []},
        )


SCHEDULES_PK = "schedules"
SCHEDULE_SK_PREFIX = "schedule#"


class DynamoDBSchedules:
    """The vault's schedules, one item each under one partition (`schedules`, sk
    `schedule#<id>`): the whole list is one Query. They carry no `state`, so the `ByState`
    index of distributions never holds them."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def list_schedules(self) -> list[Schedule]:
        items: list[dict[str, Any]] = []
        query: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": SCHEDULES_PK, ":prefix": SCHEDULE_SK_PREFIX},
            "ConsistentRead": True,
        }
        while True:
            page = self._table.query(**query)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return [Schedule.model_validate(item) for item in items]
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def get_schedule(self, schedule_id: str) -> Schedule | None:
        item = self._table.get_item(Key=self._key(schedule_id), ConsistentRead=True).get("Item")
        return Schedule.model_validate(item) if item else None

    def add_schedule(self, schedule: Schedule) -> None:
        try:
            self._table.put_item(
                Item={**self._key(schedule.schedule_id), **_item(schedule)},
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise ConflictError(
                    f"Schedule {schedule.schedule_id} exists",
                    [FieldError("schedule_id", "exists")],
                ) from exc
            raise

    def change_schedule(self, schedule: Schedule) -> None:
        try:
            self._table.update_item(
                Key=self._key(schedule.schedule_id),
                # Names, not the words: DynamoDB reserves a long list of them.
                UpdateExpression="SET #cron = :cron, #expression = :expression, #active = :active,"
                " #updated_at = :updated_at",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={
                    "#cron": "cron",
                    "#expression": "expression",
                    "#active": "active",
                    "#updated_at": "updated_at",
                },
                ExpressionAttributeValues={
                    ":cron": schedule.cron,
                    ":expression": schedule.expression,
                    ":active": schedule.active,
                    ":updated_at": schedule.updated_at,
                },
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise no_such_schedule(schedule.schedule_id) from exc
            raise

    def delete_schedule(self, schedule_id: str) -> None:
        try:
            self._table.delete_item(
                Key=self._key(schedule_id), ConditionExpression="attribute_exists(pk)"
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise no_such_schedule(schedule_id) from exc
            raise

    def record_run(self, schedule_id: str, run: ScheduleRun) -> None:
        try:
            self._table.update_item(
                Key=self._key(schedule_id),
                UpdateExpression="SET last_run = :run",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":run": run.model_dump(mode="json")},
            )
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise

    @staticmethod
    def _key(schedule_id: str) -> dict[str, str]:
        return {"pk": SCHEDULES_PK, "sk": f"{SCHEDULE_SK_PREFIX}{schedule_id}"}


class EventBridgeScheduler:
    """Each vault schedule as an EventBridge Scheduler schedule of the stage's own group,
    named by its id, invoking the detection function with its schedule and distribution,
    as the scheduler's role."""

    def __init__(self, *, group: str, target_arn: str, role_arn: str, client: Any = None) -> None:
        self._group = group
        self._target_arn = target_arn
        self._role_arn = role_arn
        self._client = client or boto3.client("scheduler", config=CLIENT_CONFIG)

    def put(self, schedule: Schedule, *, create: bool) -> None:
        call = self._client.create_schedule if create else self._client.update_schedule
        run = ScheduledRun(
            schedule_id=schedule.schedule_id, distribution_id=schedule.distribution_id
        )
        try:
            call(
                Name=schedule.schedule_id,
                GroupName=self._group,
                ScheduleExpression=schedule.expression,
                ScheduleExpressionTimezone="UTC",
                FlexibleTimeWindow={"Mode": "OFF"},
                State="ENABLED" if schedule.active else "DISABLED",
                Description=f"Vault detection of {schedule.distribution_id}: {schedule.cron}",
                Target={
                    "Arn": self._target_arn,
                    "RoleArn": self._role_arn,
                    "Input": run.model_dump_json(),
                    "RetryPolicy": {"MaximumRetryAttempts": 2},
                },
            )
        except ClientError as exc:
            # A schedule of that name (its distribution's) made meanwhile by another request.
            if create and error_code(exc) == "ConflictException":
                raise already_scheduled(str(schedule.distribution_id)) from exc
            # Deleted by another request since this one read it from the table.
            if not create and error_code(exc) == "ResourceNotFoundException":
                raise no_such_schedule(schedule.schedule_id) from exc
            raise

    def delete(self, schedule_id: str) -> None:
        try:
            self._client.delete_schedule(Name=schedule_id, GroupName=self._group)
        except ClientError as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
