"""The Products table (read for partners) and API Gateway's API keys and usage plans: the
only module of this service that touches boto3."""

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import boto3
from botocore.exceptions import ClientError

from partners.models import NewKey, PartnerRecord, Tier
from shop_common.clock import iso_timestamp
from shop_common.dynamodb import (
    CLIENT_CONFIG,
    Table,
    batch_get,
    error_code,
    query_page,
)
from shop_common.errors import ConflictError, FieldError, NotFoundError
from shop_common.pagination import CursorPage, Listing
from shop_common.product import Product

_NOT_FOUND = "NotFoundException"
_PARTNER_KEY = "Shop partner"  # every partner key's description


class DynamoDBCatalogue:
    """The Products table, read for partners."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def page(self, listing: Listing, *, limit: int, cursor: str | None) -> CursorPage[Product]:
        page = query_page(self._table.query, listing, limit=limit, cursor=cursor)
        return CursorPage([Product.model_validate(item) for item in page.items], page.next_cursor)

    def get(self, product_id: str) -> Product | None:
        key = {"product_id": product_id}
        item = self._table.get_item(Key=key).get("Item")
        return Product.model_validate(item) if item else None

    def get_many(self, product_ids: set[str]) -> dict[str, Product]:
        keys = [{"product_id": product_id} for product_id in sorted(product_ids)]
        items = batch_get(self._table, keys)
        products = map(Product.model_validate, items)
        return {product.product_id: product for product in products}


class ApiGatewayPartnerDirectory:
    """Partners are API keys in the usage plans of the tiers, found by name (the API stack
    names them `<prefix><tier>`): the plans' ids are not imported, as the API stack, which
    defines them, imports this stack's functions.

    Every key carries the tag `stage`: the permissions boundary lets a stage's functions use
    only the keys and plans tagged with their stage, and never list the region's keys."""

    def __init__(self, client: Any, plan_name_prefix: str, stage: str) -> None:
        """`client`: a boto3 API Gateway client (shop_common.aws.aws_client("apigateway"))."""
        self._client = client
        self._plan_name_prefix = plan_name_prefix
        self._stage = stage
        self._plans: dict[Tier, str] | None = None

    def create(self, name: str, tier: Tier) -> NewKey:
        key = self._client.create_api_key(
            name=name,
            description=_PARTNER_KEY,
            enabled=True,
            generateDistinctId=True,
            tags={"stage": self._stage},
        )
        try:
            self._join(key["id"], tier)
        except ClientError:
            self._client.delete_api_key(apiKey=key["id"])
            raise
        return NewKey(record=_record(key, tier), value=key["value"])

    def partners(self) -> list[PartnerRecord]:
        tiers = {
            member["id"]: tier
            for tier, plan_id in self._plan_ids().items()
            for member in self._pages("get_usage_plan_keys", "items", usagePlanId=plan_id)
        }
        keys = (self._key_if_any(key_id) for key_id in tiers)
        records = [_record(key, tiers[key["id"]]) for key in keys if key is not None]
        return sorted(records, key=lambda record: (record.created_at, record.partner_id))

    def _key_if_any(self, key_id: str) -> dict[str, Any] | None:
        """A plan member's key without its value; None for a key revoked since the plan's
        list was read."""
        try:
            key: dict[str, Any] = self._client.get_api_key(apiKey=key_id, includeValue=False)
        except ClientError as exc:
            if error_code(exc) == _NOT_FOUND:
                return None
            raise
        return key

    def get(self, partner_id: str) -> PartnerRecord:
        try:
            key = self._client.get_api_key(apiKey=partner_id, includeValue=False)
            plans = self._client.get_usage_plans(keyId=partner_id)["items"]
        except ClientError as exc:
            if error_code(exc) == _NOT_FOUND:
                raise _partner_not_found(partner_id) from exc
            raise
        tier_of_plan = {plan_id: tier for tier, plan_id in self._plan_ids().items()}
        tiers = [tier_of_plan[plan["id"]] for plan in plans if plan["id"] in tier_of_plan]
        if tiers:
            return _record(key, tiers[0])
        if self._is_partners(key):
            raise _changed_meanwhile(partner_id)  # between its old plan and its new one
        raise _partner_not_found(partner_id)  # a key of the account, not a partner's

    def move(self, partner: PartnerRecord, tier: Tier) -> None:
        # A key may be in one plan per API stage (a second is a ConflictException): it leaves
        # the old plan before it joins, and is refused (403) in between. Of changes racing,
        # one alone removes it from the plan they read; the others are a 409.
        try:
            self._client.delete_usage_plan_key(
                usagePlanId=self._plan_ids()[partner.tier], keyId=partner.partner_id
            )
        except ClientError as exc:
            if error_code(exc) == _NOT_FOUND:
                raise self._gone_or_changed(partner.partner_id) from exc
            raise
        try:
            self._join(partner.partner_id, tier)
        except ClientError as exc:
            if error_code(exc) == _NOT_FOUND and self._key_if_any(partner.partner_id) is None:
                raise _partner_not_found(partner.partner_id) from exc  # revoked meanwhile
            self._join(partner.partner_id, partner.tier)
            raise

    def set_enabled(self, partner_id: str, enabled: bool) -> None:
        try:
            self._client.update_api_key(
                apiKey=partner_id,
                patchOperations=[
                    {"op": "replace", "path": "/enabled", "value": "true" if enabled else "false"}
                ],
            )
        except ClientError as exc:
            if error_code(exc) == _NOT_FOUND:
                raise _partner_not_found(partner_id) from exc  # revoked meanwhile
            raise

    def revoke(self, partner_id: str) -> None:
        key = self._key_if_any(partner_id)
        if key is None or not self._is_partners(key):
            raise _partner_not_found(partner_id)
        try:
            self._client.delete_api_key(apiKey=partner_id)
        except ClientError as exc:
            if error_code(exc) == _NOT_FOUND:
                raise _partner_not_found(partner_id) from exc
            raise

    def usage(self, first_day: date, last_day: date) -> dict[str, list[int]]:
        days = (last_day - first_day).days + 1
        counts: dict[str, list[int]] = {}
        for plan_id in self._plan_ids().values():
            pages = self._client.get_paginator("get_usage").paginate(
                usagePlanId=plan_id,
                startDate=first_day.isoformat(),
                endDate=last_day.isoformat(),
            )
            for page in pages:
                for key_id, logs in (page.get("items") or {}).items():
                    # One [used, remaining] per day of the interval, the first day first.
                    used = [int(log[0]) for log in logs][-days:]
                    counts[key_id] = [0] * (days - len(used)) + used
        return counts

    def _is_partners(self, key: dict[str, Any]) -> bool:
        """Whether `key` is a partner key of this stage (one `create` made)."""
        tags = key.get("tags") or {}
        return key.get("description") == _PARTNER_KEY and tags.get("stage") == self._stage

    def _gone_or_changed(self, partner_id: str) -> NotFoundError | ConflictError:
        """What a key no longer where it was read is: revoked, or changed meanwhile."""
        key = self._key_if_any(partner_id)
        return _partner_not_found(partner_id) if key is None else _changed_meanwhile(partner_id)

    def _join(self, key_id: str, tier: Tier) -> None:
        self._client.create_usage_plan_key(
            usagePlanId=self._plan_ids()[tier], keyId=key_id, keyType="API_KEY"
        )

    def _plan_ids(self) -> dict[Tier, str]:
        """The tiers' plans, looked up once per container."""
        if self._plans is None:
            by_name = {f"{self._plan_name_prefix}{tier.value}": tier for tier in Tier}
            plans = {
                by_name[plan["name"]]: plan["id"]
                for plan in self._pages("get_usage_plans", "items")
                if plan.get("name") in by_name
            }
            missing = sorted(name for name, tier in by_name.items() if tier not in plans)
            if missing:
                raise LookupError(f"no usage plan named {', '.join(missing)}: deploy the API")
            self._plans = plans
        return self._plans

    def _pages(self, operation: str, field: str, **request: Any) -> Iterator[dict[str, Any]]:
        for page in self._client.get_paginator(operation).paginate(**request):
            yield from page.get(field, [])


def _record(key: dict[str, Any], tier: Tier) -> PartnerRecord:
    created: datetime = key["createdDate"]
    return PartnerRecord(
        partner_id=key["id"],
        name=key.get("name") or "",
        tier=tier,
        enabled=bool(key.get("enabled")),
        created_at=iso_timestamp(created),
    )


def _partner_not_found(partner_id: str) -> NotFoundError:
    return NotFoundError(
        f"Partner {partner_id} not found", [FieldError("partner_id", "no such partner")]
    )


def _changed_meanwhile(partner_id: str) -> ConflictError:
    return ConflictError(
        f"Partner {partner_id} is being changed by another request: read it again and retry",
        [FieldError("partner_id", "changed meanwhile")],
    )


def apigateway_client() -> Any:
    """A boto3 API Gateway client with the services' timeouts and retries."""
    return boto3.client("apigateway", config=CLIENT_CONFIG)
