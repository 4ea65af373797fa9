"""The placement-group extension, exercised over HTTP with boto3 against the test lab."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

MANAGED = [{"ResourceType": "instance", "Tags": [{"Key": "chainops:lab-host", "Value": "true"}]}]


def _error_code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return str(excinfo.value.response["Error"]["Code"])


def _placements(ec2: Any, instance_ids: list[str]) -> set[str]:
    reservations = ec2.describe_instances(InstanceIds=instance_ids)["Reservations"]
    return {i["Placement"]["GroupName"] for r in reservations for i in r["Instances"]}


def test_create_describe_delete_round_trip(ec2: Any) -> None:
    """A group is created with its tags, found by name, id and filters, and deleted."""
    created = ec2.create_placement_group(
        GroupName="rpc-a",
        Strategy="cluster",
        TagSpecifications=[
            {"ResourceType": "placement-group", "Tags": [{"Key": "env", "Value": "lab"}]}
        ],
    )["PlacementGroup"]
    assert created["GroupId"].startswith("pg-")
    assert created["State"] == "available"

    by_name = ec2.describe_placement_groups(GroupNames=["rpc-a"])["PlacementGroups"]
    by_id = ec2.describe_placement_groups(GroupIds=[created["GroupId"]])["PlacementGroups"]
    assert by_name == by_id
    assert by_name[0]["Tags"] == [{"Key": "env", "Value": "lab"}]
    assert by_name[0]["GroupArn"].endswith(":placement-group/rpc-a")

    ec2.create_placement_group(GroupName="spread-a", Strategy="spread")
    clustered = ec2.describe_placement_groups(Filters=[{"Name": "strategy", "Values": ["cluster"]}])
    tagged = ec2.describe_placement_groups(Filters=[{"Name": "tag:env", "Values": ["lab"]}])
    assert [g["GroupName"] for g in clustered["PlacementGroups"]] == ["rpc-a"]
    assert [g["GroupName"] for g in tagged["PlacementGroups"]] == ["rpc-a"]

    ec2.delete_placement_group(GroupName="rpc-a")
    with pytest.raises(ClientError) as excinfo:
        ec2.describe_placement_groups(GroupNames=["rpc-a"])
    assert _error_code(excinfo) == "InvalidPlacementGroup.Unknown"


def test_tags_follow_create_and_delete_tags(ec2: Any) -> None:
    """Tags changed through CreateTags/DeleteTags show on the group (Terraform updates them so)."""
    group_id = ec2.create_placement_group(GroupName="rpc-a", Strategy="cluster")["PlacementGroup"][
        "GroupId"
    ]
    ec2.create_tags(Resources=[group_id], Tags=[{"Key": "tier", "Value": "rpc"}])
    assert ec2.describe_placement_groups(GroupNames=["rpc-a"])["PlacementGroups"][0]["Tags"] == [
        {"Key": "tier", "Value": "rpc"}
    ]
    ec2.delete_tags(Resources=[group_id], Tags=[{"Key": "tier"}])
    assert ec2.describe_placement_groups(GroupNames=["rpc-a"])["PlacementGroups"][0]["Tags"] == []


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"GroupName": "x", "Strategy": "bogus"}, "InvalidParameterValue"),
        ({"GroupName": "x", "Strategy": "cluster", "PartitionCount": 3}, "InvalidParameterValue"),
        ({"GroupName": "x", "Strategy": "partition", "PartitionCount": 8}, "InvalidParameterValue"),
        ({"GroupName": "x", "Strategy": "cluster", "SpreadLevel": "host"}, "InvalidParameterValue"),
    ],
)
def test_invalid_groups_are_refused(ec2: Any, kwargs: dict[str, Any], code: str) -> None:
    """Strategy, partition count and spread level are validated as EC2 does."""
    with pytest.raises(ClientError) as excinfo:
        ec2.create_placement_group(**kwargs)
    assert _error_code(excinfo) == code
    assert ec2.describe_placement_groups()["PlacementGroups"] == []


def test_duplicate_name_is_refused(ec2: Any) -> None:
    """A second group with the same name fails with EC2's duplicate error."""
    ec2.create_placement_group(GroupName="rpc-a", Strategy="cluster")
    with pytest.raises(ClientError) as excinfo:
        ec2.create_placement_group(GroupName="rpc-a", Strategy="cluster")
    assert _error_code(excinfo) == "InvalidPlacementGroup.Duplicate"


def test_partition_and_spread_defaults(ec2: Any) -> None:
    """Partition groups default to 2 partitions and spread groups to rack level."""
    partition = ec2.create_placement_group(GroupName="p", Strategy="partition")["PlacementGroup"]
    spread = ec2.create_placement_group(GroupName="s", Strategy="spread")["PlacementGroup"]
    assert partition["PartitionCount"] == 2
    assert spread["SpreadLevel"] == "rack"


def test_run_instances_keeps_group_name(ec2: Any, image_id: str) -> None:
    """Placement.GroupName survives RunInstances and filters DescribeInstances."""
    ec2.create_placement_group(GroupName="rpc-a", Strategy="cluster")
    launched = ec2.run_instances(
        ImageId=image_id,
        MinCount=2,
        MaxCount=2,
        InstanceType="i4i.xlarge",
        Placement={"GroupName": "rpc-a"},
    )["Instances"]
    ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)
    assert {i["Placement"]["GroupName"] for i in launched} == {"rpc-a"}
    filtered = ec2.describe_instances(
        Filters=[{"Name": "placement-group-name", "Values": ["rpc-a"]}]
    )["Reservations"]
    assert sorted(i["InstanceId"] for r in filtered for i in r["Instances"]) == sorted(
        i["InstanceId"] for i in launched
    )


def test_unknown_group_launches_nothing(ec2: Any, image_id: str) -> None:
    """RunInstances into a missing group fails before any instance exists."""
    with pytest.raises(ClientError) as excinfo:
        ec2.run_instances(
            ImageId=image_id, MinCount=1, MaxCount=1, Placement={"GroupName": "missing"}
        )
    assert _error_code(excinfo) == "InvalidPlacementGroup.Unknown"
    assert ec2.describe_instances()["Reservations"] == []


def test_launch_template_placement(ec2: Any, image_id: str) -> None:
    """An instance launched from a template inherits the template's placement group."""
    ec2.create_placement_group(GroupName="rpc-a", Strategy="cluster")
    ec2.create_launch_template(
        LaunchTemplateName="rpc-node",
        LaunchTemplateData={"ImageId": image_id, "Placement": {"GroupName": "rpc-a"}},
    )
    launched = ec2.run_instances(
        MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateName": "rpc-node"}
    )["Instances"]
    assert launched[0]["Placement"]["GroupName"] == "rpc-a"


def test_auto_scaling_group_places_its_instances(ec2: Any, autoscaling: Any, image_id: str) -> None:
    """An ASG's PlacementGroup reaches every instance it launches, also after an update."""
    ec2.create_placement_group(GroupName="rpc-a", Strategy="cluster")
    ec2.create_placement_group(GroupName="rpc-b", Strategy="cluster")
    ec2.create_launch_template(
        LaunchTemplateName="rpc-node",
        LaunchTemplateData={"ImageId": image_id, "InstanceType": "i4i.xlarge"},
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="rpc",
        MinSize=2,
        MaxSize=4,
        DesiredCapacity=2,
        LaunchTemplate={"LaunchTemplateName": "rpc-node"},
        AvailabilityZones=["us-east-1a"],
        PlacementGroup="rpc-a",
    )
    group = autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"][0]
    assert group["PlacementGroup"] == "rpc-a"
    first = [i["InstanceId"] for i in group["Instances"]]
    assert _placements(ec2, first) == {"rpc-a"}

    autoscaling.update_auto_scaling_group(
        AutoScalingGroupName="rpc", PlacementGroup="rpc-b", DesiredCapacity=3, MaxSize=4
    )
    group = autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"][0]
    assert group["PlacementGroup"] == "rpc-b"
    added = [i["InstanceId"] for i in group["Instances"] if i["InstanceId"] not in first]
    assert len(added) == 1
    assert _placements(ec2, added) == {"rpc-b"}


def test_auto_scaling_group_with_unknown_group_is_refused(
    autoscaling: Any, ec2: Any, image_id: str
) -> None:
    """CreateAutoScalingGroup names a missing placement group: refused, nothing launched."""
    ec2.create_launch_template(
        LaunchTemplateName="rpc-node", LaunchTemplateData={"ImageId": image_id}
    )
    with pytest.raises(ClientError) as excinfo:
        autoscaling.create_auto_scaling_group(
            AutoScalingGroupName="rpc",
            MinSize=1,
            MaxSize=1,
            LaunchTemplate={"LaunchTemplateName": "rpc-node"},
            AvailabilityZones=["us-east-1a"],
            PlacementGroup="missing",
        )
    assert _error_code(excinfo) == "InvalidPlacementGroup.Unknown"
    assert ec2.describe_instances()["Reservations"] == []


def test_group_in_use_cannot_be_deleted(ec2: Any, image_id: str) -> None:
    """Deleting a group with live instances fails; after termination it succeeds."""
    ec2.create_placement_group(GroupName="rpc-a", Strategy="cluster")
    instance_id = ec2.run_instances(
        ImageId=image_id, MinCount=1, MaxCount=1, Placement={"GroupName": "rpc-a"}
    )["Instances"][0]["InstanceId"]
    with pytest.raises(ClientError) as excinfo:
        ec2.delete_placement_group(GroupName="rpc-a")
    assert _error_code(excinfo) == "InvalidPlacementGroup.InUse"
    ec2.terminate_instances(InstanceIds=[instance_id])
    ec2.delete_placement_group(GroupName="rpc-a")
    assert ec2.describe_placement_groups()["PlacementGroups"] == []


def test_managed_instances_tagged_at_launch(ec2: Any, image_id: str) -> None:
    """The management tag and the group travel together, as the reconciler reads them."""
    ec2.create_placement_group(GroupName="rpc-a", Strategy="cluster")
    launched = ec2.run_instances(
        ImageId=image_id,
        MinCount=1,
        MaxCount=1,
        Placement={"GroupName": "rpc-a"},
        TagSpecifications=MANAGED,
    )["Instances"][0]
    assert launched["Placement"]["GroupName"] == "rpc-a"
    assert {"Key": "chainops:lab-host", "Value": "true"} in launched["Tags"]
