"""The RPC fleet's scaling policy and latency alarm watch what the gateway publishes: the
namespace (its default), the metric names and the AutoScalingGroupName dimension."""

from __future__ import annotations

import re

from chainops.paths import REPO_ROOT
from chainops.rpcgateway.config import GatewayConfig
from chainops.rpcgateway.meter import REQUEST_LATENCY, REQUESTS_PER_SECOND
from tests.helpers import stack_alarm_body as _alarm
from tests.helpers import stack_local as _stack_local

NAMESPACE = GatewayConfig.model_fields["metrics_namespace"].default
FLEET_VARIABLES = REPO_ROOT / "terraform" / "modules" / "rpc_fleet" / "variables.tf"


def test_the_stack_grants_and_alarms_on_the_gateways_namespace() -> None:
    assert _stack_local("rpc_metrics_namespace") == NAMESPACE
    body = _alarm("rpc-latency-p99")
    assert re.search(r"^\s*namespace\s*=\s*local\.rpc_metrics_namespace$", body, re.M), body
    assert re.search(rf'^\s*metric_name\s*=\s*"{REQUEST_LATENCY}"$', body, re.M), body
    assert "dimensions         = { AutoScalingGroupName = module.rpc_fleet." in body
    assert 'extended_statistic = "p99"' in body


def test_the_fleet_scales_on_the_gateways_request_rate() -> None:
    """rpc_fleet's target-tracking metric defaults to the gateway's namespace and name."""
    text = FLEET_VARIABLES.read_text()
    assert f'namespace   = optional(string, "{NAMESPACE}")' in text
    assert f'metric_name = optional(string, "{REQUESTS_PER_SECOND}")' in text
