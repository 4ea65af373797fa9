"""CloudTrail refuses a trail it could not deliver to, as AWS does: the bucket policy and the
KMS key policy must let cloudtrail.amazonaws.com write and encrypt."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings

ACCOUNT = "123456789012"
BUCKET = "trail-logs"
TRAIL = "account"
TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{TRAIL}"
# AWS's documented bucket policy for a trail, scoped to this trail.
SCOPED = {"StringEquals": {"aws:SourceArn": TRAIL_ARN}}


def _bucket_policy(*, write_prefix: str = "", acl_check: bool = True) -> str:
    service = {"Service": "cloudtrail.amazonaws.com"}
    statements: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Principal": service,
            "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/{write_prefix}AWSLogs/{ACCOUNT}/*",
            "Condition": {
                "StringEquals": {
                    "s3:x-amz-acl": "bucket-owner-full-control",
                    "aws:SourceArn": TRAIL_ARN,
                }
            },
        },
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    ]
    if acl_check:
        statements.append(
            {
                "Effect": "Allow",
                "Principal": service,
                "Action": "s3:GetBucketAcl",
                "Resource": f"arn:aws:s3:::{BUCKET}",
                "Condition": SCOPED,
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _key(kms: Any, *, for_cloudtrail: bool) -> str:
    statements: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ]
    if for_cloudtrail:
        statements.append(
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
            }
        )
    policy = json.dumps({"Version": "2012-10-17", "Statement": statements})
    return str(kms.create_key(Policy=policy)["KeyMetadata"]["Arn"])


@pytest.fixture
def s3(lab: LabSettings) -> Any:
    client = clients.client(lab, "s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def cloudtrail(lab: LabSettings) -> Any:
    return clients.client(lab, "cloudtrail")


@pytest.fixture
def kms(lab: LabSettings) -> Any:
    return clients.client(lab, "kms")


def _refused(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as excinfo:
        call(**kwargs)
    return str(excinfo.value.response["Error"]["Code"])


def test_a_bucket_without_a_policy_for_cloudtrail_is_refused(s3: Any, cloudtrail: Any) -> None:
    """No policy at all: CloudTrail may not write, so there is no trail."""
    code = _refused(cloudtrail.create_trail, Name=TRAIL, S3BucketName=BUCKET)
    assert code == "InsufficientS3BucketPolicyException"
    assert cloudtrail.describe_trails()["trailList"] == []


@pytest.mark.parametrize(
    "policy",
    [
        pytest.param(_bucket_policy(acl_check=False), id="no-acl-check"),
        pytest.param(_bucket_policy(write_prefix="other/"), id="writes-elsewhere"),
    ],
)
def test_a_partial_bucket_policy_is_refused(s3: Any, cloudtrail: Any, policy: str) -> None:
    """GetBucketAcl and PutObject under AWSLogs/<account>/ are both needed."""
    s3.put_bucket_policy(Bucket=BUCKET, Policy=policy)
    code = _refused(cloudtrail.create_trail, Name=TRAIL, S3BucketName=BUCKET)
    assert code == "InsufficientS3BucketPolicyException"


def test_a_policy_for_another_trail_is_refused(s3: Any, cloudtrail: Any) -> None:
    """aws:SourceArn names the trail: a policy written for one trail does not admit another."""
    s3.put_bucket_policy(Bucket=BUCKET, Policy=_bucket_policy())
    code = _refused(cloudtrail.create_trail, Name="another", S3BucketName=BUCKET)
    assert code == "InsufficientS3BucketPolicyException"


def test_the_documented_policy_creates_a_logging_trail(s3: Any, cloudtrail: Any) -> None:
    """AWS's documented bucket policy: the trail exists, logs and keeps its event selectors."""
    s3.put_bucket_policy(Bucket=BUCKET, Policy=_bucket_policy())
    cloudtrail.create_trail(
        Name=TRAIL, S3BucketName=BUCKET, IsMultiRegionTrail=True, EnableLogFileValidation=True
    )
    cloudtrail.start_logging(Name=TRAIL)
    assert cloudtrail.get_trail_status(Name=TRAIL)["IsLogging"] is True
    selectors = [
        {
            "Name": "objects",
            "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Data"]},
                {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
            ],
        }
    ]
    cloudtrail.put_event_selectors(TrailName=TRAIL, AdvancedEventSelectors=selectors)
    assert cloudtrail.get_event_selectors(TrailName=TRAIL)["AdvancedEventSelectors"] == selectors


def test_a_key_cloudtrail_may_not_use_is_refused(s3: Any, cloudtrail: Any, kms: Any) -> None:
    """The key policy must let CloudTrail generate data keys; an unknown key is not found."""
    s3.put_bucket_policy(Bucket=BUCKET, Policy=_bucket_policy())
    closed = _key(kms, for_cloudtrail=False)
    code = _refused(cloudtrail.create_trail, Name=TRAIL, S3BucketName=BUCKET, KmsKeyId=closed)
    assert code == "InsufficientEncryptionPolicyException"
    missing = closed.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000"
    code = _refused(cloudtrail.create_trail, Name=TRAIL, S3BucketName=BUCKET, KmsKeyId=missing)
    assert code == "KmsKeyNotFoundException"
    cloudtrail.create_trail(
        Name=TRAIL, S3BucketName=BUCKET, KmsKeyId=_key(kms, for_cloudtrail=True)
    )


def test_an_update_to_a_closed_key_is_refused(s3: Any, cloudtrail: Any, kms: Any) -> None:
    """UpdateTrail is checked like CreateTrail, with the trail's own bucket when unchanged."""
    s3.put_bucket_policy(Bucket=BUCKET, Policy=_bucket_policy())
    cloudtrail.create_trail(Name=TRAIL, S3BucketName=BUCKET)
    closed = _key(kms, for_cloudtrail=False)
    code = _refused(cloudtrail.update_trail, Name=TRAIL, KmsKeyId=closed)
    assert code == "InsufficientEncryptionPolicyException"
    assert "KmsKeyId" not in cloudtrail.get_trail(Name=TRAIL)["Trail"]


def test_a_trail_deleted_by_arn_is_gone(s3: Any, cloudtrail: Any) -> None:
    """DeleteTrail takes the ARN (the AWS provider's id) as well as the name; a trail that
    does not exist is TrailNotFoundException, not a silent success."""
    s3.put_bucket_policy(Bucket=BUCKET, Policy=_bucket_policy())
    arn = cloudtrail.create_trail(Name=TRAIL, S3BucketName=BUCKET)["TrailARN"]
    cloudtrail.delete_trail(Name=arn)
    assert cloudtrail.describe_trails()["trailList"] == []
    assert _refused(cloudtrail.delete_trail, Name=arn) == "TrailNotFoundException"
