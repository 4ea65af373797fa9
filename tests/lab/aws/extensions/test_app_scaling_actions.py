"""Application Auto Scaling target tracking in the lab: an ECS service's alarms, and the
service scaled when one fires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chainops.lab.aws import alarms, clients
from chainops.lab.settings import LabSettings

CLUSTER, SERVICE = "core", "trading-api"
RESOURCE = f"service/{CLUSTER}/{SERVICE}"


@pytest.fixture
def service(lab: LabSettings) -> dict[str, Any]:
    """An ECS service of one task, a scalable target of 1-4 tasks over it."""
    ecs = clients.client(lab, "ecs")
    ecs.create_cluster(clusterName=CLUSTER)
    ecs.register_task_definition(
        family=SERVICE,
        containerDefinitions=[{"name": SERVICE, "image": "trading-api:1", "memory": 512}],
    )
    ecs.create_service(cluster=CLUSTER, serviceName=SERVICE, taskDefinition=SERVICE, desiredCount=1)
    scaling = clients.client(lab, "application-autoscaling")
    scaling.register_scalable_target(
        ServiceNamespace="ecs",
        ResourceId=RESOURCE,
        ScalableDimension="ecs:service:DesiredCount",
        MinCapacity=1,
        MaxCapacity=4,
    )
    return {"ecs": ecs, "scaling": scaling, "cloudwatch": clients.client(lab, "cloudwatch")}


def _track_cpu(scaling: Any, **extra: Any) -> None:
    scaling.put_scaling_policy(
        PolicyName="cpu",
        ServiceNamespace="ecs",
        ResourceId=RESOURCE,
        ScalableDimension="ecs:service:DesiredCount",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 50.0,
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": "ECSServiceAverageCPUUtilization"
            },
            **extra,
        },
    )


def _alarms(cloudwatch: Any) -> dict[str, dict[str, Any]]:
    found = cloudwatch.describe_alarms(AlarmNamePrefix=f"TargetTracking-{RESOURCE}-")[
        "MetricAlarms"
    ]
    return {alarm["AlarmName"].rsplit("-", 6)[1]: alarm for alarm in found}


def test_the_policy_owns_alarms_on_its_target(service: dict[str, Any]) -> None:
    """The target, not moto's 6; no low alarm when scale-in is disabled; gone with the policy."""
    _track_cpu(service["scaling"])
    tracking = _alarms(service["cloudwatch"])
    assert set(tracking) == {"AlarmHigh", "AlarmLow"}
    high, low = tracking["AlarmHigh"], tracking["AlarmLow"]
    assert (high["MetricName"], high["Namespace"], high["Threshold"]) == (
        "CPUUtilization",
        "AWS/ECS",
        50.0,
    )
    assert (high["EvaluationPeriods"], low["EvaluationPeriods"], low["Threshold"]) == (3, 15, 45.0)
    assert {d["Name"]: d["Value"] for d in high["Dimensions"]} == {
        "ClusterName": CLUSTER,
        "ServiceName": SERVICE,
    }
    _track_cpu(service["scaling"], DisableScaleIn=True)
    assert set(_alarms(service["cloudwatch"])) == {"AlarmHigh"}
    service["scaling"].delete_scaling_policy(
        PolicyName="cpu",
        ServiceNamespace="ecs",
        ResourceId=RESOURCE,
        ScalableDimension="ecs:service:DesiredCount",
    )
    assert _alarms(service["cloudwatch"]) == {}


def test_a_busy_service_scales_out_within_its_bounds(
    lab: LabSettings, service: dict[str, Any]
) -> None:
    """CPU at 175 % of a 50 % target for 3 minutes: 1 task -> ceil(1 x 175 / 50) = 4 (the max)."""
    _track_cpu(service["scaling"])
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    service["cloudwatch"].put_metric_data(
        Namespace="AWS/ECS",
        MetricData=[
            {
                "MetricName": "CPUUtilization",
                "Dimensions": [
                    {"Name": "ClusterName", "Value": CLUSTER},
                    {"Name": "ServiceName", "Value": SERVICE},
                ],
                "Timestamp": now - timedelta(minutes=ago) + timedelta(seconds=1),
                "Value": 175.0,
                "Unit": "Percent",
            }
            for ago in range(3)
        ],
    )
    alarms.evaluate(lab)
    (described,) = service["ecs"].describe_services(cluster=CLUSTER, services=[SERVICE])["services"]
    assert described["desiredCount"] == 4
    high = _alarms(service["cloudwatch"])["AlarmHigh"]
    assert high["StateValue"] == "ALARM"
