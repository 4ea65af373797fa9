"""Auto Scaling policies run by alarms, and the alarms AWS creates for target tracking.

On AWS a target-tracking policy creates and owns two CloudWatch alarms on its metric
(`TargetTracking-<group>-AlarmHigh-<id>`: 3 of 3 one-minute datapoints above the target;
`...-AlarmLow-<id>`: 15 of 15 below 90 % of it, absent when scale-in is disabled); when one
fires, the group's desired capacity becomes ceil(capacity x metric / target), within its
bounds. moto creates no alarm and runs no policy, so a fleet never scales. The lab creates,
updates and deletes those alarms with their policy (and with the group), and an alarm action
naming a policy runs it: target tracking as above, simple scaling by its adjustment, step
scaling by the step the breach falls in.
"""

from __future__ import annotations

import functools
import math
import uuid
from typing import Any

from chainops.lab.aws.extensions.alarm_evaluation import ActionError

# (namespace, metric name, statistic, dimensions, unit) an alarm watches.
Metric = tuple[str, str, str, list[dict[str, str]], str | None]

HIGH_PERIODS = 3
LOW_PERIODS = 15
LOW_SHARE = 0.9

# Predefined metric type -> (namespace, metric name, statistic).
PREDEFINED = {
    "ASGAverageCPUUtilization": ("AWS/EC2", "CPUUtilization", "Average"),
    "ASGAverageNetworkIn": ("AWS/EC2", "NetworkIn", "Average"),
    "ASGAverageNetworkOut": ("AWS/EC2", "NetworkOut", "Average"),
    "ALBRequestCountPerTarget": ("AWS/ApplicationELB", "RequestCountPerTarget", "Sum"),
}


def _parse_policy_arn(arn: str) -> tuple[str, str, str, str]:
    # arn:aws:autoscaling:<region>:<account>:scalingPolicy:<id>:\
    #   autoScalingGroupName/<group>:policyName/<policy>
    parts = arn.split(":")
    try:
        group = next(p for p in parts if p.startswith("autoScalingGroupName/")).split("/", 1)[1]
        policy = next(p for p in parts if p.startswith("policyName/")).split("/", 1)[1]
    except StopIteration as error:
        raise ActionError(f"not an Auto Scaling policy ARN: {arn}") from error
    return parts[4], parts[3], group, policy


def execute(arn: str, alarm: Any, outcome: Any) -> str:
    """Run the policy `arn` for `alarm`'s new state; return what was done."""
    from moto.autoscaling.models import autoscaling_backends

    account, region, group_name, policy_name = _parse_policy_arn(arn)
    backend = autoscaling_backends[account][region]
    policy = backend.policies.get(policy_name)
    group = backend.autoscaling_groups.get(group_name)
    if policy is None or policy.auto_scaling_group_name != group_name or group is None:
        raise ActionError(f"no scaling policy {policy_name} on group {group_name}")
    if not getattr(policy, "enabled", True):
        raise ActionError(f"scaling policy {policy_name} is disabled")
    value = next((p.value for p in outcome.evaluated if p.value is not None), None)
    current = int(group.desired_capacity or 0)
    if policy.policy_type == "TargetTrackingScaling":
        target = float(policy.target_tracking_configuration.TargetValue)
        wanted = tracked_capacity(current, value, target, alarm)
    elif policy.policy_type == "StepScaling":
        if value is None:
            raise ActionError("no datapoint to scale on")
        wanted = _adjusted(policy.adjustment_type, current, _step(policy, value - alarm.threshold))
    else:
        wanted = _adjusted(policy.adjustment_type, current, int(policy.scaling_adjustment or 0))
    wanted = max(int(group.min_size), min(int(group.max_size), wanted))
    if wanted != current:
        backend.set_desired_capacity(group_name, wanted)
    return f"desired capacity {current} -> {wanted}"


def tracked_capacity(current: int, value: float | None, target: float, alarm: Any) -> int:
    """Target tracking's capacity: ceil(capacity x metric / target), out only on the high
    alarm, in only on the low one."""
    if value is None:
        raise ActionError("no datapoint to scale on")
    wanted = math.ceil(current * value / target) if target > 0 else current
    rising = alarm.comparison_operator.startswith("Greater")
    return max(wanted, current) if rising else min(wanted, current)


def put_tracking_alarms(
    cloudwatch: Any, *, owner: str, policy_arn: str, config: dict[str, Any], metric: Metric
) -> list[Any]:
    """The alarms AWS makes for a target-tracking policy on ``owner`` (a group, a resource):
    high, 3 of 3 above the target; low, 15 of 15 below 90 % of it unless scale-in is off."""
    target = float(config["TargetValue"])
    suffix = uuid.uuid4()
    prefix = f"TargetTracking-{owner}"
    wanted = [(f"{prefix}-AlarmHigh-{suffix}", "GreaterThanThreshold", target, HIGH_PERIODS)]
    if str(config.get("DisableScaleIn", "false")).lower() != "true":
        low = target * LOW_SHARE
        wanted.append((f"{prefix}-AlarmLow-{suffix}", "LessThanThreshold", low, LOW_PERIODS))
    namespace, name, statistic, dimensions, unit = metric
    return [
        cloudwatch.put_metric_alarm(
            name=alarm_name,
            namespace=namespace,
            metric_name=name,
            metric_data_queries=[],
            comparison_operator=comparison,
            evaluation_periods=periods,
            datapoints_to_alarm=periods,
            period=60,
            threshold=threshold,
            statistic=statistic,
            description=f"DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {policy_arn}.",
            dimensions=dimensions,
            alarm_actions=[policy_arn],
            unit=unit,
        )
        for alarm_name, comparison, threshold, periods in wanted
    ]


def _step(policy: Any, breach: float) -> int:
    for step in policy.step_adjustments or []:
        lower = step.get("MetricIntervalLowerBound")
        upper = step.get("MetricIntervalUpperBound")
        if (lower is None or breach >= float(lower)) and (upper is None or breach < float(upper)):
            return int(step["ScalingAdjustment"])
    raise ActionError(f"no step of the policy covers a breach of {breach}")


def _adjusted(kind: str | None, current: int, adjustment: int) -> int:
    if kind == "ExactCapacity":
        return adjustment
    if kind == "PercentChangeInCapacity":
        change = current * adjustment / 100
        return current + (math.ceil(change) if 0 < change < 1 else int(change))
    return current + adjustment


# (account, region, policy name) -> the names of the alarms the policy owns.
_owned: dict[tuple[str, str, str], list[str]] = {}


def _metric(policy: Any) -> Metric:
    config = policy.target_tracking_configuration.__dict__
    group = policy.auto_scaling_group_name
    custom = config.get("CustomizedMetricSpecification")
    if custom:
        return customized_metric(custom)
    predefined = config.get("PredefinedMetricSpecification") or {}
    kind = predefined.get("PredefinedMetricType", "")
    namespace, name, statistic = PREDEFINED.get(kind, ("AWS/EC2", kind, "Average"))
    if kind == "ALBRequestCountPerTarget":
        label = predefined.get("ResourceLabel", "")
        dimensions = [{"Name": "TargetGroup", "Value": label.split("/", 3)[-1]}]
    else:
        dimensions = [{"Name": "AutoScalingGroupName", "Value": group}]
    return namespace, name, statistic, dimensions, None


def customized_metric(custom: dict[str, Any]) -> Metric:
    """(namespace, name, statistic, dimensions, unit) of a CustomizedMetricSpecification."""
    return (
        custom["Namespace"],
        custom["MetricName"],
        custom.get("Statistic", "Average"),
        [{"Name": d["Name"], "Value": d["Value"]} for d in custom.get("Dimensions") or []],
        custom.get("Unit"),
    )


def _delete_owned(account: str, region: str, policy_name: str) -> None:
    from moto.cloudwatch.models import cloudwatch_backends

    names = _owned.pop((account, region, policy_name), [])
    if names:
        cloudwatch_backends[account][region].delete_alarms(names)


def sync_alarms(backend: Any, policy: Any) -> None:
    """Create (or recreate) the alarms a target-tracking policy owns; drop them otherwise."""
    account, region = backend.account_id, backend.region_name
    _delete_owned(account, region, policy.name)
    if policy.policy_type != "TargetTrackingScaling":
        return
    from moto.cloudwatch.models import cloudwatch_backends

    alarms = put_tracking_alarms(
        cloudwatch_backends[account][region],
        owner=policy.auto_scaling_group_name,
        policy_arn=policy.arn,
        config=policy.target_tracking_configuration.__dict__,
        metric=_metric(policy),
    )
    _owned[(account, region, policy.name)] = [alarm.name for alarm in alarms]


def install() -> None:
    from moto.autoscaling.models import AutoScalingBackend

    original_put = AutoScalingBackend.put_scaling_policy

    @functools.wraps(original_put)
    def put_scaling_policy(self: Any, *args: Any, **kwargs: Any) -> Any:
        policy = original_put(self, *args, **kwargs)
        sync_alarms(self, policy)
        return policy

    original_delete = AutoScalingBackend.delete_policy

    @functools.wraps(original_delete)
    def delete_policy(self: Any, policy_name: str) -> None:
        original_delete(self, policy_name)
        _delete_owned(self.account_id, self.region_name, policy_name)

    original_delete_group = AutoScalingBackend.delete_auto_scaling_group

    @functools.wraps(original_delete_group)
    def delete_auto_scaling_group(self: Any, group_name: str) -> None:
        original_delete_group(self, group_name)
        # AWS deletes a group's policies, and their alarms, with the group.
        for name, policy in list(self.policies.items()):
            if policy.auto_scaling_group_name == group_name:
                self.policies.pop(name, None)
                _delete_owned(self.account_id, self.region_name, name)

    AutoScalingBackend.put_scaling_policy = put_scaling_policy
    AutoScalingBackend.delete_policy = delete_policy
    AutoScalingBackend.delete_auto_scaling_group = delete_auto_scaling_group
