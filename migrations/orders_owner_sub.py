"""Orders belong to the Cognito `sub`: give every order stored before that its owner.

    python -m migrations.orders_owner_sub --orders-table NAME --user-pool-id ID [--dry-run]

Each order without `owner_sub` gets the `sub` of the user its `username` names today, but
only if that account existed when the order was placed: an account created afterwards took
a deleted user's name and must not inherit their orders. Orders with no such account get
`owner_sub` = `no-account:<username>`, which no Cognito `sub` (a UUID) can equal: the admin
still sees and manages them, no shopper does.

Re-runnable: orders that have an owner are left alone, and each write is conditional on
the order still having none, so a second run (or two at once) changes nothing more.
"""

import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import ClientError

from migrations import parser
from migrations.orders_table import orders, update_if_unchanged

NO_ACCOUNT_PREFIX = "no-account:"
TIMESTAMP = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class Owner:
    sub: str
    since: str  # when the account was created, ISO 8601 UTC


@dataclass
class Report:
    already_owned: int = 0
    assigned: int = 0
    no_account: int = 0
    lost_races: int = 0
    unresolved_usernames: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        names = ", ".join(sorted(self.unresolved_usernames)) or "none"
        return (
            f"already owned: {self.already_owned}, assigned a sub: {self.assigned}, "
            f"no account (left to the admin): {self.no_account}, "
            f"changed meanwhile: {self.lost_races}; usernames without an account: {names}"
        )


class UserPool:
    """Who a username names today, asked once per username (AdminGetUser)."""

    def __init__(self, cognito: Any, user_pool_id: str) -> None:
        self._cognito = cognito
        self._user_pool_id = user_pool_id
        self._known: dict[str, Owner | None] = {}

    def owner(self, username: str) -> Owner | None:
        if username not in self._known:
            self._known[username] = self._look_up(username)
        return self._known[username]

    def _look_up(self, username: str) -> Owner | None:
        try:
            user = self._cognito.admin_get_user(UserPoolId=self._user_pool_id, Username=username)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "UserNotFoundException":
                return None
            raise
        attributes = {item["Name"]: item["Value"] for item in user.get("UserAttributes", [])}
        created: datetime = user["UserCreateDate"]
        # As orders write their times: ISO 8601 UTC to the second, so they compare as text.
        return Owner(sub=attributes["sub"], since=created.astimezone(UTC).strftime(TIMESTAMP))


def owner_of(order: dict[str, Any], pool: UserPool) -> str:
    """The `owner_sub` an order without one gets."""
    username = str(order["username"])
    owner = pool.owner(username)
    if owner is None or owner.since > str(order["created_at"]):
        return NO_ACCOUNT_PREFIX + username
    return owner.sub


def migrate(dynamodb: Any, cognito: Any, table: str, user_pool_id: str, *, dry_run: bool) -> Report:
    pool = UserPool(cognito, user_pool_id)
    report = Report()
    for order in orders(dynamodb, table, ("order_id", "username", "created_at", "owner_sub")):
        if "owner_sub" in order:
            report.already_owned += 1
            continue
        owner_sub = owner_of(order, pool)
        if owner_sub.startswith(NO_ACCOUNT_PREFIX):
            report.no_account += 1
            report.unresolved_usernames.add(str(order["username"]))
        else:
            report.assigned += 1
        if not dry_run and not _assign(dynamodb, table, order, owner_sub):
            report.lost_races += 1
    return report


def _assign(dynamodb: Any, table: str, order: dict[str, Any], owner_sub: str) -> bool:
    """Set the owner if the order still has none; False if somebody set it meanwhile."""
    return update_if_unchanged(
        dynamodb,
        table,
        order["order_id"],
        UpdateExpression="SET owner_sub = :sub",
        ConditionExpression="attribute_exists(order_id) AND attribute_not_exists(owner_sub)",
        ExpressionAttributeValues={":sub": {"S": owner_sub}},
    )


def main(argv: list[str]) -> int:
    arguments = parser("migrations.orders_owner_sub", __doc__)
    arguments.add_argument("--user-pool-id", required=True, help="the stack's UserPoolId export")
    options = arguments.parse_args(argv)
    report = migrate(
        boto3.client("dynamodb"),
        boto3.client("cognito-idp"),
        options.orders_table,
        options.user_pool_id,
        dry_run=options.dry_run,
    )
    print(("dry run: " if options.dry_run else "") + str(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
