"""The AWS actions the consumer calls, each on the kind of resource it calls it on: the one
list the blockchain stack's consumer policy grants (tests/test_permissions.py keeps it
equal to the package's calls, tests/terraform/test_stacks.py to the policy)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Resource(StrEnum):
    """What an action is granted on; each value is the policy statement's Sid."""

    STREAM = "Stream"
    LEASE_TABLE = "LeaseTable"
    IDEMPOTENCY_TABLE = "IdempotencyTable"
    LAKE_BUCKET = "LakeBucket"
    LAKE_OBJECTS = "LakeObjects"  # objects under layout.LAKE_PREFIX
    DEAD_LETTER_QUEUE = "DeadLetterQueue"
    METRICS = "Metrics"  # the config's metrics_namespace (PutMetricData has no resource ARN)


_R = Resource

ACTIONS: Mapping[str, frozenset[Resource]] = MappingProxyType(
    {
        # service.connect: the stream exists; stream.StreamReader: shards and records.
        "kinesis:DescribeStreamSummary": frozenset({_R.STREAM}),
        "kinesis:ListShards": frozenset({_R.STREAM}),
        "kinesis:GetShardIterator": frozenset({_R.STREAM}),
        "kinesis:GetRecords": frozenset({_R.STREAM}),
        # service.connect: both tables exist.
        "dynamodb:DescribeTable": frozenset({_R.LEASE_TABLE, _R.IDEMPOTENCY_TABLE}),
        # leases.LeaseTable: scan (paginated) the leases, heartbeat, leave, take and renew.
        "dynamodb:Scan": frozenset({_R.LEASE_TABLE}),
        "dynamodb:PutItem": frozenset({_R.LEASE_TABLE}),
        "dynamodb:DeleteItem": frozenset({_R.LEASE_TABLE}),
        # leases: conditional lease updates; idempotency: claim and complete one event.
        "dynamodb:UpdateItem": frozenset({_R.LEASE_TABLE, _R.IDEMPOTENCY_TABLE}),
        # idempotency.IdempotencyTable: look up and record a batch's event ids.
        "dynamodb:BatchGetItem": frozenset({_R.IDEMPOTENCY_TABLE}),
        "dynamodb:BatchWriteItem": frozenset({_R.IDEMPOTENCY_TABLE}),
        # service.connect: HeadBucket, which AWS authorises as ListBucket.
        "s3:ListBucket": frozenset({_R.LAKE_BUCKET}),
        # sinks.Lake: one object per partition of a batch.
        "s3:PutObject": frozenset({_R.LAKE_OBJECTS}),
        # service.connect: the queue exists; sinks.DeadLetterQueue: poison records.
        "sqs:GetQueueAttributes": frozenset({_R.DEAD_LETTER_QUEUE}),
        "sqs:SendMessage": frozenset({_R.DEAD_LETTER_QUEUE}),
        # chainops.pipeline.metrics.Metrics: one call per flush.
        "cloudwatch:PutMetricData": frozenset({_R.METRICS}),
    }
)

# The pipeline key encrypts the stream, the tables, the lake and the queue. Each service uses
# it on the caller's behalf, so the caller holds the KMS action through that service only:
# action -> the services (kms:ViaService) it is used through.
KEY_USE: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        # records read from the stream; the tables' key; SQS's data key on SendMessage.
        "kms:Decrypt": frozenset({"kinesis", "dynamodb", "sqs"}),
        # objects put to the lake; messages sent to the queue.
        "kms:GenerateDataKey": frozenset({"s3", "sqs"}),
    }
)
