"""The reconciler: a pure plan, and real podman hosts following the test lab's instances."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chainops.lab.hosts import podman, reconciler
from chainops.lab.hosts.nodes import InstanceStoreDisk, Node
from chainops.lab.hosts.reconciler import Host, plan
from chainops.lab.settings import LabSettings

MANAGED = [{"ResourceType": "instance", "Tags": [{"Key": "chainops:lab-host", "Value": "true"}]}]


def _node(instance_id: str) -> Node:
    disk = InstanceStoreDisk("nvme1n1", 100, "AWS1")
    return Node(instance_id, "us-east-1", "i4i.large", "us-east-1a", "", instance_id, (disk,))


def test_plan_creates_starts_removes_and_keeps() -> None:
    """Missing hosts are created, stopped ones started, orphans removed, the rest kept."""
    actual = {
        "i-keep": Host("i-keep", "c1", "running"),
        "i-stopped": Host("i-stopped", "c2", "exited"),
        "i-gone": Host("i-gone", "c3", "running"),
    }
    todo = plan([_node("i-new"), _node("i-keep"), _node("i-stopped")], actual)
    assert [n.instance_id for n in todo.create] == ["i-new"]
    assert todo.start == ("i-stopped",)
    assert todo.remove == ("i-gone",)
    assert todo.keep == ("i-keep",)
    assert todo.changed


def test_plan_of_a_converged_lab_changes_nothing() -> None:
    """When every node has a running host the plan is empty."""
    todo = plan([_node("i-a")], {"i-a": Host("i-a", "c", "running")})
    assert not todo.changed
    assert todo.as_dict()["unchanged"] == ["i-a"]


def _launch(
    ec2: Any, image_id: str, count: int, *, managed: bool = True, instance_type: str = "i4i.2xlarge"
) -> list[str]:
    extra: dict[str, Any] = {"TagSpecifications": MANAGED} if managed else {}
    launched = ec2.run_instances(
        ImageId=image_id,
        MinCount=count,
        MaxCount=count,
        InstanceType=instance_type,
        Placement={"GroupName": "rpc-a"},
        **extra,
    )["Instances"]
    return [i["InstanceId"] for i in launched]


def _exec(instance_id: str, command: str) -> str:
    return podman.run("exec", instance_id, "sh", "-c", command)


@pytest.mark.podman
def test_hosts_follow_instances(hosts: LabSettings, ec2: Any, image_id: str) -> None:
    """Launching adds a systemd host with its NVMe disks; terminating removes it and its loops."""
    ec2.create_placement_group(GroupName="rpc-a", Strategy="cluster")
    managed = _launch(ec2, image_id, 2, instance_type="i4i.4xlarge")
    unmanaged = _launch(ec2, image_id, 1, managed=False)

    first = reconciler.reconcile(hosts)
    assert sorted(n.instance_id for n in first.create) == sorted(managed)
    existing = reconciler.hosts(hosts)
    assert sorted(existing) == sorted(managed)
    assert unmanaged[0] not in existing

    # Reconcile returns with every new host past early boot (as sshd answers on EC2): nothing
    # a first command puts in /tmp is emptied by the boot's tmpfiles any more.
    for instance_id in managed:
        assert _exec(instance_id, "systemctl is-active sysinit.target").strip() == "active"
    host = managed[0]
    # Then the rest of boot (degraded is fine in a container).
    _exec(host, "systemctl is-system-running --wait >/dev/null || true")
    assert _exec(host, "systemctl is-active chainops-lab-nvme.service").strip() == "active"
    lsblk = json.loads(_exec(host, "lsblk --json --bytes -o NAME,SIZE,TYPE /dev/nvme1n1"))
    assert lsblk["blockdevices"][0]["size"] == 16 * 1024**3  # 3750 GB capped by max_disk_gib
    by_id = _exec(host, "ls /dev/disk/by-id").split()
    assert by_id == [f"nvme-Amazon_EC2_NVMe_Instance_Storage_AWS{host[2:].upper()}01"]

    assert not reconciler.reconcile(hosts).changed

    backing = reconciler.host_dir(host) / "nvme1n1.img"
    ec2.terminate_instances(InstanceIds=[host])
    second = reconciler.reconcile(hosts)
    assert second.remove == (host,)
    assert sorted(reconciler.hosts(hosts)) == [managed[1]]
    assert not backing.exists()
    attached = subprocess.run(
        ["losetup", "--associated", str(backing)], capture_output=True, text=True, check=False
    )
    assert attached.stdout == ""


@pytest.mark.podman
def test_stopped_host_is_started_again(hosts: LabSettings, ec2: Any, image_id: str) -> None:
    """A host container that stopped while its instance runs is started on reconcile."""
    ec2.create_placement_group(GroupName="rpc-a", Strategy="cluster")
    (instance_id,) = _launch(ec2, image_id, 1, instance_type="m5.large")
    reconciler.reconcile(hosts)
    podman.run("stop", "--time", "2", instance_id)
    todo = reconciler.reconcile(hosts)
    assert todo.start == (instance_id,)
    assert reconciler.hosts(hosts)[instance_id].running


@pytest.mark.podman
def test_status_lists_nodes_with_group_and_container(
    hosts: LabSettings, ec2: Any, image_id: str
) -> None:
    """`chainops lab status --json` shows the endpoint and each node's group and container."""
    ec2.create_placement_group(GroupName="rpc-a", Strategy="cluster")
    launched = _launch(ec2, image_id, 2)
    reconciler.reconcile(hosts)
    done = subprocess.run(
        ["chainops", "lab", "status", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**_env(), "CHAINOPS_LAB_HOST": hosts.host, "CHAINOPS_LAB_PORT": str(hosts.port)},
    )
    status = json.loads(done.stdout)
    assert status["endpoint"] == hosts.endpoint
    assert "placement_groups" in status["extensions"]
    assert sorted(n["instance_id"] for n in status["nodes"]) == sorted(launched)
    for node in status["nodes"]:
        assert node["placement_group"] == "rpc-a"
        assert node["container"] == node["instance_id"]
        assert node["container_state"] == "running"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env
