"""Application Auto Scaling target tracking: the alarms AWS creates, and the policy run.

moto creates an ECS service's target-tracking alarms with a threshold of 6 whatever the
target, on CPUUtilization whatever the metric (an ALBRequestCountPerTarget policy included),
with a low alarm even when scale-in is disabled; an alarm action naming the policy then fails
in the lab, so a service never scales. The lab makes the alarms as AWS does (high: 3 of 3
above the target; low: 15 of 15 below 90 % of it, none with scale-in disabled; on the
policy's predefined or customised metric) and runs the policy when one fires: the service's
desired count becomes ceil(count x metric / target), within the scalable target's bounds.
"""

from __future__ import annotations

import functools
from typing import Any

from chainops.lab.aws.extensions.alarm_evaluation import ActionError
from chainops.lab.aws.extensions.scaling_actions import (
    Metric,
    customized_metric,
    put_tracking_alarms,
    tracked_capacity,
)

# Predefined metric type -> (namespace, metric name, statistic) for ECS services.
PREDEFINED = {
    "ECSServiceAverageCPUUtilization": ("AWS/ECS", "CPUUtilization", "Average"),
    "ECSServiceAverageMemoryUtilization": ("AWS/ECS", "MemoryUtilization", "Average"),
    "ALBRequestCountPerTarget": ("AWS/ApplicationELB", "RequestCountPerTarget", "Sum"),
}


def _metric(policy: Any) -> Metric:
    config = policy.target_tracking_scaling_policy_configuration or {}
    custom = config.get("CustomizedMetricSpecification")
    if custom:
        return customized_metric(custom)
    predefined = config.get("PredefinedMetricSpecification") or {}
    kind = predefined.get("PredefinedMetricType", "")
    if kind not in PREDEFINED:
        raise ActionError(f"the lab knows no predefined metric {kind!r}")
    namespace, name, statistic = PREDEFINED[kind]
    if kind == "ALBRequestCountPerTarget":
        # app/<lb>/<id>/targetgroup/<name>/<id>: the dimension is the target group's part.
        label = predefined.get("ResourceLabel", "")
        dimensions = [{"Name": "TargetGroup", "Value": label.split("/", 3)[-1]}]
        return namespace, name, statistic, dimensions, None
    _, cluster, service = policy.resource_id.split("/")
    dimensions = [
        {"Name": "ClusterName", "Value": cluster},
        {"Name": "ServiceName", "Value": service},
    ]
    return namespace, name, statistic, dimensions, "Percent"


def create_alarms(policy: Any) -> None:
    """The policy's alarms, replacing moto's (kept on ``policy.alarms`` for its deletes)."""
    from moto.cloudwatch.models import cloudwatch_backends

    policy.alarms = []
    if policy.policy_type != "TargetTrackingScaling" or policy.service_namespace != "ecs":
        return
    policy.alarms = put_tracking_alarms(
        cloudwatch_backends[policy.account_id][policy.region_name],
        owner=policy.resource_id,
        policy_arn=policy.policy_arn,
        config=policy.target_tracking_scaling_policy_configuration or {},
        metric=_metric(policy),
    )


def is_policy_arn(arn: str) -> bool:
    return ":autoscaling:" in arn and ":scalingPolicy:" in arn and ":resource/" in arn


def execute(arn: str, alarm: Any, outcome: Any) -> str:
    """Run the target-tracking policy ``arn`` on its ECS service; return what was done."""
    from moto.applicationautoscaling.models import applicationautoscaling_backends
    from moto.ecs.models import ecs_backends

    parts = arn.split(":")
    account, region = parts[4], parts[3]
    backend = applicationautoscaling_backends[account][region]
    policy = next((p for p in backend.policies.values() if p.policy_arn == arn), None)
    if policy is None:
        raise ActionError(f"no scaling policy {arn}")
    if policy.policy_type != "TargetTrackingScaling" or policy.service_namespace != "ecs":
        raise ActionError("the lab runs ECS services' target-tracking policies only")
    target = backend.targets.get(policy.scalable_dimension, {}).get(policy.resource_id)
    if target is None:
        raise ActionError(f"no scalable target {policy.resource_id}")
    _, cluster, service_name = policy.resource_id.split("/")
    try:
        service = ecs_backends[account][region]._get_service(cluster, service_name)
    except Exception as error:  # moto's own not-found errors
        raise ActionError(f"no ECS service {policy.resource_id}") from error
    current = int(service.desired_count)
    value = next((p.value for p in outcome.evaluated if p.value is not None), None)
    config = policy.target_tracking_scaling_policy_configuration or {}
    wanted = tracked_capacity(current, value, float(config["TargetValue"]), alarm)
    wanted = max(int(target.min_capacity), min(int(target.max_capacity), wanted))
    service.desired_count = wanted
    return f"desired count {current} -> {wanted}"


def install() -> None:
    from moto.applicationautoscaling.models import (
        ApplicationAutoscalingBackend,
        FakeApplicationAutoscalingPolicy,
    )

    FakeApplicationAutoscalingPolicy.create_alarms = create_alarms
    original_put = ApplicationAutoscalingBackend.put_scaling_policy

    @functools.wraps(original_put)
    def put_scaling_policy(
        self: Any,
        policy_name: str,
        service_namespace: str,
        resource_id: str,
        scalable_dimension: str,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        # An update replaces the policy: its old alarms go (moto leaves them behind).
        key = FakeApplicationAutoscalingPolicy.formulate_key(
            service_namespace, resource_id, scalable_dimension, policy_name
        )
        if (old := self.policies.get(key)) is not None:
            old.delete_alarms(self.account_id, self.region_name)
        return original_put(
            self, policy_name, service_namespace, resource_id, scalable_dimension, *args, **kwargs
        )

    ApplicationAutoscalingBackend.put_scaling_policy = put_scaling_policy
