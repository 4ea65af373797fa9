"""Target tracking in the lab: the policy's alarms, and the group scaled when one fires."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chainops.lab.aws import alarms, clients
from chainops.lab.settings import LabSettings

NAMESPACE = "Chainops/RPC"
METRIC = "RequestsPerSecond"


@pytest.fixture
def cloudwatch(lab: LabSettings) -> Any:
    return clients.client(lab, "cloudwatch")


@pytest.fixture
def group(make_group: Callable[..., str]) -> str:
    return make_group(MinSize=1, MaxSize=4, DesiredCapacity=1)


def _track_requests(autoscaling: Any, group: str, **extra: Any) -> str:
    autoscaling.put_scaling_policy(
        AutoScalingGroupName=group,
        PolicyName="rpc-requests",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={
            "CustomizedMetricSpecification": {
                "Namespace": NAMESPACE,
                "MetricName": METRIC,
                "Dimensions": [{"Name": "AutoScalingGroupName", "Value": group}],
                "Statistic": "Average",
            },
            "TargetValue": 100.0,
            **extra,
        },
    )
    return "rpc-requests"


def _tracking_alarms(cloudwatch: Any, group: str) -> dict[str, dict[str, Any]]:
    found = cloudwatch.describe_alarms(AlarmNamePrefix=f"TargetTracking-{group}-")["MetricAlarms"]
    return {alarm["AlarmName"].split("-")[2]: alarm for alarm in found}


def _load(cloudwatch: Any, group: str, requests_per_second: float) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    cloudwatch.put_metric_data(
        Namespace=NAMESPACE,
        MetricData=[
            {
                "MetricName": METRIC,
                "Dimensions": [{"Name": "AutoScalingGroupName", "Value": group}],
                "Timestamp": now - timedelta(minutes=ago) + timedelta(seconds=1),
                "Value": requests_per_second,
            }
            for ago in range(3)
        ],
    )


def test_policy_owns_a_high_and_a_low_alarm(autoscaling: Any, cloudwatch: Any, group: str) -> None:
    """As on AWS: 3 of 3 above the target, 15 of 15 below 90 % of it, acting on the policy;
    no low alarm when scale-in is disabled; both go with the policy."""
    policy = _track_requests(autoscaling, group)
    tracking = _tracking_alarms(cloudwatch, group)
    assert set(tracking) == {"AlarmHigh", "AlarmLow"}
    high, low = tracking["AlarmHigh"], tracking["AlarmLow"]
    assert (high["Threshold"], high["EvaluationPeriods"], high["Period"]) == (100.0, 3, 60)
    assert (low["Threshold"], low["EvaluationPeriods"]) == (90.0, 15)
    assert high["Dimensions"] == [{"Name": "AutoScalingGroupName", "Value": group}]
    (arn,) = high["AlarmActions"]
    assert arn.endswith(f":autoScalingGroupName/{group}:policyName/{policy}")

    _track_requests(autoscaling, group, DisableScaleIn=True)
    assert set(_tracking_alarms(cloudwatch, group)) == {"AlarmHigh"}
    autoscaling.delete_policy(AutoScalingGroupName=group, PolicyName=policy)
    assert _tracking_alarms(cloudwatch, group) == {}


def test_load_above_the_target_scales_the_group_out(
    lab: LabSettings, autoscaling: Any, cloudwatch: Any, group: str
) -> None:
    """250 requests/s per node against a target of 100: the high alarm fires and the group
    goes from 1 to ceil(1 x 250 / 100) = 3 instances."""
    _track_requests(autoscaling, group)
    _load(cloudwatch, group, 250.0)
    alarms.evaluate(lab)
    assert _tracking_alarms(cloudwatch, group)["AlarmHigh"]["StateValue"] == "ALARM"
    (scaled,) = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group])[
        "AutoScalingGroups"
    ]
    assert scaled["DesiredCapacity"] == 3
    assert len(scaled["Instances"]) == 3
    history = cloudwatch.describe_alarm_history(
        AlarmName=_tracking_alarms(cloudwatch, group)["AlarmHigh"]["AlarmName"],
        HistoryItemType="Action",
    )["AlarmHistoryItems"]
    assert '"result":"desired capacity 1 -> 3"' in history[0]["HistoryData"]


def test_deleting_the_group_deletes_its_policies_and_alarms(
    autoscaling: Any, cloudwatch: Any, group: str
) -> None:
    _track_requests(autoscaling, group)
    autoscaling.delete_auto_scaling_group(AutoScalingGroupName=group, ForceDelete=True)
    assert autoscaling.describe_policies()["ScalingPolicies"] == []
    assert _tracking_alarms(cloudwatch, group) == {}
