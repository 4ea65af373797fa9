"""The AWS actions the RPC gateway calls, each on the kind of resource it calls it on: the one
list the RPC nodes' role must grant (tests/test_permissions.py keeps it equal to the package's
calls)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Resource(StrEnum):
    """What an action is granted on; each value is the policy statement's Sid."""

    METRICS = "Metrics"  # the config's metrics_namespace (PutMetricData has no resource ARN)


ACTIONS: Mapping[str, frozenset[Resource]] = MappingProxyType(
    {
        # service: one call per metrics interval and one at exit (chainops.pipeline.metrics).
        "cloudwatch:PutMetricData": frozenset({Resource.METRICS}),
    }
)

# The gateway uses no key: action -> the services (kms:ViaService) it is used through.
KEY_USE: Mapping[str, frozenset[str]] = MappingProxyType({})
