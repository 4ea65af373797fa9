"""CloudTrail: a trail is created or updated only when it could deliver, as AWS checks.

moto 5.2.5 checks that a trail's bucket exists and stores everything else: a bucket whose
policy does not let CloudTrail write, or a KMS key whose policy does not let CloudTrail
encrypt, is accepted, and the stacks' trail would be green in the lab and refused by AWS.
AWS's CreateTrail and UpdateTrail refuse both: the bucket policy must allow
cloudtrail.amazonaws.com s3:GetBucketAcl on the bucket and s3:PutObject under
[prefix/]AWSLogs/<account>/ (InsufficientS3BucketPolicyException), and a KmsKeyId must be a
key of the region (KmsKeyNotFoundException) whose policy allows CloudTrail kms:GenerateDataKey*
(InsufficientEncryptionPolicyException). The lab evaluates the policies for CloudTrail with the
context it sends (aws:SourceArn, aws:SourceAccount, the object ACL, the trail's encryption
context) and refuses alike.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chainops.lab.aws.extensions.policy_evaluation import Decision, evaluate_service

SERVICE = "cloudtrail.amazonaws.com"


def _error(code: str, message: str) -> Exception:
    from moto.core.exceptions import JsonRESTError

    error: Exception = JsonRESTError(code, message)
    return error


def _policy(text: Any) -> Mapping[str, Any] | None:
    if not text:
        return None
    document: Mapping[str, Any] = json.loads(text.decode() if isinstance(text, bytes) else text)
    return document


@dataclass(frozen=True)
class Delivery:
    """Where a trail delivers: its bucket (and key prefix) and its KMS key, if any."""

    account: str
    region: str
    trail: str
    bucket: str
    prefix: str | None
    kms_key: str | None


def check_delivery(delivery: Delivery) -> None:
    """Raise AWS's error when the bucket or the key would refuse CloudTrail's deliveries."""
    from moto.kms.models import kms_backends
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    account, region, trail = delivery.account, delivery.region, delivery.trail
    bucket, prefix, kms_key = delivery.bucket, delivery.prefix, delivery.kms_key
    partition = get_partition(region)
    trail_arn = f"arn:{partition}:cloudtrail:{region}:{account}:trail/{trail}"
    context = {
        "aws:sourcearn": (trail_arn,),
        "aws:sourceaccount": (account,),
        "aws:securetransport": ("true",),
        "s3:x-amz-acl": ("bucket-owner-full-control",),
        "kms:encryptioncontext:aws:cloudtrail:arn": (trail_arn,),
    }
    found = s3_backends[account][partition].buckets.get(bucket)
    if found is not None:  # moto itself answers for a missing bucket
        policy = _policy(found.policy)
        key = f"{prefix + '/' if prefix else ''}AWSLogs/{account}/CloudTrail/{region}/delivery"
        wanted = [
            ("s3:GetBucketAcl", f"arn:{partition}:s3:::{bucket}"),
            ("s3:PutObject", f"arn:{partition}:s3:::{bucket}/{key}"),
        ]
        if any(
            evaluate_service(SERVICE, action, arn, policy, context) is not Decision.ALLOW
            for action, arn in wanted
        ):
            raise _error(
                "InsufficientS3BucketPolicyException",
                f"Incorrect S3 bucket policy is detected for bucket: {bucket}",
            )
    if kms_key:
        try:
            found_key = kms_backends[account][region].describe_key(kms_key)
        except Exception as missing:
            raise _error("KmsKeyNotFoundException", f"KMS key {kms_key} not found.") from missing
        decision = evaluate_service(
            SERVICE, "kms:GenerateDataKey", found_key.arn, _policy(found_key.policy), context
        )
        if decision is not Decision.ALLOW:
            raise _error(
                "InsufficientEncryptionPolicyException",
                f"Insufficient permissions to access S3 bucket {bucket} or KMS key {kms_key}.",
            )


def install() -> None:
    from moto.cloudtrail.models import CloudTrailBackend

    create_trail = CloudTrailBackend.create_trail
    update_trail = CloudTrailBackend.update_trail
    create_signature = inspect.signature(create_trail)
    update_signature = inspect.signature(update_trail)

    @functools.wraps(create_trail)
    def create(self: Any, *args: Any, **kwargs: Any) -> Any:
        given = create_signature.bind(self, *args, **kwargs).arguments
        check_delivery(
            Delivery(
                account=self.account_id,
                region=self.region_name,
                trail=given["name"],
                bucket=given["bucket_name"],
                prefix=given.get("s3_key_prefix"),
                kms_key=given.get("kms_key_id"),
            )
        )
        return create_trail(self, *args, **kwargs)

    @functools.wraps(update_trail)
    def update(self: Any, *args: Any, **kwargs: Any) -> Any:
        given = update_signature.bind(self, *args, **kwargs).arguments
        current = self.get_trail(given["name"])
        # UpdateTrail changes only what it names; the rest is the trail's.
        check_delivery(
            Delivery(
                account=self.account_id,
                region=self.region_name,
                trail=current.trail_name,
                bucket=given.get("s3_bucket_name") or current.bucket_name,
                prefix=given.get("s3_key_prefix") or current.s3_key_prefix,
                kms_key=given.get("kms_key_id") or current.kms_key_id,
            )
        )
        return update_trail(self, *args, **kwargs)

    CloudTrailBackend.create_trail = create
    CloudTrailBackend.update_trail = update
