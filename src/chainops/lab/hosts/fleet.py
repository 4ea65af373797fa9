"""Launch lab RPC instances the way the blockchain stack's auto scaling group does.

For tests, benchmarks and demos that need RPC nodes without applying the stacks: managed,
role-tagged instances in a cluster placement group, materialised as podman hosts.
"""

from __future__ import annotations

from typing import Any

from chainops.lab.aws import clients
from chainops.lab.hosts import reconciler
from chainops.lab.settings import MANAGEMENT_TAG, LabSettings

ROLE_TAG = "chainops:role"


def launch(
    settings: LabSettings,
    *,
    count: int,
    role: str = "rpc",
    instance_type: str = "i4i.8xlarge",
    placement_group: str = "rpc-a",
) -> list[str]:
    """Launch `count` instances, reconcile the hosts, return the instance ids (sorted)."""
    ec2: Any = clients.client(settings, "ec2")
    existing = ec2.describe_placement_groups(
        Filters=[{"Name": "group-name", "Values": [placement_group]}]
    )["PlacementGroups"]
    if not existing:
        ec2.create_placement_group(GroupName=placement_group, Strategy="cluster")
    image_id = ec2.describe_images()["Images"][0]["ImageId"]
    tags = [{"Key": MANAGEMENT_TAG, "Value": "true"}, {"Key": ROLE_TAG, "Value": role}]
    reservation = ec2.run_instances(
        ImageId=image_id,
        InstanceType=instance_type,
        MinCount=count,
        MaxCount=count,
        Placement={"GroupName": placement_group},
        TagSpecifications=[{"ResourceType": "instance", "Tags": tags}],
    )
    reconciler.reconcile(settings)
    return sorted(str(i["InstanceId"]) for i in reservation["Instances"])
