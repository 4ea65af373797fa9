"""Reading desired nodes: the management tag and instance-store expansion (pure logic)."""

from __future__ import annotations

from chainops.lab.hosts.nodes import NVME_MODEL, instance_store_disks, is_managed


def test_management_tag_decides() -> None:
    """Only the value "true" means managed; absent or any other value does not."""
    assert is_managed([{"Key": "chainops:lab-host", "Value": "true"}])
    assert is_managed([{"Key": "chainops:lab-host", "Value": "True"}])
    assert not is_managed([{"Key": "chainops:lab-host", "Value": "rpc"}])
    assert not is_managed([{"Key": "chainops:lab-host", "Value": "False"}])
    assert not is_managed([{"Key": "Name", "Value": "x"}])


def test_one_disk_per_instance_store_volume() -> None:
    """Two groups of volumes expand to consecutive nvmeXn1 devices with unique serials."""
    storage = {"Disks": [{"SizeInGB": 1900, "Count": 2}, {"SizeInGB": 100, "Count": 1}]}
    disks = instance_store_disks("i-0abc", storage)
    assert [d.device for d in disks] == ["nvme1n1", "nvme2n1", "nvme3n1"]
    assert [d.size_gib for d in disks] == [1900, 1900, 100]
    assert len({d.serial for d in disks}) == 3
    assert {d.model for d in disks} == {NVME_MODEL}


def test_ebs_only_types_have_no_instance_store() -> None:
    """An instance type without InstanceStorageInfo gets no disks."""
    assert instance_store_disks("i-0abc", None) == ()
