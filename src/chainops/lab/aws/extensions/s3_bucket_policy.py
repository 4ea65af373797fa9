"""S3: bucket policy conditions evaluated against the request, so a TLS-only policy works.

moto 5.2.5 evaluates a bucket policy on every object request with no request context, knows
only the StringEquals operator, ignores every other one and treats a statement whose condition
fails as an explicit deny. The standard "deny unless aws:SecureTransport" statement
(``Bool aws:SecureTransport = false``) therefore denies every GetObject/PutObject/HeadObject,
and a Terraform s3 backend on such a bucket fails with 403 Forbidden.

The lab evaluates Bool, StringEquals and StringNotEquals conditions on the keys it knows, with
``aws:SecureTransport = true`` (its plain-HTTP endpoint stands in for AWS's TLS endpoint);
a statement whose condition does not hold does not apply. Conditions on other operators or
keys are left to moto, as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

# What every request to the lab looks like to a policy.
REQUEST_CONTEXT = {"aws:securetransport": "true"}


def _values(expected: Any) -> list[str]:
    items = expected if isinstance(expected, list) else [expected]
    return [str(item).lower() if isinstance(item, bool) else str(item) for item in items]


_OPERATORS: dict[str, Callable[[list[str], str], bool]] = {
    "bool": lambda expected, actual: actual.lower() in [e.lower() for e in expected],
    "stringequals": lambda expected, actual: actual in expected,
    "stringnotequals": lambda expected, actual: actual not in expected,
}


def _condition_holds(operator: str, key: str, expected: Any) -> bool | None:
    """True/False when the lab can evaluate the condition, None when it is left to moto."""
    check = _OPERATORS.get(operator.lower())
    actual = REQUEST_CONTEXT.get(key.lower())
    if check is None or actual is None:
        return None
    return check(_values(expected), actual)


def _strip_decided_conditions(statement: dict[str, Any]) -> dict[str, Any] | None:
    """The statement without the conditions the lab decided; None when one of them fails."""
    conditions = statement.get("Condition")
    if not conditions:
        return statement
    remaining: dict[str, dict[str, Any]] = {}
    for operator, pairs in conditions.items():
        for key, expected in pairs.items():
            holds = _condition_holds(operator, key, expected)
            if holds is False:
                return None
            if holds is None:
                remaining.setdefault(operator, {})[key] = expected
    result = {name: value for name, value in statement.items() if name != "Condition"}
    if remaining:
        result["Condition"] = remaining
    return result


def applicable_policy(policy: str) -> str:
    """The policy with the statements whose conditions fail for a lab request removed."""
    document = json.loads(policy)
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    kept = [s for s in (_strip_decided_conditions(s) for s in statements) if s is not None]
    return json.dumps({**document, "Statement": kept})


def install() -> None:
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = self.policy.decode() if isinstance(self.policy, bytes) else self.policy
        return IAMPolicy(applicable_policy(policy)).is_action_permitted(action, resource)

    FakeBucket.get_permission = get_permission
