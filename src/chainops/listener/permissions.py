"""The AWS actions the listener calls, each on the kind of resource it calls it on: the one
list the blockchain stack's listener policy grants (tests/test_permissions.py keeps it
equal to the package's calls, tests/terraform/test_stacks.py to the policy)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Resource(StrEnum):
    """What an action is granted on; each value is the policy statement's Sid."""

    STREAM = "Stream"
    CHECKPOINT_TABLE = "CheckpointTable"
    METRICS = "Metrics"  # the config's metrics_namespace (PutMetricData has no resource ARN)


_R = Resource

ACTIONS: Mapping[str, frozenset[Resource]] = MappingProxyType(
    {
        # service: the stream exists; kinesis.KinesisSink: one call per batch.
        "kinesis:DescribeStreamSummary": frozenset({_R.STREAM}),
        "kinesis:PutRecords": frozenset({_R.STREAM}),
        # checkpoint.CheckpointStore: load at start, then conditional advances.
        "dynamodb:GetItem": frozenset({_R.CHECKPOINT_TABLE}),
        "dynamodb:UpdateItem": frozenset({_R.CHECKPOINT_TABLE}),
        # service.Listener._meter: one call per metrics interval (chainops.pipeline.metrics).
        "cloudwatch:PutMetricData": frozenset({_R.METRICS}),
    }
)

# The pipeline key encrypts the stream and the checkpoint table. Each service uses it on the
# caller's behalf, so the caller holds the KMS action through that service only:
# action -> the services (kms:ViaService) it is used through.
KEY_USE: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        # records put to the stream.
        "kms:GenerateDataKey": frozenset({"kinesis"}),
        # the checkpoint table's key.
        "kms:Decrypt": frozenset({"dynamodb"}),
    }
)
