"""Instances launched from a launch template carry its instance profile, as on AWS."""

from __future__ import annotations

from typing import Any

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings
from tests.helpers import create_instance_profile


def _profile_arn(ec2: Any, instance_id: str) -> str | None:
    found = ec2.describe_iam_instance_profile_associations(
        Filters=[{"Name": "instance-id", "Values": [instance_id]}]
    )["IamInstanceProfileAssociations"]
    return found[0]["IamInstanceProfile"]["Arn"] if found else None


def test_a_group_launches_with_the_templates_profile(lab: LabSettings, image_id: str) -> None:
    ec2 = clients.client(lab, "ec2")
    iam = clients.client(lab, "iam")
    name = create_instance_profile(iam, "rpc")
    arn = iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]["Arn"]
    ec2.create_launch_template(
        LaunchTemplateName="rpc",
        LaunchTemplateData={
            "ImageId": image_id,
            "InstanceType": "m5.large",
            "IamInstanceProfile": {"Arn": arn},
        },
    )
    autoscaling = clients.client(lab, "autoscaling")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="rpc",
        LaunchTemplate={"LaunchTemplateName": "rpc"},
        MinSize=1,
        MaxSize=1,
        DesiredCapacity=1,
        AvailabilityZones=["us-east-1a"],
    )
    (grouped,) = autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"][0]["Instances"]
    assert _profile_arn(ec2, grouped["InstanceId"]) == arn
    (direct,) = ec2.run_instances(
        MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateName": "rpc"}
    )["Instances"]
    assert _profile_arn(ec2, direct["InstanceId"]) == arn
    (plain,) = ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)["Instances"]
    assert _profile_arn(ec2, plain["InstanceId"]) is None
