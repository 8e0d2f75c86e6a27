"""What moto's access control lacks for the rehearsal to authorize each call as IAM would: the
service a role trusts assumes it, IAM's `Null` operator, statements whose condition is not met,
and the resource of a call: moto names it for S3, SQS, IAM and STS only, and checks every other
call on `*`, which no statement scoped to a resource matches. CloudFormation's calls are named
by their stack here; for the other services a scoped Allow applies and a scoped Deny does not
(wider than AWS: docs/ARCHITECTURE.md)."""

import json
from collections.abc import Callable
from typing import Any

from moto.cloudformation.responses import CloudFormationResponse
from moto.iam.access_control import IAMPolicyStatement, IAMRequestBase, PermissionResult

UNKNOWN = "*"  # moto's resource for a call it names none for


def _services_assume_their_roles(check: Callable[[Any, str], bool]) -> Callable[[Any, str], bool]:
    """The rehearsal acts as the AWS service a role trusts (CodeBuild for a pipeline's deploy
    role) when it assumes that role; moto would evaluate the caller as the principal, and
    fails on a Service principal."""

    def wrapper(self: IAMRequestBase, role_arn: str) -> bool:
        trust = json.loads(self.backend.get_role_by_arn(role_arn).assume_role_policy_document)
        if any(
            statement.get("Effect") == "Allow" and "Service" in statement.get("Principal", {})
            for statement in trust["Statement"]
        ):
            return True
        return check(self, role_arn)

    return wrapper


def _null_conditions_evaluated(
    check: Callable[[IAMPolicyStatement, dict[str, str] | None], bool],
) -> Callable[[IAMPolicyStatement, dict[str, str] | None], bool]:
    """IAM's `Null` operator ("true": the key is absent from the request, "false": present),
    evaluated on the request's keys; moto takes an operator it cannot evaluate as met, so a
    Deny conditioned on a key the request lacks (a pipeline role's on
    cloudformation:ImportResourceTypes) denied every CreateChangeSet."""

    def wrapper(self: IAMPolicyStatement, incoming: dict[str, str] | None) -> bool:
        conditions = self._statement.get("Condition") or {}
        for key, expected in conditions.get("Null", {}).items():
            absent = str(key not in (incoming or {})).lower()
            if absent not in ([expected] if isinstance(expected, str) else expected):
                return False
        others = {operator: keys for operator, keys in conditions.items() if operator != "Null"}
        return check(IAMPolicyStatement({**self._statement, "Condition": others}), incoming)

    return wrapper


def _unmet_conditions_do_not_apply(
    is_permitted: Callable[..., PermissionResult],
) -> Callable[..., PermissionResult]:
    """A statement whose condition is not met does not apply, whatever its effect; moto took
    it for an explicit Deny, even an Allow's."""

    def wrapper(
        self: IAMPolicyStatement,
        action: str,
        resource: str = "*",
        principal: str | None = None,
        incoming_condition_values: dict[str, str] | None = None,
    ) -> PermissionResult:
        if self._statement.get("Condition") and not self._check_conditions(
            incoming_condition_values
        ):
            return PermissionResult.NEUTRAL
        return is_permitted(self, action, resource, principal, incoming_condition_values)

    return wrapper


def _no_signature_check(self: IAMRequestBase) -> None:
    """moto recomputes SigV4 signatures and rejects every signed REST GET of boto3's (API
    Gateway, Lambda: SignatureDoesNotMatch); the rehearsal is about what each identity may
    do, which moto still checks by the access key's identity and policies."""


def _unknown_resources_allowed_by_scoped_allows(
    is_permitted: Callable[..., PermissionResult],
) -> Callable[..., PermissionResult]:
    """On a call whose resource moto does not know, an Allow scoped to resources applies and a
    Deny scoped to resources does not (moto ignored every scoped Allow: a pipeline's deploy role
    could push to no repository of its own)."""

    def wrapper(
        self: IAMPolicyStatement,
        action: str,
        resource: str = UNKNOWN,
        principal: str | None = None,
        incoming_condition_values: dict[str, str] | None = None,
    ) -> PermissionResult:
        scoped = self._statement.get("Resource") not in (None, UNKNOWN, [UNKNOWN])
        if resource != UNKNOWN or not scoped:
            return is_permitted(self, action, resource, principal, incoming_condition_values)
        if self._statement["Effect"] != "Allow":
            return PermissionResult.NEUTRAL
        named = self._statement["Resource"]
        first = named if isinstance(named, str) else named[0]
        return is_permitted(self, action, first, principal, incoming_condition_values)

    return wrapper


def _stack_of_the_call(self: CloudFormationResponse) -> str:
    """The ARN of the stack a CloudFormation call names (by name, ARN or change set), as IAM
    authorizes it; a stack not created yet is `stack/<name>/*`. A call naming no stack
    (ListExports, ValidateTemplate) stays on `*`."""
    backend = self.cloudformation_backend
    change_set = self._get_param("ChangeSetName") or ""
    if change_set in backend.change_sets:
        return str(backend.change_sets[change_set].stack_id)
    stack = self._get_param("StackName") or ""
    if not stack or stack.startswith("arn:"):
        return stack or UNKNOWN
    for candidate in backend.stacks.values():
        if candidate.name == stack and candidate.status != "DELETE_COMPLETE":
            return str(candidate.stack_id)
    return f"arn:aws:cloudformation:{self.region}:{self.current_account}:stack/{stack}/*"


def install() -> None:
    IAMRequestBase.check_signature = _no_signature_check  # type: ignore[method-assign]
    IAMRequestBase._check_role_trust_relationship = _services_assume_their_roles(  # type: ignore[method-assign]
        IAMRequestBase._check_role_trust_relationship
    )
    IAMPolicyStatement._check_conditions = _null_conditions_evaluated(  # type: ignore[method-assign]
        IAMPolicyStatement._check_conditions
    )
    IAMPolicyStatement.is_action_permitted = _unknown_resources_allowed_by_scoped_allows(  # type: ignore[method-assign]
        _unmet_conditions_do_not_apply(IAMPolicyStatement.is_action_permitted)
    )
    CloudFormationResponse._determine_resource = _stack_of_the_call  # type: ignore[attr-defined]
