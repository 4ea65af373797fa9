"""Auto Scaling: scaling policies read back as created; DefaultInstanceWarmup kept.

moto 5.2.5 answers DescribePolicies without ``Enabled`` (read as false) and with an empty
``PredictiveScalingConfiguration`` on every policy type, and drops CreateAutoScalingGroup's /
UpdateAutoScalingGroup's ``DefaultInstanceWarmup``. The Terraform provider then plans, after
every apply, ``enabled = false -> true`` and the removal of a predictive block on each
target-tracking policy, and ``default_instance_warmup = 0 -> N`` on the group.

The lab keeps ``Enabled`` (default true), reports a predictive configuration only for
PredictiveScaling policies, and keeps the group's default instance warmup.
"""

from __future__ import annotations

import functools
from typing import Any


def _enabled(value: Any) -> bool:
    return value is None or str(value).lower() == "true"


def install() -> None:
    from moto.autoscaling.models import FakeScalingPolicy
    from moto.autoscaling.responses import AutoScalingResponse

    original_init = FakeScalingPolicy.__init__

    @functools.wraps(original_init)
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.enabled = True
        if self.policy_type != "PredictiveScaling":
            self.predictive_scaling_configuration = None

    FakeScalingPolicy.__init__ = init

    original_put = AutoScalingResponse.put_scaling_policy

    @functools.wraps(original_put)
    def put_scaling_policy(self: Any) -> Any:
        result = original_put(self)
        name = self._get_param("PolicyName")
        policy = self.autoscaling_backend.policies.get(name)
        if policy is not None:
            policy.enabled = _enabled(self._get_param("Enabled"))
        return result

    AutoScalingResponse.put_scaling_policy = put_scaling_policy

    for action in ("create_auto_scaling_group", "update_auto_scaling_group"):
        _keep_default_instance_warmup(AutoScalingResponse, action)


def _keep_default_instance_warmup(response_class: Any, action: str) -> None:
    original = getattr(response_class, action)

    @functools.wraps(original)
    def handler(self: Any) -> Any:
        result = original(self)
        warmup = self._get_int_param("DefaultInstanceWarmup")
        if warmup is not None:
            name = self._get_param("AutoScalingGroupName")
            group = self.autoscaling_backend.autoscaling_groups.get(name)
            if group is not None:
                group.default_instance_warmup = warmup
        return result

    setattr(response_class, action, handler)
