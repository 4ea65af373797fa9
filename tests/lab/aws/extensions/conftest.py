"""Fixtures shared by the extension tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def make_group(autoscaling: Any, ec2: Any, image_id: str) -> Callable[..., str]:
    """Creates the Auto Scaling group `rpc` (one zone, t3.micro) with the settings given."""

    def create(**settings: Any) -> str:
        template = ec2.create_launch_template(
            LaunchTemplateName="rpc",
            LaunchTemplateData={"ImageId": image_id, "InstanceType": "t3.micro"},
        )["LaunchTemplate"]["LaunchTemplateId"]
        autoscaling.create_auto_scaling_group(
            AutoScalingGroupName="rpc",
            LaunchTemplate={"LaunchTemplateId": template},
            AvailabilityZones=["us-east-1a"],
            **settings,
        )
        return "rpc"

    return create
