"""The S3 bucket-policy extension: TLS-only policies let lab requests in; plain denies deny."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chainops.lab.aws import clients
from chainops.lab.aws.extensions.s3_bucket_policy import applicable_policy
from chainops.lab.settings import LabSettings


@pytest.fixture
def s3(lab: LabSettings) -> Any:
    return clients.client(lab, "s3")


def _deny(bucket: str, condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
    }
    if condition:
        statement["Condition"] = condition
    return statement


def _put_policy(s3: Any, bucket: str, *statements: dict[str, Any]) -> None:
    s3.put_bucket_policy(
        Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    )


def test_tls_only_policy_allows_object_requests(s3: Any) -> None:
    """A deny of aws:SecureTransport=false does not apply: the lab stands in for a TLS endpoint."""
    s3.create_bucket(Bucket="tls-only")
    _put_policy(s3, "tls-only", _deny("tls-only", {"Bool": {"aws:SecureTransport": "false"}}))
    s3.put_object(Bucket="tls-only", Key="state", Body=b"{}")
    assert s3.head_object(Bucket="tls-only", Key="state")["ContentLength"] == 2
    assert s3.get_object(Bucket="tls-only", Key="state")["Body"].read() == b"{}"


def test_unconditional_deny_still_denies(s3: Any) -> None:
    """The extension changes condition evaluation only: a plain deny answers 403."""
    s3.create_bucket(Bucket="deny-all")
    s3.put_object(Bucket="deny-all", Key="k", Body=b"x")
    _put_policy(s3, "deny-all", _deny("deny-all"))
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket="deny-all", Key="k")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_deny_of_tls_requests_applies(s3: Any) -> None:
    """A deny conditioned on aws:SecureTransport=true matches every lab request."""
    s3.create_bucket(Bucket="deny-tls")
    s3.put_object(Bucket="deny-tls", Key="k", Body=b"x")
    _put_policy(s3, "deny-tls", _deny("deny-tls", {"Bool": {"aws:SecureTransport": True}}))
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket="deny-tls", Key="k")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_conditions_the_lab_cannot_decide_are_kept() -> None:
    """Operators or keys outside the lab's request context stay for moto to judge."""
    policy = json.dumps(
        {
            "Statement": [
                {
                    "Effect": "Deny",
                    "Action": "s3:*",
                    "Condition": {
                        "Bool": {"aws:SecureTransport": "true"},
                        "StringEquals": {"aws:SourceVpce": "vpce-1"},
                    },
                }
            ]
        }
    )
    (statement,) = json.loads(applicable_policy(policy))["Statement"]
    assert statement["Condition"] == {"StringEquals": {"aws:SourceVpce": "vpce-1"}}
