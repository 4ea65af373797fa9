"""What the lab AWS says should exist: running, managed instances and their instance stores."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from chainops.lab.aws import clients
from chainops.lab.settings import MANAGEMENT_TAG, LabSettings

NVME_MODEL = "Amazon EC2 NVMe Instance Storage"


@dataclass(frozen=True)
class InstanceStoreDisk:
    """One instance-store volume as the node will see it."""

    device: str  # name under /dev inside the host, as on Nitro: nvme1n1, nvme2n1...
    size_gib: int  # what the instance type promises
    serial: str
    model: str = NVME_MODEL


@dataclass(frozen=True)
class Node:
    """A running lab instance that must exist as a podman host."""

    instance_id: str
    region: str
    instance_type: str
    availability_zone: str
    placement_group: str
    hostname: str
    disks: tuple[InstanceStoreDisk, ...]
    private_ip: str = ""  # the instance's PrivateIpAddress, which its host answers on too

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_managed(tags: list[dict[str, str]]) -> bool:
    """Managed when the management tag says "true" (what inventories/lab filters on too)."""
    value = next((t["Value"] for t in tags if t["Key"] == MANAGEMENT_TAG), "")
    return value.lower() == "true"


def instance_store_disks(
    instance_id: str, storage: dict[str, Any] | None
) -> tuple[InstanceStoreDisk, ...]:
    """Expand DescribeInstanceTypes' InstanceStorageInfo into one disk per volume."""
    disks: list[InstanceStoreDisk] = []
    for group in (storage or {}).get("Disks", []):
        for _ in range(int(group.get("Count", 0))):
            index = len(disks) + 1
            serial = f"AWS{instance_id.removeprefix('i-').upper()}{index:02d}"
            disks.append(InstanceStoreDisk(f"nvme{index}n1", int(group["SizeInGB"]), serial))
    return tuple(disks)


def desired(settings: LabSettings) -> list[Node]:
    """Every running instance that carries the management tag, in every lab region."""
    nodes: list[Node] = []
    for region in settings.regions:
        ec2 = clients.client(settings, "ec2", region)
        pages = ec2.get_paginator("describe_instances").paginate(
            Filters=[
                {"Name": "instance-state-name", "Values": ["running"]},
                {"Name": "tag-key", "Values": [MANAGEMENT_TAG]},
            ]
        )
        instances = [i for page in pages for r in page["Reservations"] for i in r["Instances"]]
        managed = [i for i in instances if is_managed(i.get("Tags", []))]
        storage = _instance_storage(ec2, {i["InstanceType"] for i in managed})
        nodes.extend(_node(region, i, storage.get(i["InstanceType"])) for i in managed)
    return sorted(nodes, key=lambda n: n.instance_id)


def _instance_storage(ec2: Any, types: set[str]) -> dict[str, dict[str, Any] | None]:
    if not types:
        return {}
    described = ec2.describe_instance_types(InstanceTypes=sorted(types))["InstanceTypes"]
    return {t["InstanceType"]: t.get("InstanceStorageInfo") for t in described}


def _node(region: str, instance: dict[str, Any], storage: dict[str, Any] | None) -> Node:
    placement = instance.get("Placement", {})
    instance_id = instance["InstanceId"]
    return Node(
        instance_id=instance_id,
        region=region,
        instance_type=instance["InstanceType"],
        availability_zone=placement.get("AvailabilityZone", ""),
        placement_group=placement.get("GroupName", ""),
        hostname=instance.get("PrivateDnsName") or instance_id,
        disks=instance_store_disks(instance_id, storage),
        private_ip=instance.get("PrivateIpAddress", ""),
    )
