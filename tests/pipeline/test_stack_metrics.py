"""The blockchain stack grants, alarms on and tiers what the pipeline's code really does: its
lake prefix, each process's metrics namespace, and the metric names its alarms watch (the
lists of AWS actions against the calls: tests/test_permissions.py; the applied policies:
tests/terraform/test_stacks.py)."""

from __future__ import annotations

import re

import pytest

from chainops.consumer import metrics as consumer_metrics
from chainops.consumer.config import ConsumerConfig
from chainops.consumer.layout import LAKE_PREFIX
from chainops.listener import service as listener_service
from chainops.listener.config import ListenerConfig
from tests.helpers import stack_alarm_body, stack_local


def test_the_lake_prefix_is_where_the_consumer_writes() -> None:
    """The object grant and the lake's tiering share local.lake_prefix."""
    assert stack_local("lake_prefix") == LAKE_PREFIX


@pytest.mark.parametrize(
    ("local", "config"),
    [
        ("listener_metrics_namespace", ListenerConfig),
        ("consumer_metrics_namespace", ConsumerConfig),
    ],
)
def test_each_process_is_granted_its_own_namespace(local: str, config: type) -> None:
    assert stack_local(local) == config.model_fields["metrics_namespace"].default


@pytest.mark.parametrize(
    ("alarm", "namespace", "metric"),
    [
        ("block-processing-lag", "listener_metrics_namespace", listener_service.SLOT_LAG),
        ("event-backlog", "consumer_metrics_namespace", consumer_metrics.MILLIS_BEHIND_LATEST),
        ("data-loss", "consumer_metrics_namespace", consumer_metrics.LOST_RANGES),
    ],
)
def test_alarms_watch_metrics_the_code_publishes(alarm: str, namespace: str, metric: str) -> None:
    """Namespace, name and the Stream dimension the publisher (chainops.pipeline.metrics) sets."""
    body = stack_alarm_body(alarm)
    assert re.search(rf"^\s*namespace\s*=\s*local\.{namespace}$", body, re.MULTILINE), body
    assert re.search(rf'^\s*metric_name\s*=\s*"{metric}"', body, re.MULTILINE), body
    assert "dimensions         = { Stream = module.events_stream.name }" in body
