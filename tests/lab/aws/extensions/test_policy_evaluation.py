"""The lab's IAM policy evaluation rules, without a server (AWS's documented cases)."""

from __future__ import annotations

from typing import Any

import pytest

from chainops.lab.aws.extensions.policy_evaluation import (
    Caller,
    Decision,
    Request,
    evaluate,
    evaluate_service,
)

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/consumer"
CALLER = Caller(
    arn=f"arn:aws:sts::{ACCOUNT}:assumed-role/consumer/i-1", account=ACCOUNT, role_arn=ROLE
)
LAKE = "arn:aws:s3:::lake"


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def request(action: str, resource: str = "*", **context: str) -> Request:
    keys = {key.lower().replace("__", ":"): (value,) for key, value in context.items()}
    return Request(caller=CALLER, action=action, resource=resource, context=keys)


def test_nothing_granted_is_an_implicit_deny() -> None:
    assert evaluate(request("s3:PutObject", f"{LAKE}/events/a"), []) is Decision.IMPLICIT_DENY


@pytest.mark.parametrize(
    ("key", "decision"),
    [("events/2026/a.gz", Decision.ALLOW), ("raw/a.gz", Decision.IMPLICIT_DENY)],
)
def test_resource_wildcards_scope_a_prefix(key: str, decision: Decision) -> None:
    granted = policy(allow("s3:PutObject", f"{LAKE}/events/*"))
    assert evaluate(request("s3:PutObject", f"{LAKE}/{key}"), [granted]) is decision


def test_actions_match_without_case_resources_with_case() -> None:
    granted = policy(allow("S3:putobject", f"{LAKE}/events/*"))
    assert evaluate(request("s3:PutObject", f"{LAKE}/events/a"), [granted]) is Decision.ALLOW
    assert (
        evaluate(request("s3:PutObject", f"{LAKE}/Events/a"), [granted]) is Decision.IMPLICIT_DENY
    )


def test_question_mark_is_one_character_and_brackets_are_literal() -> None:
    granted = policy(
        allow(
            "sqs:SendMessage",
            "arn:aws:sqs:*:*:dlq-?",
        )
    )
    assert (
        evaluate(request("sqs:SendMessage", "arn:aws:sqs:r:1:dlq-1"), [granted]) is Decision.ALLOW
    )
    assert (
        evaluate(request("sqs:SendMessage", "arn:aws:sqs:r:1:dlq-12"), [granted])
        is Decision.IMPLICIT_DENY
    )
    literal = policy(allow("sqs:SendMessage", "arn:aws:sqs:r:1:[ab]"))
    assert (
        evaluate(request("sqs:SendMessage", "arn:aws:sqs:r:1:a"), [literal])
        is Decision.IMPLICIT_DENY
    )


def test_an_explicit_deny_wins_over_any_allow() -> None:
    policies = [policy(allow("s3:*")), policy(deny("s3:PutObject", f"{LAKE}/raw/*"))]
    assert evaluate(request("s3:PutObject", f"{LAKE}/raw/a"), policies) is Decision.EXPLICIT_DENY
    assert evaluate(request("s3:PutObject", f"{LAKE}/events/a"), policies) is Decision.ALLOW


def test_not_action_and_not_resource() -> None:
    granted = policy({"Effect": "Allow", "NotAction": "iam:*", "NotResource": f"{LAKE}/secret/*"})
    assert evaluate(request("s3:GetObject", f"{LAKE}/a"), [granted]) is Decision.ALLOW
    assert evaluate(request("iam:CreateUser"), [granted]) is Decision.IMPLICIT_DENY
    assert (
        evaluate(request("s3:GetObject", f"{LAKE}/secret/a"), [granted]) is Decision.IMPLICIT_DENY
    )


NAMESPACE = {"StringEquals": {"cloudwatch:namespace": "Chainops/Consumer"}}


@pytest.mark.parametrize(
    ("namespace", "decision"),
    [("Chainops/Consumer", Decision.ALLOW), ("Chainops/RPC", Decision.IMPLICIT_DENY)],
)
def test_a_condition_scopes_put_metric_data_to_a_namespace(
    namespace: str, decision: Decision
) -> None:
    granted = policy(allow("cloudwatch:PutMetricData", Condition=NAMESPACE))
    asked = request("cloudwatch:PutMetricData", cloudwatch__namespace=namespace)
    assert evaluate(asked, [granted]) is decision


def test_a_missing_key_fails_a_positive_operator_and_passes_a_negated_one() -> None:
    positive = policy(
        allow("s3:ListBucket", LAKE, Condition={"StringLike": {"s3:prefix": "events/*"}})
    )
    negated = policy(
        allow("s3:ListBucket", LAKE, Condition={"StringNotLike": {"s3:prefix": "raw/*"}})
    )
    if_exists = policy(
        allow("s3:ListBucket", LAKE, Condition={"StringLikeIfExists": {"s3:prefix": "events/*"}})
    )
    asked = request("s3:ListBucket", LAKE)
    assert evaluate(asked, [positive]) is Decision.IMPLICIT_DENY
    assert evaluate(asked, [negated]) is Decision.ALLOW
    assert evaluate(asked, [if_exists]) is Decision.ALLOW


def test_null_bool_numeric_and_ip_operators() -> None:
    def decided(condition: dict[str, Any], **context: str) -> Decision:
        return evaluate(
            request("s3:GetObject", LAKE, **context), [policy(allow("s3:*", Condition=condition))]
        )

    assert decided({"Null": {"s3:prefix": "true"}}) is Decision.ALLOW
    assert decided({"Null": {"s3:prefix": "false"}}) is Decision.IMPLICIT_DENY
    assert (
        decided({"Bool": {"aws:SecureTransport": True}}, aws__SecureTransport="true")
        is Decision.ALLOW
    )
    assert (
        decided({"NumericLessThan": {"s3:max-keys": "10"}}, s3__max_keys="5")
        is Decision.IMPLICIT_DENY
    )
    assert (
        decided({"NumericLessThan": {"s3:max-keys": "10"}}, **{"s3__max-keys": "5"})
        is Decision.ALLOW
    )
    assert (
        decided({"IpAddress": {"aws:SourceIp": "10.88.0.0/16"}}, aws__SourceIp="10.88.0.7")
        is Decision.ALLOW
    )
    assert (
        decided({"NotIpAddress": {"aws:SourceIp": "10.88.0.0/16"}}, aws__SourceIp="10.88.0.7")
        is Decision.IMPLICIT_DENY
    )


def test_for_all_values_and_for_any_value() -> None:
    multi = Request(
        caller=CALLER,
        action="dynamodb:GetItem",
        resource="*",
        context={"dynamodb:attributes": ("a", "b")},
    )
    all_of = policy(
        allow(
            "dynamodb:*",
            Condition={"ForAllValues:StringEquals": {"dynamodb:Attributes": ["a", "b", "c"]}},
        )
    )
    any_of = policy(
        allow("dynamodb:*", Condition={"ForAnyValue:StringEquals": {"dynamodb:Attributes": ["b"]}})
    )
    narrow = policy(
        allow("dynamodb:*", Condition={"ForAllValues:StringEquals": {"dynamodb:Attributes": ["a"]}})
    )
    assert evaluate(multi, [all_of]) is Decision.ALLOW
    assert evaluate(multi, [any_of]) is Decision.ALLOW
    assert evaluate(multi, [narrow]) is Decision.IMPLICIT_DENY


def test_an_unknown_operator_fails_closed() -> None:
    odd = {"DateGreaterThanOrWhatever": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}
    assert (
        evaluate(request("s3:GetObject"), [policy(allow("s3:*", Condition=odd))])
        is Decision.IMPLICIT_DENY
    )
    both = [policy(allow("s3:*")), policy(deny("s3:*", Condition=odd))]
    assert evaluate(request("s3:GetObject"), both) is Decision.EXPLICIT_DENY


def principal(aws: Any, *statements: dict[str, Any]) -> dict[str, Any]:
    return policy(*({**s, "Principal": {"AWS": aws}} for s in statements))


def test_a_resource_policy_naming_the_role_allows_on_its_own() -> None:
    bucket = principal(ROLE, allow("s3:GetObject", f"{LAKE}/*"))
    assert evaluate(request("s3:GetObject", f"{LAKE}/a"), [], bucket) is Decision.ALLOW


def test_a_resource_policy_naming_the_account_delegates_to_iam() -> None:
    bucket = principal(f"arn:aws:iam::{ACCOUNT}:root", allow("s3:GetObject", f"{LAKE}/*"))
    assert evaluate(request("s3:GetObject", f"{LAKE}/a"), [], bucket) is Decision.IMPLICIT_DENY


def test_a_resource_policy_deny_wins_over_the_identity_allow() -> None:
    bucket = policy({**deny("s3:*", f"{LAKE}/*"), "Principal": "*"})
    identity = policy(allow("s3:GetObject", f"{LAKE}/*"))
    assert (
        evaluate(request("s3:GetObject", f"{LAKE}/a"), [identity], bucket) is Decision.EXPLICIT_DENY
    )


KEY = "arn:aws:kms:us-east-1:123456789012:key/k"


def test_a_key_policy_must_allow_even_when_iam_does() -> None:
    identity = policy(allow("kms:Decrypt", KEY))
    admin_only = principal("arn:aws:iam::123456789012:role/admin", allow("kms:*"))
    delegating = principal(f"arn:aws:iam::{ACCOUNT}:root", allow("kms:*"))
    asked = request("kms:Decrypt", KEY)
    assert evaluate(asked, [identity], admin_only, key_policy=True) is Decision.IMPLICIT_DENY
    assert evaluate(asked, [identity], delegating, key_policy=True) is Decision.ALLOW
    assert evaluate(asked, [], delegating, key_policy=True) is Decision.IMPLICIT_DENY


def test_service_principals_grant_nothing_to_a_role_session() -> None:
    trust = policy(
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    )
    asked = request("sts:AssumeRole", ROLE)
    assert (
        evaluate(asked, [policy(allow("sts:AssumeRole"))], trust, key_policy=True)
        is Decision.IMPLICIT_DENY
    )


TRAIL = "cloudtrail.amazonaws.com"
SOURCE = {"aws:sourceaccount": (ACCOUNT,)}


@pytest.mark.parametrize(
    ("principal", "decision"),
    [
        pytest.param({"Service": TRAIL}, Decision.ALLOW, id="the-service"),
        pytest.param({"Service": ["logs.amazonaws.com", TRAIL]}, Decision.ALLOW, id="among-others"),
        pytest.param("*", Decision.ALLOW, id="everyone"),
        pytest.param({"Service": "logs.amazonaws.com"}, Decision.IMPLICIT_DENY, id="another"),
        pytest.param({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, Decision.IMPLICIT_DENY, id="account"),
    ],
)
def test_a_service_is_allowed_only_where_a_statement_names_it(
    principal: Any, decision: Decision
) -> None:
    """No identity policy speaks for a service: the resource policy must name it (or everyone);
    the account principal, which delegates to IAM for users and roles, does not."""
    document = policy(allow("s3:PutObject", f"{LAKE}/*", Principal=principal))
    assert evaluate_service(TRAIL, "s3:PutObject", f"{LAKE}/a", document, SOURCE) is decision


def test_a_service_statement_holds_only_under_its_conditions() -> None:
    """A statement scoped to the account (aws:SourceAccount) admits that account's requests
    only; a deny naming everyone wins."""
    scoped = allow(
        "kms:GenerateDataKey*",
        Principal={"Service": TRAIL},
        Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    )
    document = policy(scoped)
    assert evaluate_service(TRAIL, "kms:GenerateDataKey", "k", document, SOURCE) is Decision.ALLOW
    other = {"aws:sourceaccount": ("210987654321",)}
    assert evaluate_service(TRAIL, "kms:GenerateDataKey", "k", document, other) is (
        Decision.IMPLICIT_DENY
    )
    denied = policy(scoped, deny("kms:*", Principal="*"))
    assert evaluate_service(TRAIL, "kms:GenerateDataKey", "k", denied, SOURCE) is (
        Decision.EXPLICIT_DENY
    )
