"""The Auto Scaling policies extension: Enabled, no stray predictive block, default warmup."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def group(autoscaling: Any, ec2: Any, image_id: str) -> str:
    template = ec2.create_launch_template(
        LaunchTemplateName="rpc",
        LaunchTemplateData={"ImageId": image_id, "InstanceType": "t3.micro"},
    )["LaunchTemplate"]["LaunchTemplateId"]
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="rpc",
        LaunchTemplate={"LaunchTemplateId": template},
        MinSize=0,
        MaxSize=1,
        AvailabilityZones=["us-east-1a"],
        DefaultInstanceWarmup=600,
    )
    return "rpc"


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
