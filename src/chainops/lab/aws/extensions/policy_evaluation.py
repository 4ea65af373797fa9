"""IAM policy evaluation within one account, as AWS documents it; moto-free rules.

A request is allowed when no applicable statement denies it and an identity policy or the
resource's policy allows it, where a resource policy that names the caller (its session's
role or its own ARN) or everyone allows on its own, and one that names the account only
delegates to the identity policies (AWS's "Policy evaluation logic", same-account case). A KMS
key is stricter: its key policy must allow, directly or by delegating to IAM through the
account principal.

Conditions follow "IAM JSON policy elements: Condition operators": string, ARN, numeric, Bool,
IP address and Null operators, with the ``IfExists`` suffix and the ``ForAnyValue:`` and
``ForAllValues:`` qualifiers; a key missing from the request fails a positive operator and
passes a negated one. An operator the lab does not know fails closed: the Allow statement does
not apply, the Deny statement does.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any


class Decision(StrEnum):
    ALLOW = "allow"
    EXPLICIT_DENY = "explicit deny"
    IMPLICIT_DENY = "implicit deny"


@dataclass(frozen=True)
class Caller:
    """Who signs the request: a role session or an IAM user of ``account``."""

    arn: str
    account: str
    role_arn: str | None = None

    def named_by(self, principals: Iterable[str]) -> bool:
        """True when a policy's AWS principal list names this caller itself."""
        own = {self.arn, self.role_arn} - {None}
        return any(p in own for p in principals)

    def account_named_by(self, principals: Iterable[str]) -> bool:
        root = f"arn:aws:iam::{self.account}:root"
        return any(p in (self.account, root) for p in principals)


@dataclass(frozen=True)
class Request:
    caller: Caller
    action: str
    resource: str
    # Condition keys, lowercased, each with its values.
    context: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@cache
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    # IAM wildcards: * any run, ? one character; nothing else is special (no [] classes).
    body = ".".join(".*".join(map(re.escape, part.split("*"))) for part in pattern.split("?"))
    return re.compile(f"{body}\\Z", re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _like(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    return _glob(pattern, ignore_case).match(value) is not None


def _matches(patterns: Any, value: str, *, ignore_case: bool) -> bool:
    return any(_like(str(p), value, ignore_case=ignore_case) for p in _as_list(patterns))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _ip_in(network: str, address: str) -> bool:
    try:
        return ipaddress.ip_address(address) in ipaddress.ip_network(network, strict=False)
    except ValueError:
        return False


def _numeric(compare: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def check(expected: str, actual: str) -> bool:
        e, a = _number(expected), _number(actual)
        return e is not None and a is not None and compare(a, e)

    return check


# Positive operators: does one actual value match one expected value.
_POSITIVE: dict[str, Callable[[str, str], bool]] = {
    "stringequals": lambda e, a: a == e,
    "stringequalsignorecase": lambda e, a: a.lower() == e.lower(),
    "stringlike": _like,
    "arnequals": _like,
    "arnlike": _like,
    "bool": lambda e, a: a.lower() == e.lower(),
    "numericequals": _numeric(lambda a, e: a == e),
    "numericlessthan": _numeric(lambda a, e: a < e),
    "numericlessthanequals": _numeric(lambda a, e: a <= e),
    "numericgreaterthan": _numeric(lambda a, e: a > e),
    "numericgreaterthanequals": _numeric(lambda a, e: a >= e),
    "ipaddress": _ip_in,
}
# Negated operators: true when no actual value matches (and when the key is missing).
_NEGATED: dict[str, str] = {
    "stringnotequals": "stringequals",
    "stringnotequalsignorecase": "stringequalsignorecase",
    "stringnotlike": "stringlike",
    "arnnotequals": "arnequals",
    "arnnotlike": "arnlike",
    "numericnotequals": "numericequals",
    "notipaddress": "ipaddress",
}


class UnknownOperator(ValueError):
    """A condition operator the lab cannot evaluate."""


def _condition_holds(
    operator: str, key: str, expected: Any, context: Mapping[str, tuple[str, ...]]
) -> bool:
    name = operator.lower()
    qualifier = ""
    if ":" in name:
        qualifier, name = name.split(":", 1)
    if_exists = name.endswith("ifexists")
    name = name.removesuffix("ifexists")
    wanted = [str(v).lower() if isinstance(v, bool) else str(v) for v in _as_list(expected)]
    actual = context.get(key.lower())
    if name == "null":
        return (actual is None) == (wanted[0].lower() == "true") if wanted else False
    negated = name in _NEGATED
    check = _POSITIVE.get(_NEGATED.get(name, name))
    if check is None or qualifier not in ("", "foranyvalue", "forallvalues"):
        raise UnknownOperator(operator)
    if actual is None:
        return if_exists or negated or qualifier == "forallvalues"

    def hit(value: str) -> bool:
        return any(check(e, value) for e in wanted)

    if qualifier == "forallvalues":
        matched = all(hit(value) for value in actual)
    else:
        matched = any(hit(value) for value in actual)
    return not matched if negated else matched


def _conditions_hold(statement: Mapping[str, Any], context: Mapping[str, tuple[str, ...]]) -> bool:
    conditions = statement.get("Condition") or {}
    return all(
        _condition_holds(operator, key, expected, context)
        for operator, pairs in conditions.items()
        for key, expected in pairs.items()
    )


def _statement_covers(statement: Mapping[str, Any], request: Request) -> bool:
    """Action and resource (and condition) match, principal aside."""
    if "NotAction" in statement:
        if _matches(statement["NotAction"], request.action, ignore_case=True):
            return False
    elif not _matches(statement.get("Action"), request.action, ignore_case=True):
        return False
    if "NotResource" in statement:
        if _matches(statement["NotResource"], request.resource, ignore_case=False):
            return False
    elif "Resource" in statement and not _matches(
        statement["Resource"], request.resource, ignore_case=False
    ):
        return False
    try:
        return _conditions_hold(statement, request.context)
    except UnknownOperator:
        return statement.get("Effect") == "Deny"


def _statements(policy: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return _as_list(policy.get("Statement"))


@dataclass(frozen=True)
class _Outcome:
    allow: bool = False
    deny: bool = False
    delegated: bool = False  # a resource policy allows the caller's account, not the caller


def _identity(request: Request, policies: Sequence[Mapping[str, Any]]) -> _Outcome:
    allow = deny = False
    for policy in policies:
        for statement in _statements(policy):
            if _statement_covers(statement, request):
                if statement.get("Effect") == "Deny":
                    deny = True
                else:
                    allow = True
    return _Outcome(allow=allow, deny=deny)


def _principals(statement: Mapping[str, Any]) -> list[str] | None:
    """The AWS principals a statement names; ["*"] for everyone; None for services only."""
    principal = statement.get("Principal")
    if principal == "*":
        return ["*"]
    if isinstance(principal, Mapping) and "AWS" in principal:
        return [str(p) for p in _as_list(principal["AWS"])]
    return None


def _resource(request: Request, policy: Mapping[str, Any] | None) -> _Outcome:
    allow = deny = delegated = False
    for statement in _statements(policy or {}):
        names = _principals(statement)
        if names is None or not _statement_covers(statement, request):
            continue
        specific = "*" in names or request.caller.named_by(names)
        to_account = request.caller.account_named_by(names)
        if not (specific or to_account):
            continue
        if statement.get("Effect") == "Deny":
            deny = True
        elif specific:
            allow = True
        else:
            delegated = True
    return _Outcome(allow=allow, deny=deny, delegated=delegated)


def evaluate(
    request: Request,
    identity_policies: Sequence[Mapping[str, Any]],
    resource_policy: Mapping[str, Any] | None = None,
    *,
    key_policy: bool = False,
) -> Decision:
    """The decision on one request; ``key_policy`` when the resource policy is a KMS key's."""
    identity = _identity(request, identity_policies)
    resource = _resource(request, resource_policy)
    if identity.deny or resource.deny:
        return Decision.EXPLICIT_DENY
    if key_policy:
        allowed = resource.allow or (resource.delegated and identity.allow)
    else:
        allowed = identity.allow or resource.allow
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY


def _names_service(statement: Mapping[str, Any], service: str) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    return service in _as_list(principal.get("Service")) or "*" in _as_list(principal.get("AWS"))


def evaluate_service(
    service: str,
    action: str,
    resource: str,
    policy: Mapping[str, Any] | None,
    context: Mapping[str, tuple[str, ...]],
) -> Decision:
    """The decision of a resource policy on a request an AWS service makes as its service
    principal (CloudTrail delivering to a bucket with a key): no identity policy speaks for a
    service, so only statements naming it (or everyone) count."""
    request = Request(Caller(arn=service, account=""), action, resource, context)
    allow = deny = False
    for statement in _statements(policy or {}):
        if _names_service(statement, service) and _statement_covers(statement, request):
            deny = deny or statement.get("Effect") == "Deny"
            allow = allow or statement.get("Effect") == "Allow"
    if deny:
        return Decision.EXPLICIT_DENY
    return Decision.ALLOW if allow else Decision.IMPLICIT_DENY
