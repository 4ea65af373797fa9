"""The Auto Scaling policies extension: Enabled, no stray predictive block, default warmup."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def group(make_group: Callable[..., str]) -> str:
    return make_group(MinSize=0, MaxSize=1, DefaultInstanceWarmup=600)


def _target_tracking(autoscaling: Any, group: str, name: str, **extra: Any) -> dict[str, Any]:
    autoscaling.put_scaling_policy(
        AutoScalingGroupName=group,
        PolicyName=name,
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
            "TargetValue": 60.0,
        },
        **extra,
    )
    (policy,) = autoscaling.describe_policies(AutoScalingGroupName=group, PolicyNames=[name])[
        "ScalingPolicies"
    ]
    return dict(policy)


def test_target_tracking_policy_reads_back_enabled(autoscaling: Any, group: str) -> None:
    """A policy is enabled unless created disabled, and carries no predictive configuration."""
    policy = _target_tracking(autoscaling, group, "cpu")
    assert policy["Enabled"] is True
    assert "PredictiveScalingConfiguration" not in policy
    disabled = _target_tracking(autoscaling, group, "cpu-off", Enabled=False)
    assert disabled["Enabled"] is False


def test_default_instance_warmup_is_kept(autoscaling: Any, group: str) -> None:
    """The group reports the warmup it was created with, and an update changes it."""

    def warmup() -> Any:
        groups = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group])
        return groups["AutoScalingGroups"][0].get("DefaultInstanceWarmup")

    assert warmup() == 600
    autoscaling.update_auto_scaling_group(AutoScalingGroupName=group, DefaultInstanceWarmup=300)
    assert warmup() == 300
